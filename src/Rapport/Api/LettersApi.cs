using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Common;
using Rapport.Letters;

namespace Rapport.Api;

/// <summary>How a letter goes: email (queued, PDF attached, to the source's own address; sent when the mail server accepts it), fax or mail (recorded as sent by hand).</summary>
public sealed record LetterSendRequest(string? Via, DateOnly? SentOn);

public sealed record LetterNotesRequest(string? Notes);

/// <summary>Closing-the-loop letters: /letters/due and /referrals/{id}/letters.</summary>
public static class LettersApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/letters/due", async (int? sourceId, int? clinicId, DateOnly? asOf, bool? overdueOnly, LetterService letters, CancellationToken ct) =>
                TypedResults.Ok(await letters.DueAsync(new LetterDueQuery { SourceId = sourceId, ClinicId = clinicId, AsOf = asOf, OverdueOnly = overdueOnly ?? false }, ct)))
            .WithTags("Letters")
            .WithSummary("Letters owed to referring sources now (state Due or Overdue), most overdue first")
            .WithDescription("A letter is due from its event (evaluation, the progress visit, discharge) and overdue after the practice's "
                + "'overdue after' days (default 7); events older than the look-back (default 60 days) are not listed. asOf computes as if today were that date.");

        var episode = api.MapGroup("/referrals/{referralId:int}/letters").WithTags("Letters");
        episode.MapGet("/", async (int referralId, LetterService letters, CancellationToken ct) => TypedResults.Ok(await letters.EpisodeAsync(referralId, ct)))
            .WithSummary("Where the episode's evaluation, progress and discharge letters stand, their draft notes and the letters sent")
            .ProducesProblem(StatusCodes.Status404NotFound);

        episode.MapGet("/{kind}.pdf", async (int referralId, string kind, LetterService letters, CancellationToken ct) =>
            {
                var letter = await letters.PdfAsync(referralId, Kind(kind), ct);
                return TypedResults.File(letter.Pdf.Bytes, "application/pdf", letter.FileName);
            })
            .WithSummary("The letter as PDF (kind: evaluation, progress or discharge); recorded in the audit trail as a disclosure")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        episode.MapGet("/{kind}/fax-cover.pdf", async (int referralId, string kind, LetterService letters, CancellationToken ct) =>
            {
                var cover = await letters.FaxCoverAsync(referralId, Kind(kind), ct);
                return TypedResults.File(cover.Pdf.Bytes, "application/pdf", $"fax-cover-referral-{referralId}.pdf");
            })
            .WithSummary("A fax cover sheet for the letter: to, from, fax numbers, page count and confidentiality notice (names no patient)")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        episode.MapPut("/{kind}/notes", async Task<NoContent> (int referralId, string kind, LetterNotesRequest request, LetterService letters, CancellationToken ct) =>
            {
                await letters.SaveNotesAsync(referralId, Kind(kind), request.Notes, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Save the clinician's words for the next letter of this kind (Markdown: plan and goals, progress, recommendations)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        episode.MapPost("/{kind}/send", async (int referralId, string kind, LetterSendRequest? request, LetterService letters, CancellationToken ct) =>
                TypedResults.Ok(await letters.SendAsync(referralId, Kind(kind), ApiQuery.Enum<LetterDelivery>(request?.Via, "via") ?? LetterDelivery.Email,
                    request?.SentOn, ct)))
            .WithSummary("Send the letter by e-mail to the referring source's address (PDF attached), or record it as faxed or mailed")
            .WithDescription("via: email (default), fax or mail. sentOn (fax or mail only) defaults to today. Fax or mail: the letter is sent now, "
                + "one touchpoint is logged on the source (method Fax or Letter) and it is no longer due. Email: the letter is queued "
                + "(emailDelivery.status Queued, no sentOn, no touchpoint yet); it becomes sent, leaves the due list and logs its Email touchpoint "
                + "when the mail server accepts it. A failed e-mail shows as emailDelivery.status Failed with its error; retry it with "
                + "POST /api/v1/outbox/{emailDelivery.outboxMessageId}/retry. 409 when no mail server is configured (nothing is queued).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static LetterKind Kind(string kind) =>
        LetterFormat.ParseKind(kind) ?? throw new ValidationException("kind", $"'{kind}' is not a letter kind: use evaluation, progress or discharge.");
}
