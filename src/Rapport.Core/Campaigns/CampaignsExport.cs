using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Campaigns;

/// <summary>
/// The campaigns list as a file (kind <c>campaigns</c>) with the page's filters: <c>clinicId</c>, <c>kind</c>, <c>year</c>,
/// <c>archived</c>. The same rows as the page, from <see cref="CampaignResultsService.SummariesAsync"/>. No patient data.
/// </summary>
public sealed class CampaignsExport(CampaignResultsService results) : IListExport
{
    public string Kind => "campaigns";

    public string? PatientEntityType => null;

    public static readonly IReadOnlyList<SheetColumn> Columns =
    [
        new("id", ColumnKind.Count), new("name"), new("kind"), new("startsOn", ColumnKind.Date), new("endsOn", ColumnKind.Date), new("clinics"),
        new("budget", ColumnKind.Money), new("actualCost", ColumnKind.Money), new("sourcesReached", ColumnKind.Count),
        new("newReferringSources", ColumnKind.Count), new("referralsAttributed", ColumnKind.Count), new("estimatedRevenue", ColumnKind.Money),
        new("returnOnSpend", ColumnKind.Number), new("archived"),
    ];

    public static CampaignListQuery Query(ExportFilters read) => new()
    {
        ClinicId = read.Number("clinicId"),
        Kind = read.Enum<CampaignKind>("kind"),
        Year = read.Number("year"),
        IncludeArchived = read.Bool("archived"),
    };

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var rows = await results.SummariesAsync(Query(new ExportFilters(filters)), cancellationToken);
        return new Sheet("Campaigns", Columns, rows.Select(Cells));
    }

    public static IReadOnlyList<object?> Cells(CampaignSummary c) =>
    [
        c.Id, c.Name, CampaignKinds.Label(c.Kind), c.StartsOn, c.EndsOn, string.Join("; ", c.Clinics), c.Budget, c.ActualCost, c.SourcesReached,
        c.NewReferringSources, c.ReferralsAttributed, c.EstimatedRevenue, c.ReturnOnSpend, c.Archived ? "yes" : "no",
    ];
}
