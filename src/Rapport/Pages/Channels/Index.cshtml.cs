using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Channels;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;

namespace Rapport.Pages.Channels;

/// <summary>Where patients come from: the channels report for the practice or one clinic, over 12 or 24 months. Filters are query-string values, so a view can be bookmarked.</summary>
public sealed class IndexModel(ChannelReportService channels, OrganizationService organizations) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Clinic { get; set; }
    [BindProperty(SupportsGet = true)] public int? Months { get; set; }

    public ChannelReport? Report { get; private set; }
    public List<ClinicSummary> Clinics { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
        try
        {
            Report = await channels.BuildAsync(new ChannelReportQuery { ClinicId = Clinic, Months = Months ?? 12 }, cancellationToken);
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "", renames: new Dictionary<string, string> { ["clinicId"] = nameof(Clinic) });
        }
    }

    /// <summary>The download of what is on screen (the export kind "channels" takes the same filters).</summary>
    public string DownloadUrl(string format) =>
        "/Export/channels?" + string.Join("&", new[] { Clinic is { } c ? $"clinic={c}" : null, $"months={Months ?? 12}", $"format={format}" }.OfType<string>());

    /// <summary>"31% (40 of 130)": a share always with its counts.</summary>
    public static string ShareOf(int count, int total) =>
        total == 0 ? "—" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Round(100.0 * count / total, MidpointRounding.AwayFromZero):0}% ({count} of {total})");

    public static string Percent(double? share) =>
        share is { } s ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Round(s * 100, MidpointRounding.AwayFromZero):0}%") : "—";
}
