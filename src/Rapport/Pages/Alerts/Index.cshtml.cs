using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Health;
using Rapport.Pages.Shared;

namespace Rapport.Pages.Alerts;

public sealed class IndexModel(AlertService alerts, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public bool All { get; set; }
    public AlertList List { get; private set; } = null!;
    public DateOnly DefaultSnooze => time.Today().AddDays(14);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        List = await alerts.ListAsync(includeHandled: All, cancellationToken: cancellationToken);

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
            List = await alerts.ListAsync(includeHandled: All, cancellationToken: cancellationToken);
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
