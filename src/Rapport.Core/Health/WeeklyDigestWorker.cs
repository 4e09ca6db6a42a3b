using Rapport.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.Health;

/// <summary>When the weekly digest goes out by itself (off unless <c>Digest:Enabled</c> is true).</summary>
public sealed record DigestOptions
{
    public const string Section = "Digest";
    public bool Enabled { get; init; }
    public DayOfWeek Day { get; init; } = DayOfWeek.Monday;
    /// <summary>Hour of the day, on each practice's own clock, from which that day's digest may go out.</summary>
    public int Hour { get; init; } = 7;
}

/// <summary>
/// Sends each practice's weekly digest on the configured day. It checks every 15 minutes; the
/// digest itself refuses a second send in the same week, so restarts and repeated checks are
/// harmless, and each practice's digest lease (<see cref="Tenancy.JobLeases"/>) lets only one of
/// several web nodes checking in the same instant queue it: it is safe to enable on every node.
/// </summary>
public sealed partial class WeeklyDigestWorker(IServiceScopeFactory scopes, IOptionsMonitor<DigestOptions> options, TimeProvider time, Email.MailServer mail, PracticeTimeZones zones,
    ILogger<WeeklyDigestWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(15), time);
        do
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Queues this week's digest for every practice when it is due; returns how many were queued.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            return 0;
        }
        var now = time.GetUtcNow().UtcDateTime;
        List<Organization> organizations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            organizations = await scope.ServiceProvider.GetRequiredService<OrganizationService>().AllAsync(cancellationToken);
        }
        var queued = 0;
        foreach (var organization in organizations)
        {
            // The day and hour are each practice's own: Monday 07:00 in Los Angeles, not in UTC.
            var local = zones.LocalTimeOf(organization.Id, now);
            if (local.DayOfWeek != settings.Day || local.Hour < settings.Hour)
            {
                continue;
            }
            if (!mail.IsConfigured)
            {
                LogNoMailServer();
                return 0;
            }
            await using var scope = scopes.CreateAsyncScope();
            var current = scope.ServiceProvider.GetRequiredService<CurrentOrganization>();
            current.Set(organization.Id);
            current.Actor = "digest";
            var result = await scope.ServiceProvider.GetRequiredService<WeeklyDigest>().QueueAsync(cancellationToken: cancellationToken);
            queued += result.Recipients.Count;
        }
        return queued;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The weekly digest is due but no mail server is configured (Email:Host); nothing was queued")]
    private partial void LogNoMailServer();

    [LoggerMessage(Level = LogLevel.Error, Message = "The weekly digest could not be queued")]
    private partial void LogFailed(Exception exception);
}
