using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Letters;

/// <summary>The letters-due list as a file, with the page's filters (ClinicId, OverdueOnly). It names patients: audited as an export.</summary>
public sealed class LettersDueExport(LetterService letters) : IListExport
{
    public string Kind => "letters-due";

    public string? PatientEntityType => nameof(Letter);

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var read = new ExportFilters(filters);
        var due = await letters.DueAsync(new LetterDueQuery { ClinicId = read.Number("ClinicId"), OverdueOnly = read.Bool("OverdueOnly") }, cancellationToken);
        return new Sheet("Letters due",
        [
            new("Referral id", ColumnKind.Count), new("Patient"), new("Source id", ColumnKind.Count), new("Source"), new("Clinic"), new("Letter"),
            new("At visit", ColumnKind.Count), new("Event", ColumnKind.Date), new("Due by", ColumnKind.Date), new("State"), new("Days overdue", ColumnKind.Count),
        ],
        due.Select(d => (IReadOnlyList<object?>)
        [
            d.ReferralId, d.PatientName, d.SourceId, d.SourceName, d.ClinicName, d.Kind.ToString(),
            d.AtVisit, d.EventOn, d.DueBy, d.State.ToString(), d.DaysOverdue,
        ]));
    }
}
