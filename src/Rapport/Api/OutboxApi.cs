using Rapport.Email;

namespace Rapport.Api;

/// <summary>The practice's e-mail outbox: what went, what waits, what failed, and Retry.</summary>
public static class OutboxApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (string? status, int? page, int? pageSize, OutboxMessages outbox, CancellationToken ct) =>
                TypedResults.Ok(await outbox.ListAsync(ApiQuery.Enum<DeliveryStatus>(status, "status"), page, pageSize, ct)))
            .WithSummary("The practice's e-mails (letters, survey invitations, digests), newest first, with their delivery state")
            .WithDescription("status: Queued, Sent or Failed. A message is Failed from its first failed attempt: delivery.nextAttemptAt is the next "
                + "automatic try, null once the automatic tries are used up. Bodies are not returned (letters carry patient details).")
            .ProducesValidationProblem();

        group.MapPost("/{id:long}/retry", async (long id, OutboxMessages outbox, CancellationToken ct) => TypedResults.Ok(await outbox.RetryAsync(id, ct)))
            .WithSummary("Try a message again now; returns its delivery state after the attempt (Sent, or Failed with the new error)")
            .WithDescription("A letter whose e-mail is sent by a retry becomes sent: it leaves the due list and its touchpoint is logged, once. "
                + "Retrying a message that was already sent sends nothing. 409 when no mail server is configured.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }
}
