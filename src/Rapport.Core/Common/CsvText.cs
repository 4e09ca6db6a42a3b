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

    public static string Escape(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
