using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Campaigns;

namespace Rapport.Api;

/// <summary>The targets to add: existing sources by id and registry physicians by NPI (added as prospects when new).</summary>
public sealed record CampaignTargetsRequest(IReadOnlyList<int>? SourceIds, IReadOnlyList<string>? Npis, int? ClinicId);

/// <summary>Campaign records: the list with its headline results, one campaign, writes, the bulk log of people met, and targets.</summary>
public static class CampaignsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (CampaignResultsService results, int? clinicId, string? kind, int? year, bool? includeArchived, CancellationToken ct) =>
            TypedResults.Ok(await results.SummariesAsync(new CampaignListQuery
            {
                ClinicId = clinicId,
                Kind = ApiQuery.Enum<CampaignKind>(kind, "kind"),
                Year = year,
                IncludeArchived = includeArchived ?? false,
            }, ct)))
            .WithSummary("List campaigns with what each cost and brought, newest start first")
            .WithDescription("kind is a CampaignKind name, case-insensitive; year keeps campaigns running at any time in that calendar year.")
            .ProducesValidationProblem();

        group.MapGet("/{id:int}", async Task<Results<Ok<CampaignDetails>, ProblemHttpResult>> (int id, CampaignService campaigns, CancellationToken ct) =>
            await campaigns.GetAsync(id, ct) is { } campaign ? TypedResults.Ok(campaign) : ApiProblems.NotFound($"Campaign {id}"))
            .WithSummary("Get one campaign: fields, clinics, cost lines, targets (reached or not) and its touch count")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async Task<Created<CampaignDetails>> (CampaignInput input, CampaignService campaigns, CancellationToken ct) =>
            {
                var campaign = await campaigns.CreateAsync(input, ct);
                return TypedResults.Created($"{ApiEndpoints.Prefix}/campaigns/{campaign.Id}", (await campaigns.GetAsync(campaign.Id, ct))!);
            })
            .WithSummary("Create a campaign")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPut("/{id:int}", async Task<Ok<CampaignDetails>> (int id, CampaignInput input, CampaignService campaigns, CancellationToken ct) =>
            {
                await campaigns.UpdateAsync(id, input, ct);
                return TypedResults.Ok((await campaigns.GetAsync(id, ct))!);
            })
            .WithSummary("Replace a campaign (its clinics and cost lines become those sent)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{id:int}", async Task<NoContent> (int id, CampaignService campaigns, CancellationToken ct) =>
            {
                await campaigns.DeleteAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a campaign that no touch or referral names (otherwise 400: archive it instead)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:int}/archive", async Task<NoContent> (int id, CampaignService campaigns, CancellationToken ct) =>
            {
                await campaigns.SetArchivedAsync(id, true, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Archive a campaign (hidden from the list and the touch form; results kept)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:int}/unarchive", async Task<NoContent> (int id, CampaignService campaigns, CancellationToken ct) =>
            {
                await campaigns.SetArchivedAsync(id, false, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Bring an archived campaign back")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:int}/people", async Task<Ok<CampaignPeopleResult>> (int id, CampaignPeopleInput input, CampaignService campaigns, CancellationToken ct) =>
                // API keys belong to the practice, not to a user: byName carries who met them.
                TypedResults.Ok(await campaigns.LogPeopleAsync(id, input, byUserId: null, ct)))
            .WithSummary("Log the people met at an event: new people become sources, each gets one touch in the campaign (all or nothing)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:int}/targets", async Task<Ok<CampaignTargetsResult>> (int id, CampaignTargetsRequest request, CampaignService campaigns, CancellationToken ct) =>
                TypedResults.Ok(await campaigns.AddTargetsAsync(id, new CampaignTargetsInput { SourceIds = request.SourceIds, Npis = request.Npis, ClinicId = request.ClinicId }, ct)))
            .WithSummary("Target sources by id and registry physicians by NPI (new NPIs become Prospect sources); refusals are listed with the reason")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id:int}/targets/{sourceId:int}", async Task<NoContent> (int id, int sourceId, CampaignService campaigns, CancellationToken ct) =>
            {
                await campaigns.RemoveTargetAsync(id, sourceId, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Stop targeting a source")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
