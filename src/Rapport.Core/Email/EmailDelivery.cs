using Microsoft.Extensions.Options;

namespace Rapport.Email;

/// <summary>Where a message stands, as staff see it.</summary>
public enum DeliveryStatus { Queued, Sent, Failed }

/// <summary>
/// The delivery state of one outbox message, read from the outbox (the only truth about it).
/// <list type="bullet">
/// <item><b>Sent</b>: the SMTP server accepted it.</item>
/// <item><b>Failed</b>: an attempt failed — shown from the first failed attempt, so staff see a
/// problem within a poll, not after the last of the automatic retries (which can take a day and a
/// half). While retries remain, <see cref="NextAttemptAt"/> says when the next one is; once they are
/// used up it is null and only a Retry sends the message again.</item>
/// <item><b>Queued</b>: waiting for its first attempt (or for the attempt a Retry asked for).</item>
/// </list>
/// </summary>
public sealed record EmailDelivery(long OutboxMessageId, DeliveryStatus Status, string? Error, int Attempts, DateTime? NextAttemptAt, DateTime? SentAt)
{
    public bool CanRetry => Status == DeliveryStatus.Failed;

    public static EmailDelivery Of(OutboxMessage message) =>
        Of(message.Id, message.Status, message.LastError, message.Attempts, message.NextAttemptAt, message.SentAt);

    public static EmailDelivery Of(long id, OutboxStatus status, string? lastError, int attempts, DateTime nextAttemptAt, DateTime? sentAt) => status switch
    {
        OutboxStatus.Sent => new(id, DeliveryStatus.Sent, null, attempts, null, sentAt),
        OutboxStatus.Failed => new(id, DeliveryStatus.Failed, lastError, attempts, null, null),
        _ when lastError is not null => new(id, DeliveryStatus.Failed, lastError, attempts, nextAttemptAt, null),
        _ => new(id, DeliveryStatus.Queued, null, attempts, nextAttemptAt, null),
    };
}

/// <summary>
/// Raised before anything is queued when a feature would e-mail but no SMTP server is configured:
/// the message would only wait in the outbox while the screen said it went.
/// </summary>
public sealed class EmailNotConfiguredException()
    : Exception("No mail server is configured, so nothing was sent or queued. An administrator sets the SMTP server in the Email settings "
        + "(Email:Host, e.g. the environment variable RAPPORT_Email__Host, with Email:Port, Email:User, Email:Password and Email:From) and restarts Rapport; "
        + "Settings → E-mail outbox shows the current setup. Until then, fax or mail letters and mark them sent.")
{
    /// <summary>The page that explains the setup.</summary>
    public const string SettingsPage = "/Settings/Outbox";
    public const string Setting = "Email:Host";
}

/// <summary>Whether this installation can send e-mail; asked by every feature before it queues a message.</summary>
public sealed class MailServer(IOptionsMonitor<EmailOptions> options)
{
    public bool IsConfigured => options.CurrentValue.IsConfigured;

    /// <summary>The configured server as "host:port" (never the credentials), or null.</summary>
    public string? Describe() => options.CurrentValue is { IsConfigured: true } o ? $"{o.Host}:{o.Port}" : null;

    public string From => options.CurrentValue.From;

    public int MaxAttempts => options.CurrentValue.MaxAttempts;

    public void EnsureConfigured()
    {
        if (!IsConfigured)
        {
            throw new EmailNotConfiguredException();
        }
    }
}

/// <summary>
/// Told when the dispatcher has handed a message to the SMTP server. The dispatcher works for every
/// practice and knows nothing of letters or surveys; a feature that must act on delivery (a letter
/// counts as sent only then) registers one of these. Calls may repeat for the same message (a
/// Retry of a sent message asks again), so an observer must be idempotent.
/// </summary>
public interface IOutboxDeliveryObserver
{
    Task DeliveredAsync(OutboxDelivered delivered, CancellationToken cancellationToken);
}

/// <summary>A message the SMTP server accepted: which one, whose, and when.</summary>
public sealed record OutboxDelivered(long OutboxMessageId, int? OrganizationId, DateTime SentAt);
