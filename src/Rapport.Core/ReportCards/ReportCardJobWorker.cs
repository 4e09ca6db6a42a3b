using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Documents;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.ReportCards;

/// <summary>
/// Runs queued report card jobs in the web app: at once when a job is started on this node, and
/// every 30 seconds for jobs left behind by a restart or another node (their lease has expired).
/// </summary>
public sealed partial class ReportCardJobWorker(IServiceScopeFactory scopes, ReportCardJobSignal signal, ILogger<ReportCardJobWorker> logger) : BackgroundService
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

    /// <summary>Runs the pending jobs of every practice, each in its own scope and organization.</summary>
    public async Task<int> RunPendingAsync(CancellationToken cancellationToken)
    {
        List<Organization> organizations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            organizations = await scope.ServiceProvider.GetRequiredService<OrganizationService>().AllAsync(cancellationToken);
        }
        var made = 0;
        foreach (var organization in organizations)
        {
            await using var scope = scopes.CreateAsyncScope();
            var current = scope.ServiceProvider.GetRequiredService<CurrentOrganization>();
            current.Set(organization.Id);
            current.Actor = "report-cards";
            made += await scope.ServiceProvider.GetRequiredService<ReportCardJobs>().RunPendingAsync(cancellationToken);
        }
        return made;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A report card job failed")]
    private partial void LogFailed(Exception exception);
}

public static class ReportCardRegistration
{
    public static IServiceCollection AddRapportReportCards(this IServiceCollection services)
    {
        services.AddDocumentTemplateKind(ReportCardTemplates.Intro);
        services.AddScoped<ReportCardSettingsService>();
        services.AddScoped<ReportCardService>();
        services.AddScoped<ReportCardTouches>();
        services.AddScoped<ReportCardPrinter>();
        services.AddScoped<ReportCardBatch>();
        services.AddScoped<ReportCardJobs>();
        services.AddSingleton<ReportCardJobSignal>();
        return services;
    }
}
