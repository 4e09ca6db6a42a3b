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
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>Identifies this process in claims.</summary>
    public static readonly string NodeId = $"{Guid.NewGuid():N}@{Environment.MachineName}" is var id && id.Length > 64 ? id[..64] : id;

    private DbSet<OutboxMessage> Outbox => db.Set<OutboxMessage>();

    /// <summary>Sends every message that is due now; returns how many were delivered.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        var due = await Outbox.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Queued && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Select(m => m.Id).Take(100).ToListAsync(cancellationToken);
        var delivered = 0;
        foreach (var id in due)
        {
            var leaseEnd = now + settings.ClaimLease;
            var claimed = await Outbox
                .Where(m => m.Id == id && m.Status == OutboxStatus.Queued && (m.ClaimedUntil == null || m.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, NodeId).SetProperty(m => m.ClaimedUntil, leaseEnd), cancellationToken);
            if (claimed == 0)
            {
                continue; // another node got there first
            }
            var message = await Outbox.AsNoTracking().Include(m => m.Attachments).FirstAsync(m => m.Id == id, cancellationToken);
            var mine = Outbox.Where(m => m.Id == id && m.ClaimedBy == NodeId);
            try
            {
                await sender.SendAsync(new EmailMessage(message.To, message.Subject, message.TextBody, message.HtmlBody)
                {
                    Attachments = [.. message.Attachments.OrderBy(a => a.Id).Select(a => new EmailAttachment(a.FileName, a.ContentType, a.Content))],
                }, cancellationToken);
                var sentAt = time.GetUtcNow().UtcDateTime;
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Status, OutboxStatus.Sent).SetProperty(m => m.SentAt, sentAt)
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                    .SetProperty(m => m.ClaimedBy, (string?)null).SetProperty(m => m.ClaimedUntil, (DateTime?)null), CancellationToken.None);
                delivered++;
                LogSent(logger, id);
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
            }
        }
        return delivered;
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
        services.AddSingleton<PublicAddress>();
        return services;
    }

    /// <summary>The background sender; only long-running hosts (the web app) add it.</summary>
    public static IServiceCollection AddOutboxWorker(this IServiceCollection services) => services.AddHostedService<OutboxWorker>();
}
