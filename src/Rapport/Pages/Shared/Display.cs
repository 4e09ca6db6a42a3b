using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Rapport.Pages.Shared;

/// <summary>Plain-language rendering of values shared by every page.</summary>
public static partial class Display
{
    /// <summary>US dollars, e.g. "$1,234.50" (the app runs with invariant globalization, so no culture's currency format).</summary>
    public static string Dollars(decimal amount) => "$" + amount.ToString("#,##0.00", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>A stored UTC instant on the practice's wall clock, e.g. "2026-12-31 17:30".</summary>
    public static string Moment(Common.PracticeClock clock, DateTime? utcInstant) =>
        utcInstant is { } at ? clock.ToLocal(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary>The practice's calendar date of a stored UTC instant.</summary>
    public static string DateOf(Common.PracticeClock clock, DateTime? utcInstant) =>
        utcInstant is { } at ? clock.DateOf(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    /// <summary>"InPerson" → "In person", "DoNotContact" → "Do not contact".</summary>
    public static string Words<T>(T? value) where T : struct, Enum => value is { } v ? Words(v.ToString()) : "—";

    public static string Words<T>(T value) where T : struct, Enum => Words(value.ToString());

    public static string Words(string name)
    {
        var spaced = WordBoundary().Replace(name, " $1").ToLowerInvariant();
        return char.ToUpperInvariant(spaced[0]) + spaced[1..];
    }

    /// <summary>Enum options whose values are the names, so query strings stay readable.</summary>
    public static List<SelectListItem> Options<T>(T? selected = null) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => new SelectListItem(Words(v.ToString()), v.ToString(), selected is { } s && s.Equals(v))).ToList();

    public static List<SelectListItem> Options<T>(T selected) where T : struct, Enum => Options<T>((T?)selected);

    public static List<SelectListItem> Options(IEnumerable<string> values, string? selected = null) =>
        values.Select(v => new SelectListItem(v, v, v == selected)).ToList();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex WordBoundary();
}
