using System.Globalization;
using System.Text.Json.Serialization;

namespace Rapport.Common;

/// <summary>
/// A calendar month as a chart, a table or the API shows it. Every window ends today (the
/// practice's date, <see cref="PracticeClock.Today"/>), so the month holding today is
/// <see cref="Partial"/>: its figures run only to <see cref="Through"/> and it is never drawn,
/// labelled or compared as if complete ("Dec 2026 (to 2nd)").
/// </summary>
/// <param name="Month">The first day of the month.</param>
/// <param name="Through">The last day the month's figures cover: today in the partial month, else its last day.</param>
public sealed record MonthPeriod(DateOnly Month, DateOnly Through, bool Partial)
{
    /// <summary>The month of <paramref name="anyDay"/> as seen on <paramref name="today"/>. A month after today's is not partial: it has no figures yet.</summary>
    public static MonthPeriod Of(DateOnly anyDay, DateOnly today)
    {
        var month = new DateOnly(anyDay.Year, anyDay.Month, 1);
        var partial = month.Year == today.Year && month.Month == today.Month;
        return new MonthPeriod(month, partial ? today : month.AddMonths(1).AddDays(-1), partial);
    }

    /// <summary>"Dec 2026", or "Dec 2026 (to 2nd)" for the month so far.</summary>
    [JsonIgnore]
    public string Label => Month.ToString("MMM yyyy", CultureInfo.InvariantCulture) + ToDateSuffix;

    /// <summary>"Dec", or "Dec (to 2nd)" for the month so far.</summary>
    [JsonIgnore]
    public string ShortLabel => Month.ToString("MMM", CultureInfo.InvariantCulture) + ToDateSuffix;

    /// <summary>" (to 2nd)" for the month so far, else empty.</summary>
    [JsonIgnore]
    public string ToDateSuffix => Partial ? $" (to {Ordinal(Through.Day)})" : "";

    /// <summary>"1st", "2nd", "3rd", "4th", "11th", "22nd"…</summary>
    public static string Ordinal(int day) =>
        day.ToString(CultureInfo.InvariantCulture) + ((day % 100) switch
        {
            11 or 12 or 13 => "th",
            _ => (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" },
        });

    /// <summary>
    /// The days of the month before <paramref name="today"/>'s that a month-to-date figure is
    /// compared with: its first <c>today.Day</c> days, or all of it when it is shorter (on 31 March,
    /// all of February). Like with like: never a partial month against a whole one.
    /// </summary>
    public static (DateOnly From, DateOnly Through) SameDaysOfLastMonth(DateOnly today)
    {
        var from = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var through = from.AddDays(Math.Min(today.Day, DateTime.DaysInMonth(from.Year, from.Month)) - 1);
        return (from, through);
    }
}
