using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Letters;
using Rapport.Nps;

namespace Rapport.Email;

/// <summary>What an outbox message carries, so a list can link to it.</summary>
public enum OutboxTopic { Other, Letter, SurveyInvitation }

/// <summary>One of the practice's messages with its delivery state and what it is about (never its body: letters carry PHI).</summary>
public sealed record OutboxEntry(long Id, string To, string Subject, DateTime CreatedAt, EmailDelivery Delivery, OutboxTopic Topic, int? ReferralId,
    LetterKind? LetterKind, int? PatientId);

/// <summary>
/// The practice's own view of the outbox: its recent messages, their delivery state, and Retry.
/// The outbox table is shared by all practices; every query here is limited to the current one.
/// </summary>
public sealed class OutboxMessages(RapportDbContext db, OutboxDispatcher dispatcher, MailServer mail, PracticeClock time)
{
    private IQueryable<OutboxMessage> Mine
    {
        get
        {
            var organizationId = db.Organization.RequiredId;
            return db.Set<OutboxMessage>().AsNoTracking().Where(m => m.OrganizationId == organizationId);
        }
    }

    /// <summary>Newest first; <paramref name="status"/> narrows to one delivery state (Failed: any failed attempt not yet sent).</summary>
    public async Task<Paged<OutboxEntry>> ListAsync(DeliveryStatus? status = null, int? page = null, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        var (number, size) = Paging.Clamp(page, pageSize);
        var messages = status switch
        {
            DeliveryStatus.Sent => Mine.Where(m => m.Status == OutboxStatus.Sent),
            DeliveryStatus.Failed => Mine.Where(m => m.Status == OutboxStatus.Failed || (m.Status == OutboxStatus.Queued && m.LastError != null)),
            DeliveryStatus.Queued => Mine.Where(m => m.Status == OutboxStatus.Queued && m.LastError == null),
            _ => Mine,
        };
        var total = await messages.CountAsync(cancellationToken);
        var rows = await messages.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Skip((number - 1) * size).Take(size)
            .Select(m => new { m.Id, m.To, m.Subject, m.CreatedAt, m.Status, m.LastError, m.Attempts, m.NextAttemptAt, m.SentAt })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var letters = await db.Set<Letter>().AsNoTracking().Where(l => l.OutboxMessageId != null && ids.Contains(l.OutboxMessageId.Value))
            .Select(l => new { Id = l.OutboxMessageId!.Value, l.ReferralId, l.Kind }).ToListAsync(cancellationToken);
        var invitations = await db.Set<SurveyInvitation>().AsNoTracking().Where(i => i.OutboxMessageId != null && ids.Contains(i.OutboxMessageId.Value))
            .Select(i => new { Id = i.OutboxMessageId!.Value, i.PatientId }).ToListAsync(cancellationToken);
        var items = rows.Select(r =>
        {
            var delivery = EmailDelivery.Of(r.Id, r.Status, r.LastError, r.Attempts, r.NextAttemptAt, r.SentAt);
            var letter = letters.FirstOrDefault(l => l.Id == r.Id);
            var invitation = invitations.FirstOrDefault(i => i.Id == r.Id);
            return letter is not null ? new OutboxEntry(r.Id, r.To, r.Subject, r.CreatedAt, delivery, OutboxTopic.Letter, letter.ReferralId, letter.Kind, null)
                : invitation is not null ? new OutboxEntry(r.Id, r.To, r.Subject, r.CreatedAt, delivery, OutboxTopic.SurveyInvitation, null, null, invitation.PatientId)
                : new OutboxEntry(r.Id, r.To, r.Subject, r.CreatedAt, delivery, OutboxTopic.Other, null, null, null);
        }).ToList();
        return new Paged<OutboxEntry>(items, total, number, size);
    }

    /// <summary>How many of the practice's messages have a failed attempt and are not sent.</summary>
    public Task<int> FailedCountAsync(CancellationToken cancellationToken = default) =>
        Mine.CountAsync(m => m.Status == OutboxStatus.Failed || (m.Status == OutboxStatus.Queued && m.LastError != null), cancellationToken);

    public async Task<EmailDelivery> DeliveryAsync(long id, CancellationToken cancellationToken = default) =>
        EmailDelivery.Of(await Mine.FirstOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw new NotFoundException($"Outbox message {id}"));

    /// <summary>One delivery attempt now (a queued message is not left for the worker), and the state it ends in.</summary>
    public async Task<EmailDelivery> SendNowAsync(long id, CancellationToken cancellationToken = default)
    {
        await dispatcher.DeliverNowAsync(id, cancellationToken);
        return await DeliveryAsync(id, cancellationToken);
    }

    /// <summary>
    /// Tries a message again now, in this request, so the person who pressed Retry sees the outcome
    /// (Sent, or Failed with the new error). A message that failed for good gets this one attempt
    /// (and no new automatic ones); one with retries left keeps its remaining schedule. A message that
    /// was already sent is not sent again; its delivery is reported to the features once more (they
    /// ignore what they already recorded), which repairs a letter whose "sent" could not be recorded.
    /// </summary>
    public async Task<EmailDelivery> RetryAsync(long id, CancellationToken cancellationToken = default)
    {
        var message = await Mine.FirstOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw new NotFoundException($"Outbox message {id}");
        if (message.Status == OutboxStatus.Sent)
        {
            await dispatcher.NotifyDeliveredAsync(id, cancellationToken);
            return EmailDelivery.Of(message);
        }
        mail.EnsureConfigured();
        var now = time.UtcNow;
        await db.Set<OutboxMessage>()
            .Where(m => m.Id == id && m.Status != OutboxStatus.Sent && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Queued).SetProperty(m => m.NextAttemptAt, now)
                .SetProperty(m => m.LastError, (string?)null), cancellationToken);
        return await SendNowAsync(id, cancellationToken);
    }
}
