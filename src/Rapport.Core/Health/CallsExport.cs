using System.Globalization;
using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Health;

/// <summary>
/// This week's call list as a file, built from <see cref="CallListService.CsvHeaders"/> and
/// <see cref="CallListService.Rows"/> so a column added there (phone, fax, address) is exported too.
/// Filter: <c>all</c> adds the calls that can wait.
/// </summary>
public sealed class CallsExport(CallListService calls) : IListExport
{
    public string Kind => "calls";

    public string? PatientEntityType => null;

    /// <summary>The columns written as numbers or dates in Excel; every other column (and any added later) stays text.</summary>
    private static readonly Dictionary<string, ColumnKind> TypedColumns = new(StringComparer.Ordinal)
    {
        ["rank"] = ColumnKind.Count,
        ["sourceId"] = ColumnKind.Count,
        ["referralsPerMonthAtRisk"] = ColumnKind.Number,
        ["usualReferralsPerMonth"] = ColumnKind.Number,
        ["recentReferralsPerMonth"] = ColumnKind.Number,
        ["lastTouchOn"] = ColumnKind.Date,
    };

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var read = new ExportFilters(filters);
        var includeLater = read.Bool("all");
        var list = await calls.BuildAsync(cancellationToken: cancellationToken);
        var columns = CallListService.CsvHeaders.Select(h => new SheetColumn(h, TypedColumns.GetValueOrDefault(h, ColumnKind.Text))).ToList();
        return new Sheet("Call list", columns,
            CallListService.Rows(list, includeLater).Select(row => (IReadOnlyList<object?>)row.Select((cell, i) => Cell(cell, columns[i].Kind)).ToList()));
    }

    private static object? Cell(string? cell, ColumnKind kind) => (cell, kind) switch
    {
        (null or "", _) => null,
        (_, ColumnKind.Count) when int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) => count,
        (_, ColumnKind.Number) when double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        (_, ColumnKind.Date) when DateOnly.TryParseExact(cell, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => date,
        _ => cell,
    };
}
