using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Health;
using Rapport.Liaison;
using Rapport.Users;

namespace Rapport.Pages.CallList;

public sealed class IndexModel(CallListService calls, LiaisonWeekService week) : PageModel
{
    public Health.CallList List { get; private set; } = null!;
    /// <summary>Touches this week against the weekly goal: every liaison's row for an admin or manager, the user's own otherwise.</summary>
    public LiaisonWeek Week { get; private set; } = null!;
    public string? MyId => User.FindFirstValue(ClaimTypes.NameIdentifier);
    public bool SeesEveryone => User.IsInRole(Roles.Admin) || User.IsInRole(Roles.Manager);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        List = await calls.BuildAsync(cancellationToken: cancellationToken);
        Week = await week.WeekAsync(userId: SeesEveryone ? null : MyId ?? "", cancellationToken: cancellationToken);
    }

    /// <summary>The touch form prefilled for this call, coming back to this row of the list once saved.</summary>
    public static string LogTouchUrl(CallListEntry call) =>
        $"/Touchpoints/New?sourceId={call.Source.Id}&purpose={Uri.EscapeDataString(call.Purpose)}&returnUrl={Uri.EscapeDataString($"/CallList#call-{call.Source.Id}")}";

    /// <summary>A phone number as a tel: address: its digits and a leading +, so a phone can dial it.</summary>
    public static string TelUrl(string phone) => "tel:" + new string([.. phone.Where(c => char.IsAsciiDigit(c) || c == '+')]);

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

/// <summary>One call as a table row (a card on a phone); the calls that can wait have no actions.</summary>
public sealed record CallRow(CallListEntry Call, int Rank, bool Actions, DateOnly Today);
