using Microsoft.Extensions.DependencyInjection;

namespace Rapport.Exports;

public static class ExportRegistration
{
    /// <summary>The export service and the lists of this folder's features; other features add their own <see cref="IListExport"/>.</summary>
    public static IServiceCollection AddRapportExports(this IServiceCollection services)
    {
        services.AddScoped<ExportService>();
        services.AddScoped<IListExport, Sources.SourcesExport>();
        services.AddScoped<IListExport, Patients.PatientsExport>();
        services.AddScoped<IListExport, Touchpoints.TouchesExport>();
        services.AddScoped<IListExport, Health.AlertsExport>();
        services.AddScoped<IListExport, Health.CallsExport>();
        services.AddScoped<IListExport, Letters.LettersDueExport>();
        services.AddScoped<IListExport, Nps.NpsResponsesExport>();
        return services;
    }
}
