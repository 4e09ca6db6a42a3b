using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Touchpoints;

/// <summary>The /Touchpoints list as a file, with its filters (sourceId, method, by, from, to), newest first.</summary>
public sealed class TouchesExport(TouchpointService touchpoints) : IListExport
{
    public string Kind => "touches";

    public string? PatientEntityType => null;

    /// <summary>The page's query string as a list query.</summary>
    public static TouchpointListQuery Query(ExportFilters filters)
    {
        var query = new TouchpointListQuery
        {
            SourceId = filters.Number("sourceId"), Method = filters.Enum<TouchMethod>("method"), ByUserId = filters.Text("by"),
            From = filters.Date("from"), To = filters.Date("to"),
        };
        if (query.From > query.To)
        {
            throw new ValidationException("to", $"The end date ({query.To:yyyy-MM-dd}) is before the start date ({query.From:yyyy-MM-dd}).");
        }
        return query;
    }

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var rows = await touchpoints.AllAsync(Query(new ExportFilters(filters)), cancellationToken);
        return new Sheet("Touches",
        [
            new("Id", ColumnKind.Count), new("Date", ColumnKind.Date), new("Source id", ColumnKind.Count), new("Source"), new("Method"),
            new("Purpose"), new("Notes"), new("By"), new("Campaign"), new("Follow up on", ColumnKind.Date), new("Cost", ColumnKind.Money),
        ],
        rows.Select(t => (IReadOnlyList<object?>)
        [
            t.Id, t.OccurredOn, t.SourceId, t.SourceName, t.Method.ToString(),
            t.Purpose, t.Notes, t.ByName, t.Campaign, t.FollowUpOn, t.Cost,
        ]));
    }
}
