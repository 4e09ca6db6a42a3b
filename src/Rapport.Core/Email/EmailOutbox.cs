using Rapport.Data;
using Rapport.Common;

namespace Rapport.Email;

/// <summary>
/// The one way features send mail: the message joins the caller's unit of work, so it is saved
/// with the change that caused it or not at all, and <see cref="OutboxWorker"/> delivers it later.
/// Nothing is queued without a mail server: features check <see cref="MailServer"/> first so they can
/// say so in their own terms; this refusal is the backstop for one that forgot.
/// </summary>
public sealed class EmailOutbox(RapportDbContext db, MailServer mail, PracticeClock time)
{
    /// <summary>Adds the message to the current unit of work; the caller's SaveChanges queues it.</summary>
    public OutboxMessage Add(EmailMessage message)
    {
        mail.EnsureConfigured();
        var now = time.GetUtcNow().UtcDateTime;
        var row = new OutboxMessage
        {
            OrganizationId = db.Organization.Id,
            To = message.To,
            Subject = message.Subject,
            TextBody = message.TextBody,
            HtmlBody = message.HtmlBody,
            Status = OutboxStatus.Queued,
            CreatedAt = now,
            NextAttemptAt = now,
            Attachments = [.. message.Attachments.Select(a => new OutboxAttachment { FileName = a.FileName, ContentType = a.ContentType, Content = a.Content })],
        };
        db.Set<OutboxMessage>().Add(row);
        return row;
    }

    public async Task<OutboxMessage> EnqueueAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var row = Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }
}
