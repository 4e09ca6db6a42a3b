using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Patients;

/// <summary>The /Patients list as a file, with the page's filters (q, activeOnly, archived). Patient data: audited as an export.</summary>
public sealed class PatientsExport(PatientService patients) : IListExport
{
    public string Kind => "patients";

    public string? PatientEntityType => nameof(Patient);

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var read = new ExportFilters(filters);
        var rows = await patients.AllAsync(new PatientListQuery
        {
            Search = read.Text("q"), ActiveOnly = read.Bool("activeOnly"), IncludeArchived = read.Bool("archived"),
        }, cancellationToken);
        return new Sheet("Patients",
        [
            new("Id", ColumnKind.Count), new("MRN"), new("Last name"), new("First name"), new("Born", ColumnKind.Date), new("Sex"), new("ZIP"),
            new("Payer"), new("E-mail"), new("Came via"), new("Referrals", ColumnKind.Count), new("Active"), new("Archived"),
        ],
        rows.Select(p => (IReadOnlyList<object?>)
        [
            p.Id, p.ExternalId, p.LastName, p.FirstName, p.BirthDate, p.Sex, p.Zip,
            p.Payer, p.Email, p.AcquisitionChannel?.ToString(), p.Referrals, p.Active, p.Archived,
        ]));
    }
}
