using Rapport.Dashboard;

namespace Rapport.Api;

public static class DashboardApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (DashboardService dashboard, int? clinicId, DateOnly? from, DateOnly? to, CancellationToken ct) =>
                TypedResults.Ok(await dashboard.GetAsync(new DashboardQuery { ClinicId = clinicId, From = from, To = to }, ct)))
            .WithSummary("The practice dashboard's figures: referrals per month by channel, top sources with monthly counts, conversion, "
                + "median days received → evaluated, this month's touches by method and refer-backs. from/to (yyyy-MM-dd) are rounded to whole months; "
                + "default the last 24 months.");
    }
}
