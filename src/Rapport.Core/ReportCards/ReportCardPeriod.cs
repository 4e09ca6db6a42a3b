using System.Globalization;
using System.Text.RegularExpressions;
using Rapport.Common;

namespace Rapport.ReportCards;

/// <summary>
/// The period a report card covers, both ends included. Written as
/// <c>12m</c> (the last 12 months ending today, the default; any 1–60),
/// <c>2026</c> (a calendar year), <c>2026-Q1</c> (a quarter) or <c>2026-01-01..2026-06-30</c> (dates).
/// "The last N months" matches the source list's "12 months": received after today − N months.
/// </summary>
public static partial class ReportCardPeriod
{
    public const string DefaultText = "12m";
    public const string Syntax = "12m (last 12 months), 2026 (a year), 2026-Q1 (a quarter) or 2026-01-01..2026-06-30";

    [GeneratedRegex(@"^(\d{1,2})m$", RegexOptions.IgnoreCase)]
    private static partial Regex Months();

    [GeneratedRegex(@"^(\d{4})$")]
    private static partial Regex Year();

    [GeneratedRegex(@"^(\d{4})-Q([1-4])$", RegexOptions.IgnoreCase)]
    private static partial Regex Quarter();

    public static (DateOnly From, DateOnly To) LastMonths(int months, DateOnly today) => (today.AddMonths(-months).AddDays(1), today);

    /// <summary>Parses the period text; a problem is a validation error on <paramref name="field"/>.</summary>
    public static (DateOnly From, DateOnly To) Parse(string? text, DateOnly today, string field = "period")
    {
        var value = (text ?? DefaultText).Trim();
        if (value.Length == 0)
        {
            value = DefaultText;
        }
        if (Months().Match(value) is { Success: true } months)
        {
            var count = int.Parse(months.Groups[1].Value, CultureInfo.InvariantCulture);
            return count is >= 1 and <= 60 ? LastMonths(count, today) : throw new ValidationException(field, $"'{value}': use 1m to 60m.");
        }
        if (Year().Match(value) is { Success: true } year)
        {
            var y = int.Parse(year.Groups[1].Value, CultureInfo.InvariantCulture);
            return Checked(new DateOnly(y, 1, 1), new DateOnly(y, 12, 31), today, field);
        }
        if (Quarter().Match(value) is { Success: true } quarter)
        {
            var start = new DateOnly(int.Parse(quarter.Groups[1].Value, CultureInfo.InvariantCulture), (int.Parse(quarter.Groups[2].Value, CultureInfo.InvariantCulture) - 1) * 3 + 1, 1);
            return Checked(start, start.AddMonths(3).AddDays(-1), today, field);
        }
        var parts = value.Split("..");
        if (parts.Length == 2
            && DateOnly.TryParseExact(parts[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            && DateOnly.TryParseExact(parts[1].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
        {
            return Checked(from, to, today, field);
        }
        throw new ValidationException(field, $"'{value}' is not a period; use {Syntax}.");
    }

    /// <summary>From and to dates as the API and the pages take them; both missing means the last 12 months.</summary>
    public static (DateOnly From, DateOnly To) FromDates(DateOnly? from, DateOnly? to, DateOnly today)
    {
        var (defaultFrom, defaultTo) = LastMonths(12, today);
        var end = to ?? (from is { } f && f.AddYears(1).AddDays(-1) < today ? f.AddYears(1).AddDays(-1) : defaultTo);
        var start = from ?? end.AddYears(-1).AddDays(1);
        return from is null && to is null ? (defaultFrom, defaultTo) : Checked(start, end, today, from is null ? "to" : "from");
    }

    public static string Describe(DateOnly from, DateOnly to) =>
        string.Create(CultureInfo.InvariantCulture, $"{from:d MMM yyyy} – {to:d MMM yyyy}");

    /// <summary>
    /// Whether the period is not over on <paramref name="today"/>: it ends today or later (the default
    /// "last 12 months", this year, this quarter). Its figures run only to today: it is labelled
    /// "to date" and never presented as a complete period.
    /// </summary>
    public static bool IsPartial(DateOnly to, DateOnly today) => to >= today;

    /// <summary>
    /// The period as the card prints it: "3 Dec 2025 – 2 Dec 2026 (to date)" when it ends today,
    /// "1 Oct 2026 – 31 Dec 2026 (to date: 2 Dec 2026)" when it ends later, else as <see cref="Describe(DateOnly, DateOnly)"/>.
    /// </summary>
    public static string Describe(DateOnly from, DateOnly to, DateOnly today) =>
        Describe(from, to) + (!IsPartial(to, today) ? ""
            : to == today ? " (to date)"
            : string.Create(CultureInfo.InvariantCulture, $" (to date: {today:d MMM yyyy})"));

    private static (DateOnly, DateOnly) Checked(DateOnly from, DateOnly to, DateOnly today, string field)
    {
        if (to < from)
        {
            throw new ValidationException(field, $"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).");
        }
        if (from > today)
        {
            throw new ValidationException(field, $"The period starts in the future ({from:yyyy-MM-dd}).");
        }
        if (to.DayNumber - from.DayNumber > 5 * 366)
        {
            throw new ValidationException(field, "A report card covers at most five years.");
        }
        return (from, to);
    }
}
