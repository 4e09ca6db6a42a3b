using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Health;
using Rapport.Pages.Shared;

namespace Rapport.Pages.Alerts;

public sealed class IndexModel(AlertService alerts, PracticeClock time) : PageModel
{
    [BindProperty(SupportsGet = true)] public bool All { get; set; }
    /// <summary>Show the sources with this kind of alert; null = every kind.</summary>
    [BindProperty(SupportsGet = true, Name = "show")] public string? Show { get; set; }
    /// <summary>Show the sources with an alert of this tier (alert or watch); null = both.</summary>
    [BindProperty(SupportsGet = true, Name = "tier")] public string? Tier { get; set; }
    /// <summary>"me", "unassigned", a user id, or null for every owner.</summary>
    [BindProperty(SupportsGet = true)] public string? Owner { get; set; }
    public AlertList List { get; private set; } = null!;
    /// <summary>The rows shown, one per source: <see cref="List"/> by source, filtered by owner, tier and kind.</summary>
    public IReadOnlyList<SourceAlerts> Shown { get; private set; } = [];
    /// <summary>Sources per kind among the owner's (and tier's), in <see cref="AlertKinds.All"/> order, for the filter links.</summary>
    public IReadOnlyList<(string Kind, int Count)> KindCounts { get; private set; } = [];
    /// <summary>Sources with an alert of each tier among the owner's.</summary>
    public IReadOnlyList<(string Tier, int Count)> TierCounts { get; private set; } = [];
    /// <summary>Sources among the owner's and tier's, every kind.</summary>
    public int OwnerTotal { get; private set; }
    public IReadOnlyList<(string Id, string Name)> Owners { get; private set; } = [];
    public DateOnly DefaultSnooze => time.Today().AddDays(14);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        List = await alerts.ListAsync(includeHandled: All, cancellationToken: cancellationToken);
        var view = AlertRows.Filter(List, Show, Tier, Owner, User.FindFirstValue(ClaimTypes.NameIdentifier));
        // An address with a tier the page does not know shows both, as a chip link would.
        Tier = view.Tier;
        Owners = view.Owners;
        TierCounts = view.TierCounts;
        OwnerTotal = view.OwnerTotal;
        KindCounts = view.KindCounts;
        Shown = view.Shown;
    }

    /// <summary>This page's address with one filter changed, keeping the others.</summary>
    public string Link(string? show = "\0", string? owner = "\0", string? tier = "\0")
    {
        var query = new List<string>();
        if (All) query.Add("all=true");
        var kind = show == "\0" ? Show : show;
        var who = owner == "\0" ? Owner : owner;
        var level = tier == "\0" ? Tier : tier;
        if (!string.IsNullOrEmpty(level)) query.Add("tier=" + Uri.EscapeDataString(level));
        if (!string.IsNullOrEmpty(kind)) query.Add("show=" + Uri.EscapeDataString(kind));
        if (!string.IsNullOrEmpty(who)) query.Add("owner=" + Uri.EscapeDataString(who));
        return "/Alerts" + (query.Count > 0 ? "?" + string.Join("&", query) : "");
    }

    /// <summary>
    /// The dashboard's "open alerts" box, fetched after the page has rendered: computing every
    /// source's signals costs far more than the dashboard's own rollup reads.
    /// </summary>
    public async Task<IActionResult> OnGetSummaryAsync(CancellationToken cancellationToken) =>
        Partial("_AlertSummary", await alerts.ListAsync(cancellationToken: cancellationToken));

    /// <summary>A row's Acknowledge: every open alert of the source (one kind only when the form names it).</summary>
    public Task<IActionResult> OnPostAcknowledgeAsync(AlertActionInput input, CancellationToken cancellationToken) =>
        input.Kind is null
            ? Act(async () => $"Acknowledged {Count(await alerts.AcknowledgeSourceAsync(input.SourceId ?? 0, User.Identity?.Name, cancellationToken))}: each comes back if its evidence changes.", cancellationToken)
            : Act(async () =>
            {
                await alerts.AcknowledgeAsync(input, User.Identity?.Name, cancellationToken);
                return "Acknowledged: it comes back if the evidence changes.";
            }, cancellationToken);

    /// <summary>A row's Snooze: every alert of the source until the date (one kind only when the form names it).</summary>
    public Task<IActionResult> OnPostSnoozeAsync(AlertActionInput input, CancellationToken cancellationToken) =>
        input.Kind is null
            ? Act(async () => $"Snoozed {Count(await alerts.SnoozeSourceAsync(input.SourceId ?? 0, input.Until, User.Identity?.Name, cancellationToken))} until {input.Until:yyyy-MM-dd}.", cancellationToken)
            : Act(async () =>
            {
                await alerts.SnoozeAsync(input, User.Identity?.Name, cancellationToken);
                return $"Snoozed until {input.Until:yyyy-MM-dd}.";
            }, cancellationToken);

    private static string Count(int alerts) => alerts == 1 ? "1 alert" : $"{alerts} alerts";

    private async Task<IActionResult> Act(Func<Task<string>> action, CancellationToken cancellationToken)
    {
        try
        {
            TempData["Notice"] = await action();
            return Redirect("/Alerts");
        }
        catch (NotFoundException)
        {
            TempData["Notice"] = "That alert has already cleared.";
            return Redirect("/Alerts");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e);
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    public static string KindLabel(string kind) => AlertRows.KindLabel(kind);

    public static string TierLabel(string tier) => tier == AlertTiers.Watch ? "Watch" : "Alerts";
}
