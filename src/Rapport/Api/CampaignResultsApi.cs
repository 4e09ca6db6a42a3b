using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Campaigns;

namespace Rapport.Api;

/// <summary>What a campaign brought (JSON and the one-page PDF), and the attribution window setting.</summary>
public static class CampaignResultsApi
{
    public static void Map(RouteGroupBuilder campaigns)
    {
        campaigns.MapGet("/{id:int}/results", async Task<Ok<CampaignResults>> (int id, CampaignResultsService results, CancellationToken ct) =>
                TypedResults.Ok(await results.ResultsAsync(id, ct)))
            .WithSummary("A campaign's results by the attribution rule: costs, sources reached, new referring sources, attributed referrals, visits, "
                + "estimated revenue, cost per new referring source and per referral, return on spend, the comparison group, the timeline and months")
            .WithDescription("Rule (docs/campaigns.md): a physician referral counts for the campaign of its source's latest campaign touch at most "
                + "attributionWindowDays before it; a direct-access referral for the campaign its patient named at intake. Shares and rates are fractions "
                + "with 95% intervals (Wilson for shares, exact Poisson for referrals per source per month). estimatedRevenue is null until a revenue per "
                + "visit is set; visits without a rate are in visitsWithoutRate. The timeline names sources, never patients.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        campaigns.MapGet("/{id:int}/results.pdf", async Task<FileContentHttpResult> (int id, CampaignResultsService results, CancellationToken ct) =>
            {
                var report = await results.ResultsAsync(id, ct);
                return TypedResults.File(CampaignResultsPdf.Render(report), "application/pdf", CampaignResultsPdf.FileName(report));
            })
            .WithSummary("The campaign's results as a one-page PDF for the practice owner (the same figures as /results)")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static void MapSettings(RouteGroupBuilder settings)
    {
        settings.MapGet("/campaigns", async Task<Ok<CampaignSettingsView>> (CampaignSettingsService service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetAsync(ct)))
            .WithSummary("The campaign attribution window in days (default 90)");

        settings.MapPut("/campaigns", async Task<Ok<CampaignSettingsView>> (CampaignSettingsView input, CampaignSettingsService service, CancellationToken ct) =>
                TypedResults.Ok(await service.SaveAsync(input, ct)))
            .WithSummary("Set the campaign attribution window: {\"attributionWindowDays\": 1..730}")
            .ProducesValidationProblem();
    }
}
