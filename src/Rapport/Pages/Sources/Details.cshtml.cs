using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.ReferBacks;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Pages.Sources;

public sealed class DetailsModel(SourceQueries queries, SourceService sources, TouchpointService touches, ReferBackService referBacks, Health.AlertService alerts) : PageModel
{
    /// <summary>Rows per list before "show all": a source page should read at a glance.</summary>
    public const int ShortList = 12;

    public SourceDetails Details { get; private set; } = null!;

    /// <summary>The source's open alerts (the whole practice is evaluated: false-discovery control spans every source).</summary>
    public IReadOnlyList<Health.AlertView> Alerts { get; private set; } = [];

    public Health.SourceSpend Spend { get; private set; } = null!;

    /// <summary>Set by <c>?all=true</c>: show every patient, touch and refer-back the page loaded.</summary>
    [BindProperty(SupportsGet = true)] public bool All { get; set; }

    public IEnumerable<T> Shown<T>(IReadOnlyList<T> rows) => All ? rows : rows.Take(ShortList);

    public bool HasMore<T>(IReadOnlyList<T> rows) => !All && rows.Count > ShortList;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await queries.DetailsAsync(id, cancellationToken: cancellationToken) is not { } details)
        {
            return NotFound();
        }
        Details = details;
        Alerts = (await alerts.ListAsync(sourceId: id, cancellationToken: cancellationToken)).Alerts;
        Spend = await alerts.SpendAsync(id, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostArchiveAsync(int id, CancellationToken cancellationToken) =>
        Act(id, () => sources.SetArchivedAsync(id, true, cancellationToken), "Archived: the source is hidden from lists but its history is kept.");

    public Task<IActionResult> OnPostUnarchiveAsync(int id, CancellationToken cancellationToken) =>
        Act(id, () => sources.SetArchivedAsync(id, false, cancellationToken), "Restored to the lists.");

    public Task<IActionResult> OnPostDeleteTouchAsync(int id, int touchId, CancellationToken cancellationToken) =>
        Act(id, () => touches.DeleteAsync(touchId, cancellationToken), "Touch deleted.");

    public Task<IActionResult> OnPostDeleteReferBackAsync(int id, int referBackId, CancellationToken cancellationToken) =>
        Act(id, () => referBacks.DeleteAsync(referBackId, cancellationToken), "Refer-back deleted.");

    private async Task<IActionResult> Act(int id, Func<Task> action, string notice)
    {
        try
        {
            await action();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        TempData["Notice"] = notice;
        return Redirect($"/Sources/{id}");
    }
}
