using Rapport.Common;

namespace Rapport.Exports;

/// <summary>
/// One list that can leave Rapport as CSV or XLSX with the filters the user has on screen. Each feature
/// registers its own (<c>services.AddScoped&lt;IListExport, …&gt;()</c>); the export service finds it by
/// <see cref="Kind"/>, audits the export and writes the file, so the page link, the API and
/// <c>rapport export KIND</c> give the same rows.
/// </summary>
public interface IListExport
{
    /// <summary>The word in URLs and <c>rapport export KIND</c>: sources, referrals, patients, touches, alerts, calls, letters-due, nps-responses.</summary>
    string Kind { get; }

    /// <summary>
    /// The audited entity type when rows carry patient data (for example "Patient" or "Referral"), so the
    /// export is recorded as an <c>Exported</c> patient-data event; null for lists without patient data.
    /// </summary>
    string? PatientEntityType { get; }

    /// <summary>
    /// The rows, filtered by the same query parameters the list page takes (the keys are the page's parameter
    /// names; an unknown or malformed value is a <see cref="ValidationException"/> naming the parameter).
    /// </summary>
    Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken);
}
