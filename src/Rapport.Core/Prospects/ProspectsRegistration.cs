using Microsoft.Extensions.DependencyInjection;

namespace Rapport.Prospects;

public static class ProspectsRegistration
{
    /// <summary>Prospects from the NPI registry: the ranked search, "add as prospect" and the <c>prospects</c> export.</summary>
    public static IServiceCollection AddRapportProspects(this IServiceCollection services)
    {
        services.AddScoped<ProspectSearch>();
        services.AddScoped<ProspectIntake>();
        services.AddScoped<Exports.IListExport, ProspectsExport>();
        return services;
    }
}
