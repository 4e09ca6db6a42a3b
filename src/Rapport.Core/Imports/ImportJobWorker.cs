using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rapport.Tenancy;

namespace Rapport.Imports;

/// <summary>
/// Runs imports queued from the app (see <see cref="PracticeJobWorker{TQueue}"/>); a run a restart left
/// behind starts over from the kept file, its transaction having been rolled back with the process.
/// </summary>
public sealed class ImportJobWorker(IServiceScopeFactory scopes, JobSignal<ImportRuns> signal, ILogger<ImportJobWorker> logger)
    : PracticeJobWorker<ImportRuns>(scopes, signal, logger, "import");

public static class ImportRegistration
{
    public static IServiceCollection AddRapportImports(this IServiceCollection services)
    {
        services.AddScoped<CsvImporter>();
        services.AddScoped<ImportMappings>();
        services.AddScoped<ImportRuns>();
        services.AddSingleton<JobSignal<ImportRuns>>();
        services.AddSingleton<ImportProgressBoard>();
        return services;
    }
}
