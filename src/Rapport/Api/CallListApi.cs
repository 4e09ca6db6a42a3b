using Rapport.Health;
using Rapport.Liaison;

namespace Rapport.Api;

public static class CallListApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (CallListService calls, DateOnly? asOf, CancellationToken ct) => TypedResults.Ok(await calls.BuildAsync(asOf, ct)))
            .WithSummary("This week's call list: sources to contact, most urgent first (referrals/month at risk, overdue touches), grouped by relationship owner")
            .ProducesValidationProblem();

        group.MapGet("/ics", async (CallListService calls, DateOnly? asOf, bool? all, CancellationToken ct) =>
                TypedResults.Text(CallListService.ToICalendar(await calls.BuildAsync(asOf, ct), all ?? false), "text/calendar; charset=utf-8"))
            .WithSummary("This week's call list as iCalendar follow-up tasks (VTODO); all=true adds the calls that can wait");

        group.MapGet("/csv", async (CallListService calls, DateOnly? asOf, bool? all, CancellationToken ct) =>
                TypedResults.Text(CallListService.ToCsv(await calls.BuildAsync(asOf, ct), all ?? false), "text/csv; charset=utf-8"))
            .WithSummary("This week's call list as CSV; all=true adds the calls that can wait (thisWeek = no)");

        group.MapGet("/week", async (LiaisonWeekService week, DateOnly? asOf, CancellationToken ct) => TypedResults.Ok(await week.WeekAsync(asOf, cancellationToken: ct)))
            .WithSummary("The practice's week (Monday to the as-of day): touches each liaison logged, by method, against their weekly goal")
            .ProducesValidationProblem();
    }
}
