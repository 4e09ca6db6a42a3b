using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rapport.Data;

namespace Rapport.Email;

/// <summary>
/// Delivers due outbox messages. Several web nodes may run this at once: a node first claims a
/// message with a conditional update (only a row nobody holds, or whose lease ran out, can be
/// claimed), so two nodes never send the same message. A node that dies after sending but before
/// recording it lets the lease lapse and the message goes once more: delivery is at least once,
/// which is the honest promise of any outbox.
/// </summary>
public sealed partial class OutboxDispatcher(RapportDbContext db, IEmailSender sender, IOptionsMonitor<EmailOptions> options, TimeProvider time,
    IEnumerable<IOutboxDeliveryObserver> observers, ILogger<OutboxDispatcher> logger)
{
    /// <summary>Identifies this process in claims.</summary>
    public static readonly string NodeId = Tenancy.NodeIdentity.Id;

    private DbSet<OutboxMessage> Outbox => db.Set<OutboxMessage>();

    /// <summary>
    /// Sends every message that is due now; returns how many were delivered. With no SMTP server
    /// configured nothing is tried: an attempt could only fail, and the messages wait untouched
    /// (their attempts unspent) until one is.
    /// </summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        if (!settings.IsConfigured)
        {
            return 0;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var due = await Outbox.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Queued && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Select(m => m.Id).Take(100).ToListAsync(cancellationToken);
        var delivered = 0;
        foreach (var id in due)
        {
            if (await TryDeliverAsync(id, settings, cancellationToken) == true)
            {
                delivered++;
            }
        }
        return delivered;
    }

    /// <summary>
    /// One attempt at one queued message now, whatever its schedule (a Retry). Returns whether it was
    /// delivered, or null when it could not be claimed (not queued, or another node is sending it).
    /// </summary>
    public async Task<bool?> DeliverNowAsync(long id, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        return settings.IsConfigured ? await TryDeliverAsync(id, settings, cancellationToken) : null;
    }

    /// <summary>Tells the observers again that a sent message was delivered; they ignore what they already handled.</summary>
    public async Task NotifyDeliveredAsync(long id, CancellationToken cancellationToken = default)
    {
        var message = await Outbox.AsNoTracking().Where(m => m.Id == id && m.Status == OutboxStatus.Sent)
            .Select(m => new { m.OrganizationId, m.SentAt }).FirstOrDefaultAsync(cancellationToken);
        if (message?.SentAt is { } sentAt)
        {
            await NotifyAsync(new OutboxDelivered(id, message.OrganizationId, sentAt), cancellationToken);
        }
    }

    private async Task<bool?> TryDeliverAsync(long id, EmailOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var leaseEnd = now + settings.ClaimLease;
        var claimed = await Outbox
            .Where(m => m.Id == id && m.Status == OutboxStatus.Queued && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, NodeId).SetProperty(m => m.ClaimedUntil, leaseEnd), cancellationToken);
        if (claimed == 0)
        {
            return null; // another node got there first
        }
        var message = await Outbox.AsNoTracking().Include(m => m.Attachments).FirstAsync(m => m.Id == id, cancellationToken);
        var mine = Outbox.Where(m => m.Id == id && m.ClaimedBy == NodeId);
        try
        {
            await sender.SendAsync(new EmailMessage(message.To, message.Subject, message.TextBody, message.HtmlBody)
            {
                Attachments = [.. message.Attachments.OrderBy(a => a.Id).Select(a => new EmailAttachment(a.FileName, a.ContentType, a.Content))],
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var attempts = message.Attempts + 1;
            var status = attempts >= settings.MaxAttempts ? OutboxStatus.Failed : OutboxStatus.Queued;
            var next = time.GetUtcNow().UtcDateTime + RetryDelay(settings, attempts);
            var error = Truncate($"{e.GetType().Name}: {e.Message}", 1000);
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, status).SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LastError, error)
                .SetProperty(m => m.ClaimedBy, (string?)null).SetProperty(m => m.ClaimedUntil, (DateTime?)null), CancellationToken.None);
            LogFailed(logger, id, attempts, e.GetType().Name);
            return false;
        }
        var sentAt = time.GetUtcNow().UtcDateTime;
        await mine.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Sent).SetProperty(m => m.SentAt, sentAt)
            .SetProperty(m => m.Attempts, m => m.Attempts + 1)
            .SetProperty(m => m.ClaimedBy, (string?)null).SetProperty(m => m.ClaimedUntil, (DateTime?)null), CancellationToken.None);
        LogSent(logger, id);
        await NotifyAsync(new OutboxDelivered(id, message.OrganizationId, sentAt), CancellationToken.None);
        return true;
    }

    private async Task NotifyAsync(OutboxDelivered delivered, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.DeliveredAsync(delivered, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The mail went; what the feature records about it can be repeated by a Retry of the sent message.
                LogObserverFailed(logger, e, delivered.OutboxMessageId, observer.GetType().Name);
            }
        }
    }

    /// <summary>Exponential backoff: RetryDelay × 2^(attempts − 1), capped at MaxRetryDelay.</summary>
    public static TimeSpan RetryDelay(EmailOptions settings, int attempts)
    {
        var factor = Math.Pow(2, Math.Min(30, Math.Max(0, attempts - 1)));
        var delay = TimeSpan.FromTicks((long)Math.Min(settings.RetryDelay.Ticks * factor, settings.MaxRetryDelay.Ticks));
        return delay;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox message {Id} sent")]
    private static partial void LogSent(ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Id} failed (attempt {Attempts}): {Error}")]
    private static partial void LogFailed(ILogger logger, long id, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Id} was sent, but {Observer} could not record it; a Retry of the message records it")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, long id, string observer);
}

/// <summary>Polls the outbox on every node that has <see cref="EmailOptions.SendQueued"/> on.</summary>
public sealed partial class OutboxWorker(IServiceScopeFactory scopes, IOptionsMonitor<EmailOptions> options, TimeProvider time, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (options.CurrentValue.SendQueued)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database may be briefly unreachable or not yet migrated; the next poll tries again.
                    LogPollFailed(logger, e.GetType().Name);
                }
            }
            try
            {
                await Task.Delay(options.CurrentValue.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox poll failed: {Error}")]
    private static partial void LogPollFailed(ILogger logger, string error);
}

public static class EmailServiceCollectionExtensions
{
    public static IServiceCollection AddRapportEmail(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IEmailSender, SmtpEmailSender>();
        services.AddScoped<EmailOutbox>();
        services.AddScoped<OutboxDispatcher>();
        services.AddSingleton<MailServer>();
        services.AddScoped<OutboxMessages>();
        services.AddSingleton<PublicAddress>();
        return services;
    }

    /// <summary>The background sender; only long-running hosts (the web app) add it.</summary>
    public static IServiceCollection AddOutboxWorker(this IServiceCollection services) => services.AddHostedService<OutboxWorker>();
}
