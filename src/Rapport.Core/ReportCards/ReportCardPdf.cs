using System.Globalization;
using Rapport.Documents;

namespace Rapport.ReportCards;

/// <summary>Prints a <see cref="ReportCard"/> on one or two pages; every figure is the card's own <see cref="Figure.Display"/> text.</summary>
public static class ReportCardPdf
{
    public const int MaxPages = 2;

    /// <summary>The card on at most two pages: when the chart would push it onto a third, it is printed without the chart.</summary>
    public static byte[] Render(ReportCard card, PaperSize paper = PaperSize.Letter, byte[]? logo = null)
    {
        var (pdf, pages) = Render(card, paper, logo, withChart: true);
        return pages <= MaxPages || card.ScoreByWeek is null ? pdf : Render(card, paper, logo, withChart: false).Pdf;
    }

    private static (byte[] Pdf, int Pages) Render(ReportCard card, PaperSize paper, byte[]? logo, bool withChart)
    {
        using var writer = new PdfPageWriter(new PageSetup
        {
            Paper = paper,
            Margin = 48,
            Title = $"Physician report card: {card.Source.Name}, {card.PeriodText}",
            Author = card.PracticeName,
            FooterText = $"{card.PracticeName} · Physician report card · {card.Source.Name} · {card.PeriodText}",
        });
        writer.Letterhead(card.PracticeName, "Physician report card", logo);
        writer.Heading(card.Source.Name);
        writer.Paragraph(SourceLine(card), TextStyle.Small);
        if (card.PartialNote is { } partial)
        {
            writer.Paragraph(partial, TextStyle.Muted);
        }
        SafeMarkdown.WriteTo(writer, card.IntroMarkdown);

        writer.Heading("Your referrals", 2);
        var r = card.Referrals;
        writer.Table(ComparisonColumns("Referrals received in the period"),
        [
            new TableRow(["Referrals received", r.Received.ToString("N0", CultureInfo.InvariantCulture), r.PracticeReceived.ToString("N0", CultureInfo.InvariantCulture)], Emphasis: true),
            Row("Scheduled", r.Scheduled),
            Row("Evaluated", r.Evaluated),
            Row("Median time from referral to evaluation", r.MedianDaysToEvaluation),
            Row("Visits per episode (discharged episodes)", r.VisitsPerEpisode),
            Row("Completed the plan of care", r.CompletedPlan),
        ]);

        writer.Heading("How your patients improved", 2);
        if (card.Outcomes.Count == 0)
        {
            writer.Paragraph("No outcome measures were recorded for your patients in this period.");
        }
        else
        {
            writer.Table(
            [
                new TableColumn("Measure", 1.4), new TableColumn("Condition", 1.75), new TableColumn("Patients", 1.45, ColumnAlign.Right),
                new TableColumn("Mean change, yours", 1.05, ColumnAlign.Right), new TableColumn("Practice", 1.0, ColumnAlign.Right),
                new TableColumn("Reached MCID, yours", 1.05, ColumnAlign.Right), new TableColumn("Practice", 1.0, ColumnAlign.Right),
                new TableColumn("Median days to MCID, yours", 1.1, ColumnAlign.Right), new TableColumn("Practice", 1.0, ColumnAlign.Right),
            ],
            card.Outcomes.Select(o => new TableRow(OutcomeCells(o), Emphasis: o.Condition == ReportCardService.AllConditions)));
            writer.Paragraph("Mean change in points from intake to discharge (or the latest form), signed so that a positive change is an improvement on every measure. "
                + "MCID: the minimal clinically important difference of the measure. Practice: all of the practice's patients with the same measure and condition.",
                TextStyle.Muted);
        }
        if (withChart && card.ScoreByWeek is { } weeks)
        {
            var chart = ScoreChart(weeks);
            writer.EnsureSpace(chart.Height + 20);
            writer.Chart(chart);
        }

        writer.Heading("What your patients said", 2);
        writer.Table(ComparisonColumns("Net Promoter Score"),
        [
            Row("Net Promoter Score (−100 to +100)", card.Nps),
            new TableRow(["Survey responses", Count(card.Nps.Yours), Count(card.Nps.Practice)]),
        ]);
        if (card.Comments.Count > 0)
        {
            foreach (var comment in card.Comments)
            {
                writer.Paragraph([new TextRun($"“{comment.Text}”", Italic: true)], TextStyle.Body, indent: 12, spaceAfter: 1);
                writer.Paragraph([new TextRun($"A patient, {comment.Month} (score {comment.Score} of 10), shared with permission")], TextStyle.Muted, indent: 12);
            }
        }
        else
        {
            writer.Paragraph("No patient comments were shared with permission in this period.", TextStyle.Small);
        }

        writer.Space(4);
        writer.Paragraph(Footnote(card), TextStyle.Muted);
        var pages = writer.PageCount;
        return (writer.ToPdf(), pages);
    }

    /// <summary>A suppressed slice shows "fewer than N" once, under Patients, and nothing beside it.</summary>
    public static string[] OutcomeCells(OutcomeRow o) => o.Patients.Suppressed
        ? [o.InstrumentShortName, o.Condition, o.Patients.Display, "", "", "", "", "", ""]
        : [o.InstrumentShortName, o.Condition, o.Patients.Display, o.MeanChange.Yours.Display, o.MeanChange.Practice.Display,
            o.McidShare.Yours.Display, o.McidShare.Practice.Display, o.MedianDaysToMcid.Yours.Display, o.MedianDaysToMcid.Practice.Display];

    public static ChartImage ScoreChart(ScoreByWeek weeks) =>
        Charts.Lines($"{weeks.InstrumentShortName}: mean score by week since intake ({(weeks.HigherIsBetter ? "higher" : "lower")} is better)",
            "Weeks since intake", "Mean score",
            [
                new ChartSeries("Your patients", [.. weeks.Yours.Select(w => (double)w.Week)], [.. weeks.Yours.Select(w => w.Mean)], Charts.Primary),
                new ChartSeries("All patients of the practice", [.. weeks.Practice.Select(w => (double)w.Week)], [.. weeks.Practice.Select(w => w.Mean)], Charts.Comparison, Dashed: true),
            ], width: 500, height: 190, legend: weeks.HigherIsBetter ? LegendPosition.LowerRight : LegendPosition.UpperRight);

    public static string SourceLine(ReportCard card) =>
        string.Join(" · ", new[] { card.Source.Specialty, card.Source.PracticeName, card.Source.Npi is { } npi ? $"NPI {npi}" : null, $"Period {card.PeriodText.Replace(' ', '\u00A0')}" }
            .Where(p => !string.IsNullOrWhiteSpace(p)));

    public static string Footnote(ReportCard card) =>
        $"Aggregates only: no patient is named. A figure from fewer than {card.MinimumCellSize} patients is shown as \"fewer than {card.MinimumCellSize}\" "
        + "and is not compared. Referral figures cover referrals received in the period; outcomes cover episodes whose intake form falls in it; "
        + "Net Promoter Score: % promoters (9–10) − % detractors (0–6) of survey answers in the period. "
        + $"Generated {card.GeneratedOn.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} by Rapport.";

    private static TableColumn[] ComparisonColumns(string first) =>
        [new TableColumn(first, 3.2), new TableColumn("Your patients", 1.2, ColumnAlign.Right), new TableColumn("Practice", 1.2, ColumnAlign.Right)];

    private static TableRow Row(string label, Comparison comparison) => new([label, comparison.Yours.Display, comparison.Practice.Display]);

    private static string Count(Figure figure) =>
        figure.Suppressed ? figure.Display : figure.N is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "—";
}
