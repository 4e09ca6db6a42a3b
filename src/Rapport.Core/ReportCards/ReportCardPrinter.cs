namespace Rapport.ReportCards;

public sealed record PrintedCard(ReportCard Card, byte[] Pdf, bool TouchAdded);

/// <summary>
/// Printing a card: build it, render the PDF with the practice's paper and logo, and log its Report
/// touchpoint (once per source and period). The one path for the PDF download, the API and the batch.
/// </summary>
public sealed class ReportCardPrinter(ReportCardService cards, ReportCardTouches touches)
{
    /// <param name="settings">The practice's settings when the caller already holds them (a batch); read otherwise.</param>
    public async Task<PrintedCard> PrintAsync(int sourceId, DateOnly from, DateOnly to, ReportCardSettings? settings = null,
        CancellationToken cancellationToken = default)
    {
        settings ??= await cards.SettingsAsync(cancellationToken);
        var card = await cards.BuildAsync(sourceId, from, to, cancellationToken);
        var pdf = ReportCardPdf.Render(card, settings.Paper, settings.Logo);
        var added = await touches.LogAsync(sourceId, from, to, cancellationToken);
        return new PrintedCard(card, pdf, added);
    }
}
