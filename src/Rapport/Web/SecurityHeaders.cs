namespace Rapport.Web;

/// <summary>
/// Headers every response carries, pages, API, files and error pages alike. The Content-Security-
/// Policy lets a page run only the app's own script files (no inline script, no handler
/// attributes, no eval), load nothing from elsewhere and never be framed: even if markup slipped
/// through, it could not run script as the signed-in user. Inline style attributes stay allowed
/// (the charts' SVG and a few layout tweaks use them; style cannot run code).
/// Every response but the app's own static assets is <c>Cache-Control: no-store</c>: pages, JSON,
/// PDFs and exports carry patient data, which must not stay in a shared computer's browser cache or
/// a proxy (HIPAA Security Rule, 45 CFR 164.312(a); OWASP ASVS 8.2.1). It is written the way
/// antiforgery writes it on pages with a form ("no-cache, no-store"): antiforgery logs a warning for
/// every response whose Cache-Control lacks no-cache, which under load costs more than the page.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The app's CSS, script, fonts and images: cacheable, checked with the server each time.</summary>
    public const string StaticAssetCacheControl = "no-cache";

    /// <summary>Everything else: never stored (no-cache too, as antiforgery writes it).</summary>
    public const string NoStore = "no-cache, no-store";

    private static readonly (string Name, string Value)[] Headers =
    [
        ("Cache-Control", NoStore),
        ("Content-Security-Policy", ContentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ];

    public Task InvokeAsync(HttpContext context)
    {
        Apply(context.Response);
        // The exception handler clears the response's headers before the error page: set them again.
        context.Response.OnStarting(() =>
        {
            Apply(context.Response);
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static void Apply(HttpResponse response)
    {
        foreach (var (name, value) in Headers)
        {
            response.Headers.TryAdd(name, value);
        }
    }
}
