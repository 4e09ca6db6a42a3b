using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Organizations;

namespace Rapport.Tenancy;

/// <summary>A practice's queue of background jobs kept in the database (report card batches, imports).</summary>
public interface IPracticeJobQueue
{
    /// <summary>Runs the current practice's pending jobs (queued, or left behind with an expired lease); returns how many ran.</summary>
    Task<int> RunPendingAsync(CancellationToken cancellationToken);
}

/// <summary>Wakes the worker of one kind of job on this node when a job is queued, so it starts at once.</summary>
public sealed class JobSignal<TQueue> : IDisposable where TQueue : IPracticeJobQueue
{
    private readonly SemaphoreSlim signal = new(0);

    public void Notify() => signal.Release();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => signal.Dispose();
}

/// <summary>
/// Runs one kind of queued job for every practice: at once when a job is queued on this node, and
/// every 30 seconds for jobs a restart or another node left behind (their lease has expired). Each
/// practice runs in its own scope and organization, with <paramref name="actor"/> in the audit trail.
/// </summary>
public abstract class PracticeJobWorker<TQueue>(IServiceScopeFactory scopes, JobSignal<TQueue> signal, ILogger logger, string actor) : BackgroundService
    where TQueue : IPracticeJobQueue
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                PracticeJobLog.Failed(logger, e, actor);
            }
            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs the pending jobs of every practice, each in its own scope and organization.</summary>
    public async Task<int> RunPendingAsync(CancellationToken cancellationToken)
    {
        List<Organization> organizations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            organizations = await scope.ServiceProvider.GetRequiredService<OrganizationService>().AllAsync(cancellationToken);
        }
        var ran = 0;
        foreach (var organization in organizations)
        {
            await using var scope = scopes.CreateAsyncScope();
            var current = scope.ServiceProvider.GetRequiredService<CurrentOrganization>();
            current.Set(organization.Id);
            current.Actor = actor;
            try
            {
                ran += await scope.ServiceProvider.GetRequiredService<TQueue>().RunPendingAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One practice's failing job must not hold up the others' jobs.
                PracticeJobLog.Failed(logger, e, actor);
            }
        }
        return ran;
    }
}

internal static partial class PracticeJobLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A {Kind} job failed")]
    public static partial void Failed(ILogger logger, Exception exception, string kind);
}
