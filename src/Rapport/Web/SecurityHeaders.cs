namespace Rapport.Web;

/// <summary>
/// Headers every response carries, pages, API, files and error pages alike. The Content-Security-
/// Policy lets a page run only the app's own script files (no inline script, no handler
/// attributes, no eval), load nothing from elsewhere and never be framed: even if markup slipped
/// through, it could not run script as the signed-in user. Inline style attributes stay allowed
/// (the charts' SVG and a few layout tweaks use them; style cannot run code).
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static readonly (string Name, string Value)[] Headers =
    [
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
