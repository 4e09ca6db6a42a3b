using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;

namespace Rapport.Pages.Referrals;

/// <summary>
/// The front desk's work queue: referrals by stage with counts on the tabs, the overdue ones first and
/// said in words, filters, and a bulk move of the checked rows to one status on one date.
/// </summary>
public sealed class IndexModel(ReferralQueue queue, SourceQueries sources, OrganizationService organizations, PracticeClock time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "stage")] public string? StageText { get; set; }
    [BindProperty(SupportsGet = true)] public int? Clinic { get; set; }
    [BindProperty(SupportsGet = true)] public int? Source { get; set; }
    [BindProperty(SupportsGet = true)] public string? SourceText { get; set; }
    [BindProperty(SupportsGet = true)] public AcquisitionChannel? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? ReceivedFrom { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? ReceivedTo { get; set; }
    /// <summary>The "page" query value, read by hand: Razor Pages' own "page" route value would otherwise bind first.</summary>
    public int PageNumber => int.TryParse(Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1;

    public ReferralStage Stage { get; private set; } = ReferralStage.Received;
    public ReferralQueuePage Result { get; private set; } = null!;
    public List<ClinicSummary> Clinics { get; private set; } = [];
    public DateOnly Today { get; private set; }

    /// <summary>The bulk form's values, kept when it comes back with problems.</summary>
    public IReadOnlySet<int> Checked { get; private set; } = new HashSet<int>();
    public ReferralStatus? ChosenStatus { get; private set; }
    public DateOnly? ChosenOn { get; private set; }
    public LostReason? ChosenReason { get; private set; }
    public string? ChosenNote { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostStatusAsync(int[]? ids, ReferralStatus? status, DateOnly? on, LostReason? lostReason, string? note,
        CancellationToken cancellationToken)
    {
        try
        {
            var result = await queue.SetStatusAsync(new ReferralStatusChange
            {
                ReferralIds = ids ?? [], Status = status, On = on, LostReason = lostReason, Note = note,
            }, cancellationToken);
            var count = result.ReferralIds.Count;
            TempData["Notice"] = string.Create(CultureInfo.InvariantCulture,
                $"{count} referral{(count == 1 ? "" : "s")} moved to {Display.Words(result.Status)} on {result.On:yyyy-MM-dd}.");
            return Redirect(TabUrl(ParseTab(StageText), PageNumber));
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field, message);
                }
            }
        }
        Checked = (ids ?? []).ToHashSet();
        (ChosenStatus, ChosenOn, ChosenReason, ChosenNote) = (status, on, lostReason, note);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Today = time.Today();
        Clinics = await organizations.ClinicsAsync(includeArchived: true, cancellationToken: cancellationToken);
        try
        {
            Stage = ReferralQueue.ParseStage(StageText) ?? ReferralStage.Received;
        }
        catch (ValidationException e)
        {
            ModelState.AddModelError("stage", e.Errors["stage"][0]);
        }
        if (Source is null && Formats.Clean(SourceText) is { } text)
        {
            Source = await Pickers.ResolveSourceAsync(sources, null, text, cancellationToken);
            if (Source is null)
            {
                ModelState.AddModelError(nameof(SourceText), $"No single source matches '{text}'. Pick one from the suggestions or type its NPI.");
            }
        }
        else if (Source is { } id && SourceText is null && await sources.SummaryAsync(id, cancellationToken) is { } summary)
        {
            SourceText = Pickers.SourceLabel(summary);
        }
        Result = await queue.ListAsync(new ReferralQueueQuery
        {
            Stage = Stage, ClinicId = Clinic, SourceId = Source, Channel = Channel, ReceivedFrom = ReceivedFrom, ReceivedTo = ReceivedTo,
            Page = PageNumber, PageSize = 50,
        }, cancellationToken);
        ChosenStatus ??= Stage switch
        {
            ReferralStage.Received => ReferralStatus.Scheduled,
            ReferralStage.Scheduled => ReferralStatus.Evaluated,
            _ => ReferralStatus.Discharged,
        };
        ChosenOn ??= Today;
    }

    /// <summary>The tab to show; an unknown stage in the address shows Received rather than failing a change already saved.</summary>
    private static ReferralStage ParseTab(string? text)
    {
        try
        {
            return ReferralQueue.ParseStage(text) ?? ReferralStage.Received;
        }
        catch (ValidationException)
        {
            return ReferralStage.Received;
        }
    }

    public int CountOf(ReferralStage stage) => Result.StageCounts.FirstOrDefault(c => c.Stage == stage)?.Count ?? 0;

    /// <summary>This list's address with another tab or page, keeping the filters.</summary>
    public string TabUrl(ReferralStage stage, int page = 1)
    {
        var query = new List<string> { "stage=" + ReferralQueue.StageSlug(stage) };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        Add("clinic", Clinic?.ToString(CultureInfo.InvariantCulture));
        Add("source", Source?.ToString(CultureInfo.InvariantCulture));
        Add("channel", Channel?.ToString());
        Add("receivedFrom", ReceivedFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("receivedTo", ReceivedTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (page > 1)
        {
            Add("page", page.ToString(CultureInfo.InvariantCulture));
        }
        return "/Referrals?" + string.Join("&", query);
    }

    public bool Filtered => Clinic is not null || Source is not null || Channel is not null || ReceivedFrom is not null || ReceivedTo is not null;

    public static string StageLabel(ReferralStage stage) => stage == ReferralStage.InCare ? "In care" : stage.ToString();

    public static string Age(ReferralQueueRow row)
    {
        var days = row.AgeDays == 1 ? "1 day" : $"{row.AgeDays} days";
        return row.BusinessDaysWaiting is { } waiting ? $"{days} · {waiting} business day{(waiting == 1 ? "" : "s")}" : days;
    }
}
