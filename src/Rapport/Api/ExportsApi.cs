using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Exports;
using Rapport.Pages.Shared;

namespace Rapport.Api;

public static class ExportsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/{kind}", async Task<FileContentHttpResult> (string kind, string? format, HttpRequest request, ExportService exports, CancellationToken ct) =>
            {
                var file = await exports.ExportAsync(kind, format, Downloads.Filters(request.Query), ct);
                return TypedResults.File(file.Content, file.ContentType, file.FileName);
            })
            .WithSummary("Download a list as CSV or XLSX, with the list page's filters")
            .WithDescription("kind: sources, patients, touches, alerts, calls, letters-due, nps-responses (and referrals). format: csv (default) or xlsx. "
                + "Every other query parameter is a filter of the list page, by the page's name (e.g. sources: q, status, specialty, owner, clinic, archived, sort, desc). "
                + "Each export is recorded in the audit trail.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem();
    }
}
