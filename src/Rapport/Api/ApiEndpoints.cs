using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Rapport.Web;

namespace Rapport.Api;

/// <summary>The JSON API under /api/v1, authenticated by per-organization API keys.</summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    public static IServiceCollection AddRapportApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Rapport API";
            document.Info.Description = "Referral relationship management. Authenticate with `Authorization: Bearer rk_…` (an organization's API key). "
                + "Errors are RFC 9457 problem details; validation errors carry `errors` keyed by the camelCase field.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An organization's API key (rk_…), created with `rapport apikeys create --name …`.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [] }];
            return Task.CompletedTask;
        }));
        // Binding failures (malformed JSON, unknown enum names, bad dates) throw instead of ending in an
        // empty 400, so ApiProblemMiddleware can say what was wrong in a problem document.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        return services;
    }

    public static void MapRapportApi(this WebApplication app)
    {
        // Added after UseAuthorization, so this runs just before the API endpoints (see ApiProblemMiddleware).
        app.UseWhen(context => IsApiRequest(context.Request), branch => branch.UseMiddleware<ApiProblemMiddleware>());

        app.MapOpenApi(Prefix + "/openapi.json").AllowAnonymous();
        var api = app.MapGroup(Prefix)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName })
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        SourcesApi.Map(api.MapGroup("/sources").WithTags("Sources"));
        ReportCardsApi.Map(api.MapGroup("/sources").WithTags("Report cards"));
        PatientsApi.Map(api.MapGroup("/patients").WithTags("Patients"));
        ReferralsApi.Map(api.MapGroup("/referrals").WithTags("Referrals"));
        TouchpointsApi.Map(api.MapGroup("/touchpoints").WithTags("Touchpoints"));
        ReferBacksApi.Map(api.MapGroup("/referbacks").WithTags("Refer-backs"));
        ClinicsApi.Map(api.MapGroup("/clinics").WithTags("Clinics"));
        InstrumentsApi.Map(api.MapGroup("/instruments").WithTags("Outcomes"));
        OutcomesApi.Map(api);
        NpsApi.Map(api.MapGroup("/nps").WithTags("NPS"));
        DashboardApi.Map(api.MapGroup("/dashboard").WithTags("Dashboard"));
        AlertsApi.Map(api.MapGroup("/alerts").WithTags("Alerts"));
        CallListApi.Map(api.MapGroup("/calls").WithTags("Call list"));
        LettersApi.Map(api);
        OutboxApi.Map(api.MapGroup("/outbox").WithTags("E-mail outbox"));
        ReportsApi.Map(api.MapGroup("/reports").WithTags("Reports"));
        ExportsApi.Map(api.MapGroup("/exports").WithTags("Exports"));
        RegistryApi.Map(api.MapGroup("/registry").WithTags("NPI registry"));
        CoverageApi.Map(api.MapGroup("/coverage").WithTags("Coverage"));
        ProspectsApi.Map(api.MapGroup("/prospects").WithTags("Prospects"));
        ChannelsApi.Map(api.MapGroup("/channels").WithTags("Channels"));
        CampaignsApi.Map(api.MapGroup("/campaigns").WithTags("Campaigns"));
        CampaignResultsApi.Map(api.MapGroup("/campaigns").WithTags("Campaigns"));
        CampaignResultsApi.MapSettings(api.MapGroup("/settings").WithTags("Settings"));
    }

    public static bool IsApiRequest(HttpRequest request) => request.Path.StartsWithSegments("/api");
}
