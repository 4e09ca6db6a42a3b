using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Outcomes;

namespace Rapport.Api;

/// <summary>An assessment as the API takes it: answers as an array (null = missing) or the text form "4,3,,2".</summary>
public sealed record AssessmentRequest(string? Instrument, Timepoint? Timepoint, DateOnly? AssessedOn, System.Text.Json.JsonElement Answers,
    IReadOnlyList<string?>? ItemNames, int? VisitNumber);

public static class OutcomesApi
{
    /// <summary>Maps /referrals/{referralId}/assessments and /outcomes on the API group.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        var assessments = api.MapGroup("/referrals/{referralId:int}/assessments").WithTags("Outcomes");
        assessments.MapGet("/", async (int referralId, AssessmentService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(referralId, ct)))
            .WithSummary("The episode's outcome assessments, oldest first")
            .ProducesProblem(StatusCodes.Status404NotFound);

        assessments.MapPost("/", async Task<Created<AssessmentSummary>> (int referralId, AssessmentRequest request, AssessmentService service, CancellationToken ct) =>
            {
                var created = await service.CreateAsync(referralId, new AssessmentInput
                {
                    Instrument = request.Instrument,
                    Timepoint = request.Timepoint,
                    AssessedOn = request.AssessedOn,
                    Answers = InstrumentsApi.ReadAnswers(request.Answers),
                    ItemNames = request.ItemNames,
                    VisitNumber = request.VisitNumber,
                }, ct);
                return TypedResults.Created($"{ApiEndpoints.Prefix}/referrals/{referralId}/assessments/{created.Id}", created);
            })
            .WithSummary("Record an assessment; raw, score and scorable are computed by the instrument's rule, never taken from the request")
            .WithDescription("timepoint: Intake, Interim, Discharge or FollowUp. answers: an array in item order (null = missing) or \"4,3,,2\".")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        assessments.MapDelete("/{id:int}", async Task<NoContent> (int referralId, int id, AssessmentService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(referralId, id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete an assessment")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/referrals/{referralId:int}/outcomes", async (int referralId, AssessmentService service, CancellationToken ct) =>
                TypedResults.Ok(await service.TracksAsync(referralId, ct)))
            .WithTags("Outcomes")
            .WithSummary("The episode's forms per instrument with each instrument's episode outcome: change, MCID reached, days and visits to MCID")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/outcomes", async (string? instrument, string? by, DateOnly? from, DateOnly? to, int? minCell, OutcomeResults results, CancellationToken ct) =>
                TypedResults.Ok(await results.CohortAsync(new CohortQuery
                {
                    Instrument = instrument, By = CohortSlices.Parse(by), From = from, To = to, MinimumCellSize = minCell,
                }, ct)))
            .WithTags("Outcomes")
            .WithSummary("Cohort results for one instrument: n, mean and median change with 95% CI, share reaching MCID, Kaplan–Meier days to MCID")
            .WithDescription("by: all, procedure, body-region, icd10, clinic, therapist, source, payer, month (intake month) or condition (procedure, else body region). "
                + "from/to filter on the intake date. Groups with fewer episodes than minCell (default: configuration Outcomes:MinimumCellSize, 5) are suppressed.")
            .ProducesValidationProblem();
    }
}
