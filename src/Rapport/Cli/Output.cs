using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Rapport.Cli;

public enum OutputFormat { Table, Json, Csv }

/// <summary>Writes verb results as a table for people, or JSON/CSV for scripts.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>
    /// A console for tables: Spectre assumes 80 columns when the output goes to a file or a pipe and
    /// squeezes every cell; a script's file wants whole rows, so redirected output gets a wide page.
    /// </summary>
    public static IAnsiConsole Terminal()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 240;
        }
        return console;
    }

    public static void WriteTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }
        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => new Markup(Markup.Escape(cell ?? ""))).ToArray());
        }
        Terminal().Write(table);
    }

    public static void WriteCsv(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows) =>
        Console.Out.Write(Common.CsvText.Write(headers, rows));

    public static string? Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
