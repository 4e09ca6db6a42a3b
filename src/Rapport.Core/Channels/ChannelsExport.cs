using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Channels;

/// <summary>
/// The channels report as a file: one row per month (the month so far marked), its referrals by level and by every
/// channel line, and the direct-access share; the same clinic and months filters as /Channels.
/// </summary>
public sealed class ChannelsExport(ChannelReportService channels) : IListExport
{
    public string Kind => "channels";

    /// <summary>Counts per month and channel: no patient is named.</summary>
    public string? PatientEntityType => null;

    /// <summary>The page's query string (clinic, months) as a report query.</summary>
    public static ChannelReportQuery Query(ExportFilters filters) => new()
    {
        ClinicId = filters.Number("clinic") ?? filters.Number("clinicId"),
        Months = filters.Number("months") ?? 12,
    };

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken) =>
        ToSheet(await channels.BuildAsync(Query(new ExportFilters(filters)), cancellationToken));

    public static Sheet ToSheet(ChannelReport report)
    {
        var columns = new List<SheetColumn>
        {
            new("Month", ColumnKind.Date), new("Through", ColumnKind.Date), new("Month so far"), new("Clinic"), new("Referrals", ColumnKind.Count),
            new("Physician", ColumnKind.Count), new("Direct access", ColumnKind.Count), new("Channel not recorded", ColumnKind.Count),
            new("Direct-access share", ColumnKind.Percent),
        };
        // The direct-access lines after the levels (physician is its own level), so a spreadsheet can chart the second level alone.
        columns.AddRange(report.Channels.Where(c => c.Level == ChannelLevel.DirectAccess).Select(c => new SheetColumn(c.Label, ColumnKind.Count)));
        var rows = report.ByMonth.Select((month, i) => (IReadOnlyList<object?>)
        [
            month.Period.Month, month.Period.Through, month.Period.Partial ? "yes" : "no", report.ClinicName ?? "All clinics", month.Referrals,
            month.Physician, month.DirectAccess, month.NotRecorded, month.DirectAccessShare,
            .. report.Channels.Where(c => c.Level == ChannelLevel.DirectAccess).Select(c => (object?)c.Referrals[i]),
        ]);
        return new Sheet("Channels", columns, rows);
    }
}
