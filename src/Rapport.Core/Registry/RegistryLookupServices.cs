using Microsoft.Extensions.DependencyInjection;
using Rapport.Registry;

// In the root namespace, beside RapportCore, so registering it there needs no new using.
namespace Rapport;

public static class RegistryLookupServices
{
    /// <summary>NPI lookup (source autofill) and the coverage view.</summary>
    public static IServiceCollection AddRapportRegistryLookup(this IServiceCollection services)
    {
        services.AddScoped<RegistryLookup>();
        services.AddScoped<CoverageService>();
        return services;
    }
}
