using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Rapport.Web;

/// <summary>
/// Behind a TLS-terminating proxy or load balancer the app sees plain HTTP from the proxy's address.
/// Trusting <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> from the proxies named in
/// configuration (and only from them) makes the request HTTPS again, so the sign-in and antiforgery
/// cookies get <c>Secure</c>, HSTS is sent, and sign-in throttling sees the client's own address.
/// The Host header is never taken from a forwarded header, and redirects are relative.
/// </summary>
public static class ProxySetup
{
    public const string Section = "ForwardedHeaders";

    public static IServiceCollection AddRapportForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        // Read when the pipeline is built, so configuration added after registration (tests, --Key=value) counts.
        services.AddOptions<ForwardedHeadersOptions>().Configure(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the named proxies are believed; with none named, forwarded headers are ignored
            // (the framework's default trusts loopback, which would let any local process claim HTTPS).
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var text in Split(configuration[$"{Section}:KnownProxies"]))
            {
                options.KnownProxies.Add(IPAddress.TryParse(text, out var address) ? address
                    : throw new InvalidOperationException($"{Section}:KnownProxies: '{text}' is not an IP address."));
            }
            foreach (var text in Split(configuration[$"{Section}:KnownNetworks"]))
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(text, out var network) ? network
                    : throw new InvalidOperationException($"{Section}:KnownNetworks: '{text}' is not a network in CIDR form (e.g. 10.0.0.0/8)."));
            }
            options.ForwardLimit = configuration.GetValue($"{Section}:ForwardLimit", 1);
        });
        // The sign-in cookie follows the request's scheme already; the antiforgery and TempData
        // cookies default to never Secure. Over HTTPS all three are Secure (OWASP ASVS 4.0.3 §3.4.1).
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services;
    }

    /// <summary>
    /// Reads forwarded headers only when the practice named its proxies: with an empty list the
    /// framework would believe every client.
    /// </summary>
    public static void UseRapportForwardedHeaders(this WebApplication app)
    {
        if (Split(app.Configuration[$"{Section}:KnownProxies"]).Any() || Split(app.Configuration[$"{Section}:KnownNetworks"]).Any())
        {
            app.UseForwardedHeaders();
        }
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
