using System.Globalization;
using Rapport.Common;

namespace Rapport.Exports;

/// <summary>
/// Reads an export's filters by the list page's parameter names (any case), so the page, the API and
/// <c>rapport export --filter name=value</c> take the same words. A value that does not parse is a
/// <see cref="ValidationException"/> naming the parameter; a blank value means the filter is not set.
/// </summary>
public sealed class ExportFilters(IReadOnlyDictionary<string, string?> values)
{
    private readonly Dictionary<string, string> present = values
        .Where(v => !string.IsNullOrWhiteSpace(v.Value))
        .GroupBy(v => v.Key, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.Last().Value!.Trim(), StringComparer.OrdinalIgnoreCase);

    public string? Text(string name) => present.GetValueOrDefault(name);

    public int? Number(string name) => Text(name) is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ValidationException(name, $"'{text}' is not a whole number.");

    /// <summary>"true"/"false" (an HTML checkbox sends "true"; "on" and "1" are read as true too).</summary>
    public bool Bool(string name) => Text(name)?.ToLowerInvariant() switch
    {
        null or "false" or "0" or "off" => false,
        "true" or "1" or "on" => true,
        var other => throw new ValidationException(name, $"'{other}' is not true or false."),
    };

    public DateOnly? Date(string name) => Text(name) is not { } text ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new ValidationException(name, $"'{text}' is not a date as yyyy-MM-dd.");

    /// <summary>An enum by name, ignoring case; an unknown name lists the accepted ones.</summary>
    public T? Enum<T>(string name) where T : struct, System.Enum
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        var match = System.Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return match is null
            ? throw new ValidationException(name, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.")
            : System.Enum.Parse<T>(match);
    }

    /// <summary>One of <paramref name="allowed"/> (ignoring case), returned as written there.</summary>
    public string? OneOf(string name, IReadOnlyCollection<string> allowed)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }
        return allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new ValidationException(name, $"'{text}' is not one of {string.Join(", ", allowed)}.");
    }

    /// <summary>
    /// The filters that were set, for the audit trail: numbers, dates and true/false with their value,
    /// anything else by its name only (a search may be a patient's name).
    /// </summary>
    public string Describe()
    {
        var parts = present.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p =>
            p.Value.All(c => char.IsAsciiDigit(c) || c == '-') || p.Value is "true" or "false" ? $"{p.Key}={p.Value}" : p.Key);
        return string.Join(", ", parts);
    }
}
