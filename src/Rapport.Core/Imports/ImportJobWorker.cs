using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.Imports;

/// <summary>
/// Runs imports queued from the app: at once when one is queued on this node, and every 30 seconds
/// for runs a restart or another node left behind (their lease has expired; the run's transaction
/// was rolled back with the process, so it starts over from the kept file).
/// </summary>
public sealed partial class ImportJobWorker(IServiceScopeFactory scopes, ImportJobSignal signal, ILogger<ImportJobWorker> logger) : BackgroundService
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
                LogFailed(e);
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
            current.Actor = "import";
            ran += await scope.ServiceProvider.GetRequiredService<ImportRuns>().RunPendingAsync(cancellationToken);
        }
        return ran;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An import run failed")]
    private partial void LogFailed(Exception exception);
}

public static class ImportRegistration
{
    public static IServiceCollection AddRapportImports(this IServiceCollection services)
    {
        services.AddScoped<CsvImporter>();
        services.AddScoped<ImportMappings>();
        services.AddScoped<ImportRuns>();
        services.AddSingleton<ImportJobSignal>();
        services.AddSingleton<ImportProgressBoard>();
        return services;
    }
}
