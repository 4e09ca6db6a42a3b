using System.Text.RegularExpressions;
using Rapport.Outcomes.Instruments;

namespace Rapport.Outcomes;

/// <summary>
/// Which instrument a new assessment of an episode starts on: the one already used on the episode
/// (the most recent form's), so follow-ups are comparable with the intake; else the one suited to
/// the episode's body region or procedure. Always a default the clinician can change.
/// </summary>
public static partial class InstrumentChoice
{
    public static string? For(IEnumerable<AssessmentSummary> episodeForms, string? bodyRegion, string? procedure) =>
        episodeForms.OrderBy(f => f.AssessedOn).ThenBy(f => f.Id).LastOrDefault()?.Instrument ?? Suggest(bodyRegion, procedure);

    /// <summary>
    /// The region-specific instrument: knee → KOOS JR, hip → HOOS JR, low back → ODI, neck → NDI,
    /// shoulder, elbow, wrist or hand → QuickDASH, the rest of the lower extremity → LEFS. The body
    /// region decides when it names one; else words of the procedure ("Total knee arthroplasty").
    /// Null when neither points to a region (thoracic spine, multiple regions, vestibular, ...).
    /// </summary>
    public static string? Suggest(string? bodyRegion, string? procedure) => Match(bodyRegion) ?? Match(procedure);

    private static string? Match(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        string? code = Knee().IsMatch(text) ? "koos-jr"
            : Hip().IsMatch(text) ? "hoos-jr"
            : LowBack().IsMatch(text) ? "odi"
            : Neck().IsMatch(text) ? "ndi"
            : UpperExtremity().IsMatch(text) ? "quickdash"
            : LowerExtremity().IsMatch(text) ? "lefs"
            : null;
        // Keeps the choice honest if the catalogue ever drops one of these.
        return InstrumentCatalog.Find(code)?.Code;
    }

    [GeneratedRegex(@"\b(knee|tka|acl|pcl|menisc\w*|patell\w*)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Knee();

    [GeneratedRegex(@"\b(hip|tha|acetabul\w*|femoral neck)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Hip();

    [GeneratedRegex(@"\b(lumbar|lumbosacral|low back|lower back|lbp|sciatica)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LowBack();

    [GeneratedRegex(@"\b(cervical|neck|whiplash)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Neck();

    [GeneratedRegex(@"\b(shoulder|rotator cuff|elbow|wrist|hand|carpal|radius|finger|thumb)\b", RegexOptions.IgnoreCase)]
    private static partial Regex UpperExtremity();

    [GeneratedRegex(@"\b(ankle|foot|feet|achilles|toe|bunion\w*|plantar|leg|lower extremity)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LowerExtremity();
}
