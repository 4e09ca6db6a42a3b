using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Sources;

/// <summary>The /Sources list as a file: the same filters, search and sort as the page, every page of it.</summary>
public sealed class SourcesExport(SourceQueries sources) : IListExport
{
    public string Kind => "sources";

    public string? PatientEntityType => null;

    /// <summary>The page's query string as a list query (q, status, specialty, owner, clinic, archived, sort, desc).</summary>
    public static SourceListQuery Query(ExportFilters filters) => new()
    {
        Search = filters.Text("q"),
        Status = filters.Enum<SourceStatus>("status"),
        Specialty = filters.Text("specialty"),
        OwnerUserId = filters.Text("owner"),
        ClinicId = filters.Number("clinic"),
        IncludeArchived = filters.Bool("archived"),
        Sort = filters.Enum<SourceSort>("sort") ?? SourceSort.Name,
        Descending = filters.Bool("desc"),
    };

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var rows = await sources.AllAsync(Query(new ExportFilters(filters)), cancellationToken);
        return new Sheet("Referral sources",
        [
            new("Id", ColumnKind.Count), new("NPI"), new("Name"), new("Practice"), new("Specialty"), new("Status"),
            new("Active patients", ColumnKind.Count), new("Referrals 90d", ColumnKind.Count), new("Referrals 12m", ColumnKind.Count),
            new("Last touch", ColumnKind.Date), new("Last touch method"), new("Days since touch", ColumnKind.Count),
            new("Refer-backs 12m", ColumnKind.Count), new("Last refer-back", ColumnKind.Date), new("Archived"),
        ],
        rows.Select(s => (IReadOnlyList<object?>)
        [
            s.Id, s.Npi, s.Name, s.PracticeName, s.Specialty, s.Status.ToString(),
            s.ActivePatients, s.Referrals90d, s.Referrals12m,
            s.LastTouchAt, s.LastTouchMethod?.ToString(), s.DaysSinceTouch,
            s.ReferBacks12m, s.LastReferBackAt, s.Archived,
        ]));
    }
}
