using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Nps;

/// <summary>
/// The NPS page's answers as a file, with its filters (From, To, ClinicId, Category, SharedOnly): every
/// answer, with its comment when there is one. Answers name no patient, so this is not patient data.
/// </summary>
public sealed class NpsResponsesExport(NpsResults results) : IListExport
{
    public string Kind => "nps-responses";

    public string? PatientEntityType => null;

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var read = new ExportFilters(filters);
        var query = new NpsCommentQuery
        {
            From = read.Date("From"), To = read.Date("To"), ClinicId = read.Number("ClinicId"), Category = read.Enum<NpsCategory>("Category"),
            SharedOnly = read.Bool("SharedOnly"),
        };
        var rows = await results.ResponsesAsync(query, cancellationToken);
        return new Sheet("NPS responses",
        [
            new("Id", ColumnKind.Count), new("Responded on", ColumnKind.Date), new("Score", ColumnKind.Count), new("Category"), new("Comment"),
            new("Clinic"), new("Therapist"), new("Referred by"), new("May be shared with physician"),
        ],
        rows.Select(r => (IReadOnlyList<object?>)
        [
            r.Id, r.RespondedOn, r.Score, r.Category.ToString(), r.Comment, r.Clinic, r.Therapist, r.Source, r.SharedWithPhysician,
        ]));
    }
}
