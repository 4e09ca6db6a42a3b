using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Documents;

namespace Rapport.Reports;

/// <summary>The figures of a <see cref="SourceReport"/> as people read them: the page, the PDF and the CLI table print these.</summary>
public static class SourceReportText
{
    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"+3", "−2", "0".</summary>
    public static string Change(int value) => value > 0 ? "+" + Count(value) : value < 0 ? "−" + Count(-value) : "0";

    /// <summary>"+25.0%", "−12.5%", "—" when there was nothing to compare with.</summary>
    public static string ChangePercent(double? percent) => percent switch
    {
        null => "—",
        > 0 => "+" + percent.Value.ToString("0.0", CultureInfo.InvariantCulture) + "%",
        < 0 => "−" + (-percent.Value).ToString("0.0", CultureInfo.InvariantCulture) + "%",
        _ => "0.0%",
    };

    /// <summary>"66.7%", "—" when no referral of the period has been decided yet.</summary>
    public static string Percent(double? percent) => percent is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>"$1,234"; "not set" when the practice has no revenue per visit.</summary>
    public static string Money(decimal? amount) => amount is { } a ? "$" + a.ToString("N0", CultureInfo.InvariantCulture) : "not set";

    /// <summary>The cells of one row, in the order of <see cref="Headers"/>.</summary>
    public static string[] Cells(SourceReportRow r) =>
    [
        r.Name, Count(r.Referrals), Count(r.PreviousReferrals), Change(r.Change), ChangePercent(r.ChangePercent),
        Count(r.LastYearReferrals), Change(r.YearChange), ChangePercent(r.YearChangePercent), Percent(r.ConversionPercent),
        Count(r.Visits), Money(r.EstimatedRevenue),
    ];

    public static readonly string[] Headers =
        ["Source", "Referrals", "Previous period", "Change", "Change %", "Same period last year", "Change", "Change %", "Conversion", "Visits", "Est. revenue"];

    public static string Windows(SourceReport report) =>
        $"This period {DateSpan.Describe(report.Current.From, report.Current.Through)} · previous period {DateSpan.Describe(report.Previous.From, report.Previous.Through)} · "
        + $"same period last year {DateSpan.Describe(report.LastYear.From, report.LastYear.Through)}";

    public const string Definitions =
        "Referrals: received in the window. Conversion: of this period's referrals, those evaluated ÷ (evaluated + lost before evaluation); "
        + "referrals still pending count neither way. Visits: the visit counts recorded on this period's referrals (Rapport has no visit dates, "
        + "so all of a referral's visits count in the period it was received). Estimated revenue: visits × revenue per visit of the referral's payer "
        + "category (Settings → Revenue); visits with no payer or no rate are not priced. Change %: against the earlier window; — when it had none.";
}

/// <summary>The report as a download: CSV and XLSX through <see cref="TableFile"/>, and a landscape PDF of one or two pages.</summary>
public static class SourceReportFiles
{
    public const int MaxPdfPages = 2;

    public static Sheet Sheet(SourceReport report) => new(
        "Referral sources " + report.Period.Replace("..", " to ", StringComparison.Ordinal),
        [
            new SheetColumn("Source"), new SheetColumn("NPI"), new SheetColumn("Specialty"), new SheetColumn("Direct access channel"),
            new SheetColumn("Referrals", ColumnKind.Count), new SheetColumn("Previous period", ColumnKind.Count),
            new SheetColumn("Change", ColumnKind.Count), new SheetColumn("Change %", ColumnKind.Percent),
            new SheetColumn("Same period last year", ColumnKind.Count), new SheetColumn("Change vs last year", ColumnKind.Count),
            new SheetColumn("Change vs last year %", ColumnKind.Percent),
            new SheetColumn("Evaluated", ColumnKind.Count), new SheetColumn("Lost", ColumnKind.Count), new SheetColumn("Pending", ColumnKind.Count),
            new SheetColumn("Conversion", ColumnKind.Percent), new SheetColumn("Visits", ColumnKind.Count),
            new SheetColumn("Estimated revenue", ColumnKind.Money), new SheetColumn("Visits not priced", ColumnKind.Count),
        ],
        [.. report.Rows.Append(report.Totals).Select(SheetRow)]);

    private static object?[] SheetRow(SourceReportRow r) =>
    [
        r.Name, r.Npi, r.Specialty, r.DirectAccess ? r.Channel?.ToString() ?? "" : null,
        r.Referrals, r.PreviousReferrals, r.Change, Fraction(r.ChangePercent),
        r.LastYearReferrals, r.YearChange, Fraction(r.YearChangePercent),
        r.Evaluated, r.Lost, r.Pending, Fraction(r.ConversionPercent), r.Visits, r.EstimatedRevenue, r.UnpricedVisits,
    ];

    /// <summary>The sheets' percent columns hold fractions (Excel's 0.0% format); the API's percent 25.0 is 0.25 here.</summary>
    private static double? Fraction(double? percent) => percent / 100;

    public static string FileName(SourceReport report, string extension) =>
        $"referral-sources-{report.Period.Replace("..", "-to-", StringComparison.Ordinal)}{(report.ClinicId is { } id ? $"-clinic-{id}" : "")}.{extension}";

    /// <summary>
    /// A landscape table on at most two pages. When the rows do not fit, the top rows in the report's order are
    /// printed and the rest summed into one "All other …" row, so the totals still add up.
    /// </summary>
    public static byte[] Pdf(SourceReport report, PaperSize paper = PaperSize.Letter)
    {
        var (pdf, pages) = Render(report, report.Rows, paper);
        if (pages <= MaxPdfPages)
        {
            return pdf;
        }
        for (var shown = Math.Min(report.Rows.Count - 1, 50); shown >= 0; shown -= shown > 10 ? 4 : 1)
        {
            var rest = report.Rows.Skip(shown).ToList();
            IReadOnlyList<SourceReportRow> rows = [.. report.Rows.Take(shown),
                SourceReportRow.Sum($"All other sources and channels ({rest.Count})", rest, total: false, report.RevenueRatesSet)];
            (pdf, pages) = Render(report, rows, paper);
            if (pages <= MaxPdfPages)
            {
                return pdf;
            }
        }
        return pdf;
    }

    private static (byte[] Pdf, int Pages) Render(SourceReport report, IReadOnlyList<SourceReportRow> rows, PaperSize paper)
    {
        var title = $"Referral sources: {report.PeriodLabel}";
        using var writer = new PdfPageWriter(new PageSetup
        {
            Paper = paper,
            Landscape = true,
            Margin = 36,
            Title = title,
            Author = report.PracticeName,
            FooterText = $"{report.PracticeName} · Referral source report · {report.PeriodLabel}",
        });
        writer.Letterhead(report.PracticeName, "Referral source report" + (report.ClinicName is { } clinic ? $" · {clinic}" : " · all clinics"));
        writer.Heading(title);
        writer.Paragraph(SourceReportText.Windows(report), TextStyle.Small);
        if (report.PartialNote is { } partial)
        {
            writer.Paragraph(partial, TextStyle.Small);
        }
        writer.Table(
        [
            new TableColumn(SourceReportText.Headers[0], 3.2), new TableColumn("Referrals", 1, ColumnAlign.Right),
            new TableColumn("Previous period", 1, ColumnAlign.Right), new TableColumn("Change", 0.9, ColumnAlign.Right),
            new TableColumn("Change %", 1, ColumnAlign.Right), new TableColumn("Last year", 1, ColumnAlign.Right),
            new TableColumn("Change", 0.9, ColumnAlign.Right), new TableColumn("Change %", 1, ColumnAlign.Right),
            new TableColumn("Conversion", 1.35, ColumnAlign.Right), new TableColumn("Visits", 0.9, ColumnAlign.Right),
            new TableColumn("Est. revenue", 1.2, ColumnAlign.Right),
        ],
        [.. rows.Select(r => new TableRow(SourceReportText.Cells(r))), new TableRow(SourceReportText.Cells(report.Totals), Emphasis: true)]);
        if (report.RevenueNote is { } note)
        {
            writer.Paragraph(note, TextStyle.Small);
        }
        else if (report.Totals.UnpricedVisits > 0)
        {
            writer.Paragraph($"{SourceReportText.Count(report.Totals.UnpricedVisits)} visits have no payer category or no revenue per visit set and are not in the estimate.", TextStyle.Small);
        }
        writer.Paragraph(SourceReportText.Definitions + $" Sorted by {report.Sort}. Generated {report.GeneratedOn.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} by Rapport.", TextStyle.Muted);
        var pages = writer.PageCount;
        return (writer.ToPdf(), pages);
    }
}

public static class SourceReportRegistration
{
    public static IServiceCollection AddRapportReports(this IServiceCollection services)
    {
        services.AddScoped<RevenueRates>();
        services.AddScoped<SourceReportService>();
        return services;
    }
}
