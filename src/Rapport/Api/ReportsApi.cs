using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Common;
using Rapport.Reports;

namespace Rapport.Api;

/// <summary>The referral source report: JSON, or the same figures as CSV, XLSX or PDF.</summary>
public static class ReportsApi
{
    public static void Map(RouteGroupBuilder reports)
    {
        reports.MapGet("/sources", async Task<IResult> (string? period, string? from, string? to, string? clinic, string? sort, string? format,
                SourceReportService service, CancellationToken ct) =>
            {
                // The format is checked before the work, so a bad one is a 400 naming "format".
                var kind = format?.Trim().ToLowerInvariant() switch
                {
                    null or "" or "json" => "json",
                    "csv" or "xlsx" or "pdf" => format.Trim().ToLowerInvariant(),
                    _ => throw new ValidationException("format", $"Format \"{format}\" is not one of json, csv, xlsx, pdf."),
                };
                var report = await service.BuildAsync(new SourceReportQuery { Period = period, From = from, To = to, Clinic = clinic, Sort = sort }, ct);
                return kind switch
                {
                    "pdf" => TypedResults.File(SourceReportFiles.Pdf(report), "application/pdf", SourceReportFiles.FileName(report, "pdf")),
                    "json" => TypedResults.Ok(report),
                    _ => TypedResults.File(TableFile.Write(SourceReportFiles.Sheet(report), TableFile.ParseFormat(kind)),
                        TableFile.ContentType(TableFile.ParseFormat(kind)), SourceReportFiles.FileName(report, kind)),
                };
            })
            .WithSummary("Referral source report: per source (and direct-access channel) referrals this period, the previous period and the same period last year, "
                + "with change, conversion, visits and estimated revenue; a totals row")
            .WithDescription("period: 2026-05, 2026-Q2, 2026, last-month (default), this-month, last-quarter, this-quarter, last-year, this-year; or from and to "
                + "(yyyy-MM-dd, both) for a custom period. A period that runs to today is compared like for like (partial = true, see partialNote). "
                + "clinic: a clinic id. sort: a column (name, referrals, previous, change, changePercent, lastYear, yearChange, yearChangePercent, conversion, "
                + "visits, revenue), - in front for descending; default -referrals. format: json (default), csv, xlsx or pdf. "
                + "Percentages are percent (25.0 = 25%); estimatedRevenue is null until a revenue per visit is set (Settings → Revenue). Definitions: docs/reports.md.")
            .Produces<SourceReport>()
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesValidationProblem();
    }
}
