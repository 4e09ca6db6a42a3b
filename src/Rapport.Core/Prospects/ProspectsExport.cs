using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Prospects;

/// <summary>
/// The prospects list as a file (kind <c>prospects</c>) with the page's filters: <c>clinic</c>, <c>specialty</c>
/// (several separated by ';', as the page's download link writes them) and <c>radius</c>. Every ranked row,
/// not only the page's first ones, with the score and its parts. Registry data is public: no patient audit.
/// </summary>
public sealed class ProspectsExport(ProspectSearch search) : IListExport
{
    public string Kind => "prospects";

    public string? PatientEntityType => null;

    public static readonly IReadOnlyList<SheetColumn> Columns =
    [
        new("rank", ColumnKind.Count), new("npi"), new("name"), new("credential"), new("taxonomyCode"), new("specialty"), new("group"),
        new("address"), new("city"), new("state"), new("zip"), new("phone"), new("fax"), new("distanceMiles", ColumnKind.Number),
        new("groupSize", ColumnKind.Count), new("referringColleagues"), new("score", ColumnKind.Number), new("fitPoints", ColumnKind.Number),
        new("distancePoints", ColumnKind.Number), new("groupPoints", ColumnKind.Number), new("colleaguesPoints", ColumnKind.Number),
    ];

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var read = new ExportFilters(filters);
        var result = await search.SearchAsync(new ProspectQuery
        {
            Clinic = read.Text("clinic"),
            Specialties = ProspectQuery.SplitSpecialties([read.Text("specialty")]),
            RadiusMiles = ProspectQuery.ParseRadius(read.Text("radius")),
        }, cancellationToken);
        return new Sheet("Prospects", Columns, result.Rows.Select(Cells));
    }

    public static IReadOnlyList<object?> Cells(ProspectRow r) =>
    [
        r.Rank, r.Npi, r.Name, r.Credential, r.TaxonomyCode, r.Specialty, r.Group,
        string.Join(", ", new[] { r.AddressLine1, r.AddressLine2 }.Where(s => !string.IsNullOrWhiteSpace(s))), r.City, r.State, r.ZipText,
        Formats.NormalizePhone(r.Phone) ?? r.Phone, Formats.NormalizePhone(r.Fax) ?? r.Fax, r.DistanceMiles, r.GroupSize,
        string.Join("; ", r.ReferringColleagues), r.Score.Total, Points(ProspectScore.FitWeight * r.Score.Fit),
        Points(ProspectScore.ProximityWeight * r.Score.Proximity), Points(ProspectScore.GroupWeight * r.Score.Group),
        Points(ProspectScore.ColleaguesWeight * r.Score.Colleagues),
    ];

    private static double Points(double weighted) => Math.Round(100 * weighted, 1);
}
