using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Common;
using Rapport.ReportCards;

namespace Rapport.Api;

/// <summary>A physician's report card: the figures as JSON, or the printed PDF (which logs its Report touchpoint once).</summary>
public static class ReportCardsApi
{
    public static void Map(RouteGroupBuilder sources)
    {
        sources.MapGet("/{id:int}/report-card", async Task<Ok<ReportCard>> (int id, DateOnly? from, DateOnly? to, ReportCardService cards, PracticeClock time, CancellationToken ct) =>
            {
                var (start, end) = ReportCardPeriod.FromDates(from, to, time.Today());
                return TypedResults.Ok(await cards.BuildAsync(id, start, end, ct));
            })
            .WithSummary("The source's report card figures for a period (default: the last 12 months)")
            .WithDescription("from/to: the period, both included; one alone means a year from/to it. Each figure has value, n, suppressed and display "
                + "(the text printed on the card); figures from fewer patients than the practice's minimum cell size (default 5) are suppressed and not compared.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        sources.MapGet("/{id:int}/report-card.pdf", async (int id, DateOnly? from, DateOnly? to, ReportCardPrinter printer,
                PracticeClock time, CancellationToken ct) =>
            {
                var (start, end) = ReportCardPeriod.FromDates(from, to, time.Today());
                var printed = await printer.PrintAsync(id, start, end, cancellationToken: ct);
                return TypedResults.File(printed.Pdf, "application/pdf", $"report-card-{id}-{start:yyyy-MM-dd}-{end:yyyy-MM-dd}.pdf");
            })
            .WithSummary("The source's report card as PDF; logs one Report touchpoint per source and period")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
