using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Rapport.Users;

namespace Rapport.Web;

/// <summary>
/// Per-client throttling of the sign-in pages' forms (sign-in, two-step code, forgot and reset
/// password): every POST counts, by client address (behind a load balancer, the forwarded one),
/// <c>SignIn:AttemptsPerMinutePerClient</c> a minute (default 10), then HTTP 429 with a page that says
/// to wait. Together with <see cref="SignInThrottle"/> (per account) and the lockout after 10 failures,
/// guessing passwords is slow from one client and on one account (OWASP ASVS 4.0.3 V2.2.1).
/// </summary>
public sealed class SignInRateLimitPolicy(IConfiguration configuration) : IRateLimiterPolicy<string>
{
    public const string Name = "sign-in";
    public const int DefaultAttemptsPerMinute = 10;

    private readonly int permitLimit = configuration.GetValue("SignIn:AttemptsPerMinutePerClient", DefaultAttemptsPerMinute);

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        HttpMethods.IsPost(httpContext.Request.Method)
            ? RateLimitPartition.GetFixedWindowLimiter(httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter("read");

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, cancellationToken) =>
        TooManyAttempts.WriteAsync(context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1), cancellationToken);
}

/// <summary>The 429 page of the sign-in forms: plain, and the same for every account.</summary>
public static class TooManyAttempts
{
    public const string Message = "Too many sign-in attempts from here. Wait a minute, then try again.";

    public static async ValueTask WriteAsync(HttpContext context, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many attempts · Rapport</title></head>"
            + $"<body><main><h1>Too many attempts</h1><p>{Message}</p><p><a href=\"/Account/Login\">Back to sign in</a></p></main></body></html>", cancellationToken);
    }
}

/// <summary>
/// Sends a user who must set up two-step sign-in (an administrator of a practice that requires it,
/// marked in the principal by <see cref="RapportClaimsPrincipalFactory"/>) to that page before any other.
/// </summary>
public sealed class TwoStepSetupFilter : IAsyncPageFilter
{
    public const string SetupPage = "/Profile/TwoStep";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var page = context.ActionDescriptor.ViewEnginePath;
        if (context.HttpContext.User.HasClaim(c => c.Type == RapportClaims.TwoFactorSetupRequired)
            && page != SetupPage && !page.StartsWith("/Account/", StringComparison.Ordinal) && page != "/Error")
        {
            context.Result = new RedirectResult(SetupPage);
            return;
        }
        await next();
    }
}

public static class SignInWebSetup
{
    public static IServiceCollection AddSignInProtection(this IServiceCollection services)
    {
        services.AddRateLimiter(options => options.AddPolicy<string, SignInRateLimitPolicy>(SignInRateLimitPolicy.Name));
        // A global filter runs for every Razor page (the API has no pages; it is reached with API keys).
        services.Configure<MvcOptions>(options => options.Filters.Add(new TwoStepSetupFilter()));
        return services;
    }
}
