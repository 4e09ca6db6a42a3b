using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Referrals;

namespace Rapport.Api;

public static class ReferralsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (ReferralService referrals, int? sourceId, int? patientId, int? clinicId, string? status,
            DateOnly? receivedFrom, DateOnly? receivedTo, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await referrals.ListAsync(new ReferralListQuery
            {
                SourceId = sourceId,
                PatientId = patientId,
                ClinicId = clinicId,
                Status = ApiQuery.Enum<ReferralStatus>(status, "status"),
                ReceivedFrom = receivedFrom,
                ReceivedTo = receivedTo,
                Page = page ?? 1,
                PageSize = pageSize ?? 50,
            }, ct)))
            .WithSummary("List referrals (episodes of care), newest received first")
            .WithDescription("receivedFrom and receivedTo are inclusive dates (yyyy-MM-dd). status is Received, Scheduled, Evaluated, Discharged or Lost.")
            .ProducesValidationProblem();

        group.MapGet("/{id:int}", async Task<Results<Ok<ReferralSummary>, ProblemHttpResult>> (int id, ReferralService referrals, CancellationToken ct) =>
            await referrals.GetAsync(id, ct) is { } referral ? TypedResults.Ok(referral) : ApiProblems.NotFound($"Referral {id}"))
            .WithSummary("Get one referral")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async Task<Created<ReferralSummary>> (ReferralInput input, ReferralService referrals, CancellationToken ct) =>
            {
                var referral = await referrals.CreateAsync(input, ct);
                return TypedResults.Created($"{ApiEndpoints.Prefix}/referrals/{referral.Id}", (await referrals.GetAsync(referral.Id, ct))!);
            })
            .WithSummary("Record a referral received (sourceId null for direct access)")
            .WithDescription("The status follows from the dates given: scheduledOn, evaluatedOn, dischargedOn, lostOn.")
            .ProducesValidationProblem();

        group.MapPut("/{id:int}", async Task<Ok<ReferralSummary>> (int id, ReferralInput input, ReferralService referrals, CancellationToken ct) =>
            {
                await referrals.UpdateAsync(id, input, ct);
                return TypedResults.Ok((await referrals.GetAsync(id, ct))!);
            })
            .WithSummary("Replace a referral")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id:int}", async Task<NoContent> (int id, ReferralService referrals, CancellationToken ct) =>
            {
                await referrals.DeleteAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a referral entered by mistake")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
