using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Health;

namespace Rapport.Pages.CallList;

public sealed class IndexModel(CallListService calls) : PageModel
{
    public Health.CallList List { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => List = await calls.BuildAsync(cancellationToken: cancellationToken);

    /// <summary>The same list as follow-up tasks for a calendar app.</summary>
    public async Task<IActionResult> OnGetIcsAsync(CancellationToken cancellationToken)
    {
        var list = await calls.BuildAsync(cancellationToken: cancellationToken);
        return File(System.Text.Encoding.UTF8.GetBytes(CallListService.ToICalendar(list)), "text/calendar", $"rapport-calls-{list.WeekOf:yyyy-MM-dd}.ics");
    }

    public async Task<IActionResult> OnGetCsvAsync(bool all, CancellationToken cancellationToken)
    {
        var list = await calls.BuildAsync(cancellationToken: cancellationToken);
        return File(System.Text.Encoding.UTF8.GetBytes(CallListService.ToCsv(list, all)), "text/csv", $"rapport-calls-{list.WeekOf:yyyy-MM-dd}.csv");
    }
}
