using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rapport.Api;
using Rapport.Data;
using Rapport.Email;
using Rapport.Pages.Survey;
using Rapport.Organizations;
using Rapport.Tenancy;
using Rapport.Users;

namespace Rapport.Web;

/// <summary>Builds the web app: server-rendered UI, JSON API and health check on one host.</summary>
public static class RapportWeb
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Static files and Razor views ship next to the binary, wherever it is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables("RAPPORT_");
        // No "Server: Kestrel": it tells a prober which stack to aim at and nothing to anyone else.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddRapportCore(builder.Configuration);
        builder.Services.AddRapportAuthentication();
        builder.Services.AddRapportForwardedHeaders(builder.Configuration);
        builder.Services.AddRazorPages(options =>
        {
            // Pages are for people signed in with the cookie; an API key (bearer) is for /api only.
            options.Conventions.AuthorizeFolder("/", StaffPagesPolicy);
            options.Conventions.ConfigureFilter(new Pages.Shared.NotFoundPageFilter());
            options.Conventions.AllowAnonymousToFolder("/Account");
            options.Conventions.AllowAnonymousToPage("/Setup");
            options.Conventions.AllowAnonymousToPage("/Error");
            options.Conventions.AllowAnonymousToFolder("/Survey");
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(StaffPagesPolicy, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser());
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false)));
        builder.Services.AddProblemDetails();
        builder.Services.AddRapportApi();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddOutboxWorker();
        builder.Services.AddHostedService<Rapport.Health.WeeklyDigestWorker>();
        builder.Services.AddHostedService<Rapport.ReportCards.ReportCardJobWorker>();
        builder.Services.AddHostedService<Rapport.Imports.ImportJobWorker>();
        builder.Services.AddSurveyRateLimiting();
        configure?.Invoke(builder);

        var app = builder.Build();
        // First: every later step (HSTS, cookies' Secure flag, rate limits by client address) sees the client's request.
        app.UseRapportForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            // Strict-Transport-Security on HTTPS responses (never on plain HTTP, where it would be ignored).
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        // The app's own assets may be cached (revalidated each time); everything else is no-store (SecurityHeadersMiddleware).
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = SecurityHeadersMiddleware.StaticAssetCacheControl,
        });
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseMiddleware<OrganizationScopeMiddleware>();
        app.UseMiddleware<FirstRunMiddleware>();
        app.UseAuthorization();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapRazorPages();
        app.MapRapportApi();
        app.UseListeningAddressForLinks();
        return app;
    }

    public static async Task MigrateAsync(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMaintenance>().MigrateAsync();
    }

    private const string SchemeSelector = "CookieOrApiKey";
    private const string StaffPagesPolicy = "StaffPages";

    private static void AddRapportAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SchemeSelector;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            // A bearer header means an API key; anything else is the browser's cookie. Choosing per
            // request lets the organization middleware see the caller before endpoints run.
            .AddPolicyScheme(SchemeSelector, "Cookie or API key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.Events.OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/api"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    }
                    else
                    {
                        // A relative redirect: the handler builds an absolute one from the request's
                        // Host header, which a client chooses (OWASP ASVS 4.0.3 §5.1.5).
                        context.Response.Redirect(LocalPart(context.RedirectUri));
                    }
                    return Task.CompletedTask;
                };
                // A signed-in user without the role gets 403 at the address they asked for; the
                // status-code page says "Not allowed" (a redirect to an error page with a return URL
                // mangled the path and showed "Not found").
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                o.LoginPath = "/Account/Login";
                o.LogoutPath = "/Account/Logout";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.Cookie.Name = "rapport";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
            }));
        services.AddAuthentication().AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddIdentityCore<AppUser>().AddSignInManager<RapportSignInManager>().AddClaimsPrincipalFactory<RapportClaimsPrincipalFactory>();
        // The cookie's security stamp is checked against the database on every request, so sign-out,
        // deactivation and a password change end a session at once, and a role change applies to the
        // next request (the principal is rebuilt). Cost: one query per page request while nothing
        // changed (SessionCheck; measured in tests/Rapport.Tests/Accounts/SessionTests.cs). API keys are separate.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.Replace(ServiceDescriptor.Scoped<ISecurityStampValidator, SessionCheck>());
        services.AddSignInProtection();
        services.AddAuthorization();
    }

    private static string LocalPart(string redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : redirectUri;
}

/// <summary>Puts the user's organization into the sign-in cookie, so each request knows its tenant without a lookup.</summary>
public sealed class RapportClaimsPrincipalFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, Microsoft.Extensions.Options.IOptions<IdentityOptions> options,
    UserAccounts accounts)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (!user.TwoFactorEnabled && await accounts.TwoStepRequiredAsync(user))
        {
            identity.AddClaim(new Claim(RapportClaims.TwoFactorSetupRequired, "true"));
        }
        identity.AddClaim(new Claim(RapportClaims.OrganizationId, user.OrganizationId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(RapportClaims.DisplayName, UserNames.Display(user.DisplayName, user.Email ?? user.UserName)));
        return identity;
    }
}

/// <summary>
/// Sets the request's <see cref="CurrentOrganization"/> from the authenticated principal (cookie or
/// API key). Every query after this point sees only that organization's rows.
/// </summary>
public sealed class OrganizationScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, CurrentOrganization organization)
    {
        if (context.User.FindFirst(RapportClaims.OrganizationId)?.Value is { } value
            && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var organizationId))
        {
            organization.Set(organizationId);
            organization.Actor = context.User.FindFirst(ClaimTypes.Email)?.Value ?? context.User.Identity?.Name;
        }
        await next(context);
    }
}

/// <summary>With no practice in the database yet, every page leads to the first-run setup page.</summary>
public sealed class FirstRunMiddleware(RequestDelegate next)
{
    // Middleware is created once per app, so this caches "a practice exists" for the app's lifetime.
    private volatile bool configured;

    public async Task InvokeAsync(HttpContext context, OrganizationService organizations)
    {
        var path = context.Request.Path;
        if (!configured && !path.StartsWithSegments("/Setup") && !path.StartsWithSegments("/healthz") && !path.StartsWithSegments("/api")
            && !path.StartsWithSegments("/css") && !path.StartsWithSegments("/js") && !path.StartsWithSegments("/Error")
            && !path.StartsWithSegments("/s"))
        {
            if (await organizations.IsEmptyAsync(context.RequestAborted))
            {
                context.Response.Redirect("/Setup");
                return;
            }
            configured = true;
        }
        await next(context);
    }
}

internal sealed class DatabaseHealthCheck(DatabaseMaintenance database) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await database.CanConnectAsync(cancellationToken)
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("The database cannot be reached.");
}
