using System.Text.RegularExpressions;
using Rapport.Patients;
using Rapport.Sources;

namespace Rapport.Pages.Shared;

/// <summary>
/// Turns what a person typed in a source or patient field into an id. The lookup script fills a
/// hidden id; without script the text is read here: an NPI, an MRN, or a label from the list.
/// </summary>
public static partial class Pickers
{
    public static string SourceLabel(SourceSummary s) => SourceLabel(s.Id, s.Name, s.PracticeName, s.Npi);

    public static string SourceLabel(int id, string name, string? practice, string? npi) =>
        name + (practice is null ? "" : $" — {practice}") + (npi is null ? $" (#{id})" : $" (NPI {npi})");

    public static string PatientLabel(PatientSummary p) =>
        $"{p.LastName}, {p.FirstName} (MRN {p.ExternalId})" + (p.BirthDate is { } born ? $", born {Display.Date(born)}" : "");

    public static async Task<int?> ResolveSourceAsync(SourceQueries sources, int? id, string? text, CancellationToken cancellationToken)
    {
        if (id is not null || string.IsNullOrWhiteSpace(text))
        {
            return id;
        }
        var key = SourceKey().Match(text) is { Success: true } m ? m.Groups["npi"].Success ? m.Groups["npi"].Value : m.Groups["id"].Value : text.Trim();
        if (await sources.ResolveAsync(key, cancellationToken) is { } resolved)
        {
            return resolved;
        }
        var matches = await sources.ListAsync(new SourceListQuery { Search = text.Trim(), PageSize = 2 }, cancellationToken);
        return matches.Total == 1 ? matches.Items[0].Id : null;
    }

    public static async Task<int?> ResolvePatientAsync(PatientService patients, int? id, string? text, CancellationToken cancellationToken)
    {
        if (id is not null || string.IsNullOrWhiteSpace(text))
        {
            return id;
        }
        var mrn = PatientKey().Match(text) is { Success: true } m ? m.Groups["mrn"].Value : text.Trim();
        var byMrn = await patients.ListAsync(new PatientListQuery { Search = mrn, PageSize = 50 }, cancellationToken);
        if (byMrn.Items.FirstOrDefault(p => string.Equals(p.ExternalId, mrn, StringComparison.OrdinalIgnoreCase)) is { } exact)
        {
            return exact.Id;
        }
        var byName = await patients.ListAsync(new PatientListQuery { Search = text.Trim(), PageSize = 2 }, cancellationToken);
        return byName.Total == 1 ? byName.Items[0].Id : null;
    }

    [GeneratedRegex(@"\((?:NPI (?<npi>\d{10})|#(?<id>\d+))\)\s*$")]
    private static partial Regex SourceKey();

    [GeneratedRegex(@"\(MRN (?<mrn>[^)]+)\)")]
    private static partial Regex PatientKey();
}
