using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rapport.Documents;
using Rapport.Tenancy;

namespace Rapport.ReportCards;

/// <summary>Runs queued report card jobs in the web app (see <see cref="PracticeJobWorker{TQueue}"/>).</summary>
public sealed class ReportCardJobWorker(IServiceScopeFactory scopes, JobSignal<ReportCardJobs> signal, ILogger<ReportCardJobWorker> logger)
    : PracticeJobWorker<ReportCardJobs>(scopes, signal, logger, "report-cards");

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
        services.AddSingleton<JobSignal<ReportCardJobs>>();
        return services;
    }
}
