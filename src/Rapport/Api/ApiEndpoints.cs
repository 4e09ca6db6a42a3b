using Microsoft.AspNetCore.Authorization;
using Rapport.Web;

namespace Rapport.Api;

/// <summary>The JSON API under /api/v1, authenticated by per-organization API keys.</summary>
public static class ApiEndpoints
{
    public static IServiceCollection AddRapportApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1");
        return services;
    }

    public static void MapRapportApi(this WebApplication app)
    {
        app.MapOpenApi("/api/v1/openapi.json").AllowAnonymous();
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName });
        SourcesApi.Map(api.MapGroup("/sources").WithTags("Sources"));
    }
}
