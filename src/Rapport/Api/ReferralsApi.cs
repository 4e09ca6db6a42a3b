using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Referrals;

namespace Rapport.Api;

public static class ReferralsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (ReferralQueue queue, string? stage, int? clinic, int? clinicId, int? source, int? sourceId, int? patientId, string? channel,
            string? status, DateOnly? receivedFrom, DateOnly? receivedTo, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await queue.ListAsync(new ReferralQueueQuery
            {
                Stage = ReferralQueue.ParseStage(stage),
                Status = ApiQuery.Enum<ReferralStatus>(status, "status"),
                ClinicId = clinic ?? clinicId,
                SourceId = source ?? sourceId,
                PatientId = patientId,
                Channel = ApiQuery.Enum<Patients.AcquisitionChannel>(channel, "channel"),
                ReceivedFrom = receivedFrom,
                ReceivedTo = receivedTo,
                Page = page ?? 1,
                PageSize = pageSize ?? 50,
            }, ct)))
            .WithSummary("The referral queue: referrals by stage, overdue to schedule first, then newest received first")
            .WithDescription("stage is received, scheduled, evaluated, in-care, discharged or lost (evaluated: at most the evaluation visit recorded; "
                + "in care: a further visit recorded, not discharged). clinic (or clinicId), source (or sourceId), patientId, channel (an acquisition "
                + "channel: Physician, WebSearch, Website, …) and status (Received, Scheduled, Evaluated, Discharged, Lost) filter; receivedFrom and "
                + "receivedTo are inclusive dates (yyyy-MM-dd). Each item has the referral's fields plus stage, ageDays (calendar days since received), "
                + "businessDaysWaiting (Monday–Friday, received referrals only) and overdueToSchedule (received and waiting longer than the practice's "
                + "setting, default 2 business days); stageCounts give every stage's count with the same filters.")
            .ProducesValidationProblem();

        group.MapPost("/status", async (ReferralStatusChange change, ReferralQueue queue, CancellationToken ct) =>
                TypedResults.Ok(await queue.SetStatusAsync(change, ct)))
            .WithSummary("Move several referrals to Scheduled, Evaluated, Discharged or Lost on one date, all or none")
            .WithDescription("Body: referralIds, status, on (yyyy-MM-dd, default the practice's today), lostReason (required for Lost: "
                + "CouldNotReach, PatientDeclined, WentElsewhere, InsuranceOrCost, NoShow, NotAppropriate, Other) and an optional note. Every problem "
                + "(a date before received, a discharge without evaluation, an unknown id) is listed under errors.referralIds and nothing changes.")
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
            .WithDescription("The status follows from the dates given: scheduledOn, evaluatedOn, dischargedOn, lostOn. A direct-access referral may name "
                + "the event or campaign the patient heard of us at: campaignId, or campaign (its name, matched ignoring case; the id wins); a physician "
                + "referral naming one is refused on campaignId. Read back as campaignId and campaign (the name).")
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
