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
    /// <summary>Show one kind only; null = every kind.</summary>
    [BindProperty(SupportsGet = true, Name = "show")] public string? Show { get; set; }
    /// <summary>"me", "unassigned", a user id, or null for every owner.</summary>
    [BindProperty(SupportsGet = true)] public string? Owner { get; set; }
    public AlertList List { get; private set; } = null!;
    /// <summary>The alerts shown: <see cref="List"/> filtered by owner and kind.</summary>
    public IReadOnlyList<AlertView> Shown { get; private set; } = [];
    /// <summary>Alerts per kind among the owner's, in <see cref="AlertKinds.All"/> order, for the filter links.</summary>
    public IReadOnlyList<(string Kind, int Count)> KindCounts { get; private set; } = [];
    public int OwnerTotal { get; private set; }
    public IReadOnlyList<(string Id, string Name)> Owners { get; private set; } = [];
    public DateOnly DefaultSnooze => time.Today().AddDays(14);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        List = await alerts.ListAsync(includeHandled: All, cancellationToken: cancellationToken);
        Owners = List.Alerts.Where(a => a.OwnerUserId is not null).GroupBy(a => a.OwnerUserId!)
            .Select(g => (g.Key, g.First().Owner ?? g.Key)).OrderBy(o => o.Item2, StringComparer.CurrentCulture).ToList();
        var me = User.FindFirstValue(ClaimTypes.NameIdentifier);
        var owned = Owner switch
        {
            null or "" => List.Alerts,
            "me" => List.Alerts.Where(a => a.OwnerUserId == me).ToList(),
            "unassigned" => List.Alerts.Where(a => a.OwnerUserId is null).ToList(),
            var id => List.Alerts.Where(a => a.OwnerUserId == id).ToList(),
        };
        var ownedList = List with { Alerts = owned };
        OwnerTotal = owned.Count;
        KindCounts = ownedList.CountsByKind();
        Shown = ownedList.OfKind(Show).Alerts;
    }

    /// <summary>This page's address with one filter changed, keeping the others.</summary>
    public string Link(string? show = "\0", string? owner = "\0")
    {
        var query = new List<string>();
        if (All) query.Add("all=true");
        var kind = show == "\0" ? Show : show;
        var who = owner == "\0" ? Owner : owner;
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

    public Task<IActionResult> OnPostAcknowledgeAsync(AlertActionInput input, CancellationToken cancellationToken) =>
        Act(() => alerts.AcknowledgeAsync(input, User.Identity?.Name, cancellationToken), "Acknowledged: it comes back if the evidence changes.", cancellationToken);

    public Task<IActionResult> OnPostSnoozeAsync(AlertActionInput input, CancellationToken cancellationToken) =>
        Act(() => alerts.SnoozeAsync(input, User.Identity?.Name, cancellationToken), $"Snoozed until {input.Until:yyyy-MM-dd}.", cancellationToken);

    private async Task<IActionResult> Act(Func<Task> action, string notice, CancellationToken cancellationToken)
    {
        try
        {
            await action();
            TempData["Notice"] = notice;
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

    public static string KindLabel(string kind) => kind switch
    {
        AlertKinds.Declining => "Declining",
        AlertKinds.Lapsed => "Lapsed",
        AlertKinds.TouchOverdue => "Touch overdue",
        AlertKinds.ReciprocityGap => "Refer-back gap",
        AlertKinds.NewReferrer => "New referrer",
        AlertKinds.Rising => "Rising",
        AlertKinds.Concentration => "Concentration",
        _ => kind,
    };
}
