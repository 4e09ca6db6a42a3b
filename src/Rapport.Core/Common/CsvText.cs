using System.Text;

namespace Rapport.Common;

/// <summary>CSV as text for downloads and the CLI, quoted by RFC 4180.</summary>
public static class CsvText
{
    public static string Write(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', headers.Select(Escape)));
        foreach (var row in rows)
        {
            text.AppendLine(string.Join(',', row.Select(Escape)));
        }
        return text.ToString();
    }

    public static string Escape(string? value)
    {
        var text = value ?? "";
        // A leading =, +, -, @, tab or carriage return can make a spreadsheet run the cell as a formula
        // (CSV injection, OWASP); numbers such as -3.5 stay numbers.
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal)
            && !double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            text = "'" + text;
        }
        return Quote(text);
    }

    /// <summary>RFC 4180 quoting alone, for values Rapport formats itself (figures, dates), which cannot be formulas.</summary>
    public static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
}
