using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Common;
using Rapport.Nps;

namespace Rapport.Api;

public sealed record CloseFollowUpRequest(string? Note);

public sealed record InviteRequest(IReadOnlyList<int>? PatientIds);

public static class NpsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async Task<Results<Ok<NpsResult>, Ok<List<NpsResult>>>> (NpsResults results, string? by, DateOnly? from, DateOnly? to,
                int? clinicId, string? therapist, int? sourceId, CancellationToken ct) =>
            {
                var filter = new NpsFilter { From = from, To = to, ClinicId = clinicId, Therapist = therapist, SourceId = sourceId };
                return ParseGrouping(by) is { } grouping
                    ? TypedResults.Ok(await results.ByAsync(grouping, filter, ct))
                    : TypedResults.Ok(await results.SummaryAsync(filter, ct));
            })
            .WithSummary("Net Promoter Score with counts and 95% margin of error")
            .WithDescription("Without `by`: one object (nps, n, promoters, passives, detractors, marginOfError, invited, responseRate). "
                + "With `by` = clinic, therapist, source, month or payer: an array of such objects, each with `group`.")
            .ProducesValidationProblem();

        group.MapGet("/sources/{id:int}", async (int id, NpsResults results, CancellationToken ct) => TypedResults.Ok(await results.ForSourceAsync(id, ct)))
            .WithSummary("NPS of one referring source's patients")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/comments", async (NpsResults results, DateOnly? from, DateOnly? to, int? clinicId, int? sourceId, NpsCategory? category,
                bool? sharedOnly, CancellationToken ct) =>
            TypedResults.Ok(await results.CommentsAsync(new NpsCommentQuery
            {
                From = from, To = to, ClinicId = clinicId, SourceId = sourceId, Category = category, SharedOnly = sharedOnly ?? false,
            }, ct)))
            .WithSummary("Survey comments, newest first (no patient names)")
            .WithDescription("sharedOnly keeps comments the patient agreed may be quoted to their physician without their name.");

        group.MapPost("/responses", async (IReadOnlyList<NpsImportRow> rows, NpsImport import, CancellationToken ct) =>
                TypedResults.Ok(await import.ImportAsync(rows, ct)))
            .WithSummary("Import answers collected by another survey tool")
            .WithDescription("All or nothing: any bad row rejects the batch (errors keyed rows[i].field). Rows whose externalId was already imported are skipped.")
            .ProducesValidationProblem();

        group.MapGet("/invitations", async (SurveyInvitations invitations, int? patientId, CancellationToken ct) =>
                TypedResults.Ok(await invitations.ListAsync(patientId, ct)))
            .WithSummary("Survey invitations with delivery status and attempts")
            .WithDescription("status Failed from the e-mail's first failed attempt (retries continue); retry with POST /api/v1/outbox/{outboxMessageId}/retry.");

        group.MapPost("/invitations", async (InviteRequest request, SurveyInvitations invitations, CancellationToken ct) =>
                TypedResults.Ok(await invitations.InvitePatientsAsync(request.PatientIds ?? [], ct)))
            .WithSummary("Invite patients (their latest episode) to the survey now")
            .WithDescription("409 when no mail server is configured (nothing is queued).")
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/followups", async (DetractorFollowUps followUps, bool? closed, CancellationToken ct) =>
                TypedResults.Ok(await followUps.ListAsync(!(closed ?? false), ct)))
            .WithSummary("Detractor follow-up tasks (open by default)");

        group.MapPost("/followups/{id:int}/close", async (int id, CloseFollowUpRequest request, DetractorFollowUps followUps, CancellationToken ct) =>
            {
                await followUps.CloseAsync(id, request.Note, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Close a follow-up with a note of what was done")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static NpsGrouping? ParseGrouping(string? by) =>
        Formats.Clean(by) is not { } text ? null
        : Enum.TryParse<NpsGrouping>(text, ignoreCase: true, out var grouping) && Enum.IsDefined(grouping) ? grouping
        : throw new ValidationException("by", $"'{text}' is not one of clinic, therapist, source, month, payer.");
}
