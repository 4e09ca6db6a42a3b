using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Prospects;
using Rapport.Users;

namespace Rapport.Pages.Prospects;

/// <summary>
/// Prospects for a clinic: the registry's physicians of the chosen specialty groups near it who do not refer
/// yet, ranked, with a scatter around the clinic and "Add as prospect". Every choice is a query-string value
/// (<c>clinic</c>, <c>specialty</c> repeated, <c>radius</c>), the address the coverage view links to.
/// </summary>
public sealed class IndexModel(ProspectSearch search, ProspectIntake intake, OrganizationService organizations, UserDirectory users,
    Rapport.Campaigns.CampaignService campaigns) : PageModel
{
    /// <summary>Rows shown on the page; the download has every one.</summary>
    public const int ShownRows = 100;
    /// <summary>The best-ranked prospects ringed on the scatter.</summary>
    public const int HighlightedRows = 10;

    [BindProperty(SupportsGet = true)] public string? Clinic { get; set; }
    [BindProperty(SupportsGet = true)] public string[] Specialty { get; set; } = [];
    [BindProperty(SupportsGet = true)] public string? Radius { get; set; }

    public ProspectResult? Result { get; private set; }
    public List<ClinicSummary> Clinics { get; private set; } = [];
    public List<UserSummary> Owners { get; private set; } = [];
    public string? DefaultOwner { get; private set; }
    /// <summary>"Also target in campaign": the practice's campaigns that are not archived.</summary>
    public IReadOnlyList<(int Id, string Name)> Campaigns { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
        Owners = await users.ListAsync(cancellationToken);
        DefaultOwner = await users.ActingUserIdAsync(cancellationToken);
        Campaigns = await campaigns.ChoicesAsync(cancellationToken: cancellationToken);
        try
        {
            Result = await search.SearchAsync(Query(), cancellationToken);
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "");
        }
    }

    /// <summary>Adds the row whose button was pressed (<paramref name="add"/>) or every ticked row (<paramref name="npi"/>).</summary>
    /// <param name="campaignId">When chosen, the added prospects (and ticked NPIs that were already sources) become the campaign's targets.</param>
    public async Task<IActionResult> OnPostAddAsync(string? add, string[]? npi, int clinicId, string? owner, int? cadence, int? campaignId,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<string> chosen = !string.IsNullOrWhiteSpace(add) ? [add] : npi ?? [];
        if (chosen.Count == 0)
        {
            TempData["Notice"] = "Tick the prospects to add first.";
            return Redirect(ViewUrl());
        }
        if (cadence is < 1 or > 730)
        {
            TempData["Notice"] = "Touch cadence must be between 1 and 730 days; nothing was added.";
            return Redirect(ViewUrl());
        }
        var result = await intake.AddManyAsync(chosen, clinicId, owner, cadence, cancellationToken);
        var parts = new List<string>();
        if (result.Added.Count > 0)
        {
            parts.Add($"Added {result.Added.Count} prospect{(result.Added.Count == 1 ? "" : "s")}: {string.Join(", ", result.Added.Select(s => s.DisplayName))}. " +
                "Each is on its owner's call list for a first touch.");
        }
        parts.AddRange(result.Refused.Select(r => $"Not added: {r.Reason}"));
        if (campaignId is { } campaign)
        {
            // By NPI: the new prospects and the ticked physicians the practice already had are targeted alike.
            var targets = await campaigns.AddTargetsAsync(campaign, new Rapport.Campaigns.CampaignTargetsInput { Npis = chosen, ClinicId = clinicId }, cancellationToken);
            var targeted = targets.Added.Count + targets.AlreadyTargeted.Count;
            parts.Add($"{targeted} targeted in the campaign.");
        }
        TempData["Notice"] = string.Join(" ", parts);
        return Redirect(ViewUrl());
    }

    private ProspectQuery Query() => new()
    {
        Clinic = Clinic,
        Specialties = ProspectQuery.SplitSpecialties(Specialty),
        RadiusMiles = ProspectQuery.ParseRadius(Radius),
    };

    public double RadiusShown => Result?.RadiusMiles ?? (double.TryParse(Radius, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) ? r : ProspectQuery.DefaultRadiusMiles);

    public int? ClinicShown => Result?.ClinicId ?? (int.TryParse(Clinic, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null);

    public bool IsChosen(string group) => Result?.Specialties.Contains(group, StringComparer.OrdinalIgnoreCase) ?? Specialty.Contains(group, StringComparer.OrdinalIgnoreCase);

    /// <summary>This page for the same clinic and radius with other groups (a preset's), or the current view.</summary>
    public string ViewUrl(IEnumerable<string>? groups = null)
    {
        var query = new QueryBuilder();
        if (ClinicShown is { } clinic)
        {
            query.Add("clinic", clinic.ToString(CultureInfo.InvariantCulture));
        }
        foreach (var group in groups ?? Result?.Specialties ?? ProspectQuery.SplitSpecialties(Specialty))
        {
            query.Add("specialty", group);
        }
        query.Add("radius", RadiusShown.ToString("0.#", CultureInfo.InvariantCulture));
        return "/Prospects" + query.ToQueryString();
    }

    /// <summary>The <c>prospects</c> export with the filters on screen; several groups in one value separated by ';'.</summary>
    public string DownloadUrl(TableFormat format)
    {
        var query = new QueryBuilder { { "format", TableFile.Extension(format) } };
        if (Result is { } r)
        {
            query.Add("clinic", r.ClinicId.ToString(CultureInfo.InvariantCulture));
            query.Add("specialty", string.Join(";", r.Specialties));
            query.Add("radius", r.RadiusMiles.ToString("0.#", CultureInfo.InvariantCulture));
        }
        return "/Export/prospects" + query.ToQueryString();
    }

    public static string Miles(double miles) => miles.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Phone(string? phone) => Formats.NormalizePhone(phone) ?? phone ?? "";
}
