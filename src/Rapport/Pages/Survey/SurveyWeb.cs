using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Rapport.Email;

namespace Rapport.Pages.Survey;

/// <summary>Web plumbing for the public survey: its rate limit, and the address its links point at.</summary>
public static class SurveyWeb
{
    public const string RateLimitPolicy = "survey";

    /// <summary>
    /// The survey is the one anonymous form: per client address, 30 requests a minute is far more
    /// than a patient needs and far less than guessing tokens would (256-bit tokens make that futile anyway).
    /// </summary>
    public static IServiceCollection AddSurveyRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 30, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

    /// <summary>With no PublicUrl configured, e-mailed links use the address the server listens on.</summary>
    public static void UseListeningAddressForLinks(this WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is not null && Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal)
                    .Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                app.Services.GetRequiredService<PublicAddress>().UseListeningAddress(uri);
            }
        });
}
