using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Rapport.Common;

namespace Rapport.Api;

/// <summary>Problem documents the endpoints return themselves.</summary>
public static class ApiProblems
{
    /// <summary>404 as application/problem+json (a NotFound&lt;ProblemDetails&gt; would be sent as plain JSON).</summary>
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"{what} was not found.");
}

/// <summary>
/// Turns every API failure into <c>application/problem+json</c> in one place: service
/// <see cref="ValidationException"/> → 400 with <c>errors</c>, <see cref="NotFoundException"/> → 404,
/// <see cref="Rapport.Email.EmailNotConfiguredException"/> → 409 naming the setting, a repeated unique key
/// (<see cref="ConflictException"/>) → 409 naming the field and value,
/// unreadable requests → 400, and any other empty error response (unknown route, 405) gets a problem body.
/// A middleware rather than an endpoint filter because binding failures happen before filters run.
/// It also switches off the HTML status-code pages the UI uses, which must not answer API clients.
/// </summary>
public sealed class ApiProblemMiddleware(RequestDelegate next, ILogger<ApiProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        DisableStatusCodePages(context);
        try
        {
            await next(context);
        }
        catch (ConflictException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, problems, new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Already exists",
                Detail = e.Message,
                Extensions = { ["field"] = e.Field, ["value"] = e.Value, ["errors"] = e.Errors },
            });
            return;
        }
        catch (ValidationException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, problems, new HttpValidationProblemDetails(e.Errors.ToDictionary(p => p.Key, p => p.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Detail = "The request has invalid fields; see errors.",
            });
            return;
        }
        catch (Rapport.Email.EmailNotConfiguredException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, problems, new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "No mail server is configured",
                Detail = e.Message,
                Extensions =
                {
                    ["setting"] = Rapport.Email.EmailNotConfiguredException.Setting,
                    ["settingsPage"] = Rapport.Email.EmailNotConfiguredException.SettingsPage,
                },
            });
            return;
        }
        catch (NotFoundException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, problems, new ProblemDetails { Status = StatusCodes.Status404NotFound, Detail = e.Message });
            return;
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, problems, Unreadable(context, e));
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // The UI's error page is HTML; an API client gets a problem document pointing at the log entry.
            logger.LogError(e, "Unhandled error in {Method} {Path}", context.Request.Method, context.Request.Path);
            await WriteAsync(context, problems, new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Detail = "An unexpected error occurred; the server log has the details under this traceId.",
            });
            return;
        }
        if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null or 0
            && string.IsNullOrEmpty(context.Response.ContentType))
        {
            await WriteAsync(context, problems, new ProblemDetails { Status = context.Response.StatusCode });
        }
    }

    /// <summary>
    /// A body or parameter that could not be read. A value of the wrong type is reported on its field,
    /// with what the field accepts; broken JSON is reported as a whole.
    /// </summary>
    private static ProblemDetails Unreadable(HttpContext context, BadHttpRequestException e)
    {
        // Syntax errors are a JsonException subclass, truncated bodies a JsonException with another message;
        // only a value that did not convert is pinned on its field.
        if (e.InnerException is JsonException { Path: { Length: > 2 } path } json && json.GetType() == typeof(JsonException)
            && json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            var bodyType = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [Expected(bodyType, field)] })
            {
                Status = e.StatusCode,
                Detail = "The request body has a value of the wrong type; see errors.",
            };
        }
        var bodyMissing = e.InnerException is null && context.Request.ContentLength is null or 0 && !context.Request.Headers.TransferEncoding.Any()
            && context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not null;
        return new ProblemDetails
        {
            Status = e.StatusCode,
            Detail = bodyMissing ? "A JSON request body is required."
                : e.InnerException is JsonException inner ? $"The request body is not valid JSON: {FirstSentence(inner.Message)}" : e.Message,
        };
    }

    /// <summary>What a body field accepts, in words, instead of System.Text.Json's CLR type names.</summary>
    private static string Expected(Type? bodyType, string field)
    {
        var property = bodyType?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type switch
        {
            { IsEnum: true } => $"Expected one of {string.Join(", ", Enum.GetNames(type))}.",
            _ when type == typeof(DateOnly) => "Expected a date as yyyy-MM-dd.",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(decimal) || type == typeof(double) => "Expected a number.",
            _ when type == typeof(bool) => "Expected true or false.",
            _ when type == typeof(string) => "Expected a string.",
            _ => "The value has the wrong type.",
        };
    }

    // System.Text.Json appends "Path: … | LineNumber: …" after the first sentence.
    private static string FirstSentence(string message) =>
        message.IndexOf(" Path:", StringComparison.Ordinal) is var cut and > 0 ? message[..cut] : message;

    internal static void DisableStatusCodePages(HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }
    }

    internal static async Task WriteAsync(HttpContext context, IProblemDetailsService problems, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}

/// <summary>
/// Authentication failures on the API answer 401/403 as problem documents (the authorization
/// middleware ends the request before <see cref="ApiProblemMiddleware"/> would see it).
/// </summary>
public sealed class ApiAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler defaultHandler = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await defaultHandler.HandleAsync(next, context, policy, authorizeResult);
        if (!ApiEndpoints.IsApiRequest(context.Request) || authorizeResult.Succeeded || context.Response.HasStarted)
        {
            return;
        }
        ApiProblemMiddleware.DisableStatusCodePages(context);
        await ApiProblemMiddleware.WriteAsync(context, problems, new ProblemDetails
        {
            Status = context.Response.StatusCode,
            Detail = context.Response.StatusCode == StatusCodes.Status401Unauthorized
                ? "Send an organization's API key as 'Authorization: Bearer rk_…'; the key was missing, unknown or revoked."
                : null,
        });
    }
}
