using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Documents;
using Rapport.ReportCards;

namespace Rapport.Pages.Sources;

/// <summary>The report card as a page (the same figures as the PDF), with the PDF one click away.</summary>
public sealed class ReportCardModel(ReportCardService cards, ReportCardPrinter printer, PracticeClock time) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }

    public ReportCard Card { get; private set; } = null!;
    public string IntroHtml { get; private set; } = "";
    /// <summary>The chart as a PNG data URI: the same picture as in the PDF (Skia's SVG text spacing depends on the browser's fonts).</summary>
    public string? ChartPng { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            var (from, to) = ReportCardPeriod.FromDates(From, To, time.Today());
            (From, To) = (from, to);
            Card = await cards.BuildAsync(id, from, to, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                ModelState.AddModelError(field == "from" ? nameof(From) : nameof(To), string.Join(" ", messages));
            }
            var (from, to) = ReportCardPeriod.LastMonths(12, time.Today());
            (From, To) = (from, to);
            Card = await cards.BuildAsync(id, from, to, cancellationToken);
        }
        IntroHtml = SafeMarkdown.ToHtml(Card.IntroMarkdown);
        ChartPng = Card.ScoreByWeek is { } weeks ? "data:image/png;base64," + Convert.ToBase64String(ReportCardPdf.ScoreChart(weeks).Png) : null;
        return Page();
    }

    /// <summary>
    /// The PDF; printing a card logs its Report touchpoint (once per source and period), so it is a POST
    /// with the antiforgery token: a link from another site (a GET, which SameSite=Lax lets carry the
    /// cookie) must not log touches (issue 12, item 7). A GET of ?handler=Pdf just shows the page.
    /// </summary>
    public async Task<IActionResult> OnPostPdfAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            var (from, to) = ReportCardPeriod.FromDates(From, To, time.Today());
            var printed = await printer.PrintAsync(id, from, to, cancellationToken: cancellationToken);
            return File(printed.Pdf, "application/pdf", $"report-card-{ReportCardBatch.FileNameOf(id, printed.Card.Source.Name, null)}");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationException e)
        {
            return BadRequest(e.Message);
        }
    }
}
