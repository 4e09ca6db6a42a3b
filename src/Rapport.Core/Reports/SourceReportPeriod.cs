using System.Globalization;
using System.Text.RegularExpressions;
using Rapport.Common;

namespace Rapport.Reports;

public enum ReportPeriodKind { Month, Quarter, Year, Custom }

/// <summary>A span of practice dates, both ends included.</summary>
public sealed record DateSpan(DateOnly From, DateOnly Through)
{
    public int Days => Through.DayNumber - From.DayNumber + 1;

    public override string ToString() => Describe(From, Through);

    public static string Describe(DateOnly from, DateOnly through) =>
        from == through ? from.ToString("d MMM yyyy", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{from:d MMM yyyy} – {through:d MMM yyyy}");
}

/// <summary>
/// The three windows a referral source report compares: the period, the period before it and the same
/// period a year earlier. A period that has not ended (it holds today) is cut at today, and so are the
/// other two, to the same number of days: like with like, never a month so far against a whole month.
/// </summary>
/// <param name="Text">The period as it was asked for, normalized ("2026-05", "2026-Q2", "2026", "2026-01-01..2026-03-15").</param>
/// <param name="Period">The whole period as named.</param>
/// <param name="Current">The days whose referrals are counted: the period, or its first days up to today.</param>
/// <param name="Previous">The period just before (previous month, quarter, year, or as many days before a custom span), cut like <paramref name="Current"/>.</param>
/// <param name="LastYear">The same period a year earlier, cut like <paramref name="Current"/>.</param>
/// <param name="Partial">The period runs to today or later, so all three windows are cut to its days so far.</param>
public sealed record SourceReportPeriod(
    ReportPeriodKind Kind,
    string Text,
    DateSpan Period,
    DateSpan Current,
    DateSpan Previous,
    DateSpan LastYear,
    bool Partial)
{
    public const string Syntax = "2026-05 (a month), 2026-Q2 (a quarter), 2026 (a year), last-month, this-month, last-quarter, this-quarter, "
        + "last-year, this-year, or from and to dates (custom)";

    /// <summary>"May 2026", "Q2 2026", "2026" or "1 Jan 2026 – 15 Mar 2026", with "(to 17 Jun)" when partial.</summary>
    public string Label => Kind switch
    {
        ReportPeriodKind.Month => Period.From.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
        ReportPeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"Q{(Period.From.Month - 1) / 3 + 1} {Period.From.Year}"),
        ReportPeriodKind.Year => Period.From.Year.ToString(CultureInfo.InvariantCulture),
        _ => Period.ToString(),
    } + (Partial ? string.Create(CultureInfo.InvariantCulture, $" (to {Current.Through:d MMM})") : "");

    /// <summary>What a reader must know when the period is not over; null for a complete period.</summary>
    public string? PartialNote => Partial
        ? string.Create(CultureInfo.InvariantCulture,
            $"The period is not over: it is counted to today ({Current.Through:d MMM yyyy}), {Current.Days} day{(Current.Days == 1 ? "" : "s")}, "
            + $"and compared like for like with the same number of days of the previous period ({Previous}) and of the same period last year ({LastYear}).")
        : null;
}

/// <summary>Reads the period of a referral source report, the same way for the page, the API and the CLI.</summary>
public static partial class SourceReportPeriods
{
    public const string DefaultText = "last-month";

    [GeneratedRegex(@"^(\d{4})-(\d{1,2})$")]
    private static partial Regex MonthPattern();

    [GeneratedRegex(@"^(\d{4})-Q([1-4])$", RegexOptions.IgnoreCase)]
    private static partial Regex QuarterPattern();

    [GeneratedRegex(@"^(\d{4})$")]
    private static partial Regex YearPattern();

    /// <summary>
    /// The period named by <paramref name="period"/>, or the custom span <paramref name="from"/>–<paramref name="to"/>
    /// (yyyy-MM-dd, both needed, not with a named period); nothing at all means the last full month.
    /// A problem is a <see cref="ValidationException"/> naming the field (period, from or to).
    /// </summary>
    public static SourceReportPeriod Parse(string? period, string? from, string? to, DateOnly today)
    {
        period = Blank(period);
        from = Blank(from);
        to = Blank(to);
        if (from is not null || to is not null)
        {
            if (period is not null && !period.Equals("custom", StringComparison.OrdinalIgnoreCase))
            {
                throw new ValidationException("period", $"Give either a period (\"{period}\") or from and to dates, not both.");
            }
            var start = ParseDate(from, "from");
            var end = ParseDate(to, "to");
            if (end < start)
            {
                throw new ValidationException("to", $"The period ends ({end:yyyy-MM-dd}) before it starts ({start:yyyy-MM-dd}).");
            }
            if (end.DayNumber - start.DayNumber >= 5 * 366)
            {
                throw new ValidationException("to", "A report covers at most five years.");
            }
            return Build(ReportPeriodKind.Custom, new DateSpan(start, end), today, "from");
        }
        var text = period ?? DefaultText;
        var lastMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var thisQuarter = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        switch (text.ToLowerInvariant())
        {
            case "last-month": return Month(lastMonth, today);
            case "this-month": return Month(lastMonth.AddMonths(1), today);
            case "last-quarter": return Quarter(thisQuarter.AddMonths(-3), today);
            case "this-quarter": return Quarter(thisQuarter, today);
            case "last-year": return Year(today.Year - 1, today);
            case "this-year": return Year(today.Year, today);
            case "custom": throw new ValidationException("from", "A custom period needs from and to dates (yyyy-MM-dd).");
        }
        if (MonthPattern().Match(text) is { Success: true } month)
        {
            var m = int.Parse(month.Groups[2].Value, CultureInfo.InvariantCulture);
            var y = int.Parse(month.Groups[1].Value, CultureInfo.InvariantCulture);
            return m is >= 1 and <= 12 && y >= 1901 ? Month(new DateOnly(y, m, 1), today) : throw Bad(text);
        }
        if (QuarterPattern().Match(text) is { Success: true } quarter)
        {
            var y = int.Parse(quarter.Groups[1].Value, CultureInfo.InvariantCulture);
            return y >= 1901 ? Quarter(new DateOnly(y, (int.Parse(quarter.Groups[2].Value, CultureInfo.InvariantCulture) - 1) * 3 + 1, 1), today) : throw Bad(text);
        }
        if (YearPattern().Match(text) is { Success: true } year)
        {
            var y = int.Parse(year.Groups[1].Value, CultureInfo.InvariantCulture);
            return y >= 1901 ? Year(y, today) : throw Bad(text);
        }
        throw Bad(text);
    }

    private static SourceReportPeriod Month(DateOnly first, DateOnly today) =>
        Build(ReportPeriodKind.Month, new DateSpan(first, first.AddMonths(1).AddDays(-1)), today, "period");

    private static SourceReportPeriod Quarter(DateOnly first, DateOnly today) =>
        Build(ReportPeriodKind.Quarter, new DateSpan(first, first.AddMonths(3).AddDays(-1)), today, "period");

    private static SourceReportPeriod Year(int year, DateOnly today) =>
        Build(ReportPeriodKind.Year, new DateSpan(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)), today, "period");

    private static SourceReportPeriod Build(ReportPeriodKind kind, DateSpan period, DateOnly today, string field)
    {
        if (period.From > today)
        {
            throw new ValidationException(field, $"The period starts in the future ({period.From:yyyy-MM-dd}); today is {today:yyyy-MM-dd}.");
        }
        var previous = kind switch
        {
            ReportPeriodKind.Month => new DateSpan(period.From.AddMonths(-1), period.From.AddDays(-1)),
            ReportPeriodKind.Quarter => new DateSpan(period.From.AddMonths(-3), period.From.AddDays(-1)),
            ReportPeriodKind.Year => new DateSpan(period.From.AddYears(-1), period.From.AddDays(-1)),
            _ => new DateSpan(period.From.AddDays(-period.Days), period.From.AddDays(-1)),
        };
        var lastYear = new DateSpan(period.From.AddYears(-1), period.Through.AddYears(-1));
        var partial = period.Through >= today;
        if (!partial)
        {
            return new SourceReportPeriod(kind, Text(kind, period), period, period, previous, lastYear, false);
        }
        var current = new DateSpan(period.From, today);
        return new SourceReportPeriod(kind, Text(kind, period), period, current, Cut(previous, current.Days), Cut(lastYear, current.Days), true);
    }

    /// <summary>The first <paramref name="days"/> days of a span, or all of it when it is shorter (30 days of February is all of February).</summary>
    private static DateSpan Cut(DateSpan span, int days) => new(span.From, span.From.AddDays(Math.Min(days, span.Days) - 1));

    private static string Text(ReportPeriodKind kind, DateSpan period) => kind switch
    {
        ReportPeriodKind.Month => period.From.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        ReportPeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{period.From.Year}-Q{(period.From.Month - 1) / 3 + 1}"),
        ReportPeriodKind.Year => period.From.Year.ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{period.From:yyyy-MM-dd}..{period.Through:yyyy-MM-dd}"),
    };

    private static DateOnly ParseDate(string? text, string field) =>
        text is null ? throw new ValidationException(field, $"A custom period needs both from and to dates; {field} is missing.")
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1901 ? date
        : throw new ValidationException(field, $"'{text}' is not a date (yyyy-MM-dd).");

    private static ValidationException Bad(string text) => new("period", $"'{text}' is not a period; use {SourceReportPeriod.Syntax}.");

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
