using System.Globalization;
using Rapport.Outcomes;
using Rapport.Outcomes.Instruments;

namespace Rapport.Letters;

/// <summary>Who the letter is from: the practice and the clinic that treats the patient, and the clinician who signs.</summary>
/// <param name="Therapist">The episode's therapist: a staff member's name when the referral's therapist is one, else as the referral gives it.</param>
/// <param name="Signature">Name and credentials of the clinician who signs ("Jane Smith, PT, DPT"): the episode's therapist when they are a
/// staff member, else the staff member sending; null when neither is known (sent by the API or the CLI for an unmapped therapist).</param>
public sealed record LetterSender(string PracticeName, string ClinicName, IReadOnlyList<string> AddressLines, string? Phone, string? Fax, string? Therapist,
    string? Signature = null);

/// <summary>The referring source, the only recipient a letter about this patient may have.</summary>
public sealed record LetterRecipient(int SourceId, string Name, string Salutation, string? PracticeName, IReadOnlyList<string> AddressLines, string? Phone,
    string? Fax, string? Email);

/// <summary>The patient the letter is about: name and date of birth, so the physician's office can file it.</summary>
public sealed record LetterPatient(string FirstName, string LastName, DateOnly? BirthDate, string ExternalId)
{
    public string FullName => $"{FirstName} {LastName}";
}

public sealed record LetterEpisode(int ReferralId, DateOnly ReceivedOn, DateOnly? EvaluatedOn, DateOnly? DischargedOn, int VisitCount, string? DiagnosisCodes,
    string? BodyRegion, string? Procedure)
{
    /// <summary>What the patient was treated for, in the words the referral gives.</summary>
    public string Condition => Sentence(Procedure)
        ?? (BodyRegion is { } region && region is not ("Multiple" or "Other") ? $"{Sentence(region)} rehabilitation" : null)
        ?? (DiagnosisCodes is null ? "physical therapy" : $"diagnosis {DiagnosisCodes.Replace(",", ", ", StringComparison.Ordinal)}");

    /// <summary>"Total knee arthroplasty" reads "total knee arthroplasty" mid-sentence; "ACL reconstruction" stays.</summary>
    private static string? Sentence(string? text) =>
        text is { Length: > 1 } t && char.IsUpper(t[0]) && char.IsLower(t[1]) ? char.ToLowerInvariant(t[0]) + t[1..] : text;
}

/// <summary>
/// One instrument's scores as the letter reports them. The outcome (change, MCID, days and visits
/// to MCID) is the episode outcome of the outcomes feature, never recomputed here; before a second
/// form exists only the intake score is known.
/// </summary>
public sealed record LetterOutcome(string Instrument, string Name, ScoreDirection Direction, string ScoreUnit, double ScoreMin, double ScoreMax,
    double? IntakeScore, DateOnly? IntakeOn, EpisodeOutcome? Outcome)
{
    public static LetterOutcome From(InstrumentTrack track)
    {
        var intake = track.Outcome is { } o ? (Score: (double?)o.IntakeScore, On: (DateOnly?)o.IntakeOn)
            : track.Forms.Where(f => f.Timepoint == Timepoint.Intake && f.Score is not null).Select(f => (Score: f.Score, On: (DateOnly?)f.AssessedOn)).FirstOrDefault();
        return new LetterOutcome(track.Instrument, track.Name, track.Direction, track.ScoreUnit, track.ScoreMin, track.ScoreMax, intake.Score, intake.On, track.Outcome);
    }

    public string DirectionWords => Direction == ScoreDirection.HigherIsBetter ? "higher is better" : "higher is worse";

    /// <summary>"not reached (MCID 9)", "reached Mar 20, 2026: 21 days, about 6 visits (MCID 9)", or "none established".</summary>
    public string McidWords
    {
        get
        {
            if (Mcid is not { } mcid) return "none established";
            var threshold = $"(MCID {LetterFormat.Score(mcid)})";
            if (Outcome is not { } o) return threshold;
            if (!o.McidReached) return $"not reached {threshold}";
            var visits = o.VisitsToMcid is { } v ? $", {(o.VisitsEstimated ? "about " : "")}{v} visit{(v == 1 ? "" : "s")}" : "";
            return $"reached {o.McidReachedOn?.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)}: {o.DaysToMcid} days{visits} {threshold}";
        }
    }

    public double? Mcid => Outcome?.Mcid ?? InstrumentCatalog.Find(Instrument)?.Mcid;
}

/// <summary>Everything a letter prints, gathered once for the PDF, the preview and the e-mail.</summary>
public sealed record LetterContent(LetterKind Kind, DateOnly Date, LetterSender From, LetterRecipient To, LetterPatient Patient, LetterEpisode Episode,
    IReadOnlyList<LetterOutcome> Outcomes, string? Notes)
{
    /// <summary>The practice's template for the kind, filled from <see cref="Values"/>.</summary>
    public IReadOnlyList<LetterBlock> Body { get; init; } = [];

    public string Title => LetterFormat.Title(Kind);

    /// <summary>The clinician's words, or the kind's stock sentence when there are none.</summary>
    public string NotesMarkdown => Notes ?? LetterTemplates.EmptyNotes(Kind);

    /// <summary>The values the template's placeholders stand for (see <see cref="LetterTemplates.Placeholders"/>).</summary>
    public IReadOnlyDictionary<string, string?> Values => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["physician.salutation"] = To.Salutation,
        ["physician.name"] = To.Name,
        ["patient.name"] = Patient.FullName,
        ["patient.first_name"] = Patient.FirstName,
        ["patient.birth_date"] = LetterFormat.Date(Patient.BirthDate),
        ["episode.condition"] = Episode.Condition,
        ["episode.diagnosis"] = Episode.DiagnosisCodes ?? "not recorded",
        ["episode.received_on"] = LetterFormat.Date(Episode.ReceivedOn),
        ["episode.evaluated_on"] = LetterFormat.Date(Episode.EvaluatedOn),
        ["episode.discharged_on"] = LetterFormat.Date(Episode.DischargedOn),
        ["episode.visits"] = Episode.VisitCount.ToString(CultureInfo.InvariantCulture),
        ["therapist.name"] = From.Therapist ?? "Your patient's physical therapist",
        ["signature"] = From.Signature ?? From.Therapist ?? "Your patient's physical therapist",
        ["clinic.name"] = From.ClinicName,
        ["clinic.phone"] = From.Phone ?? "the clinic",
        ["clinic.fax"] = From.Fax,
        ["practice.name"] = From.PracticeName,
        ["letter.date"] = LetterFormat.Date(Date),
    };
}

public static class LetterFormat
{
    public static string Date(DateOnly? date) => date?.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture) ?? "not recorded";

    public static string Score(double? value) => value?.ToString("0.#", CultureInfo.InvariantCulture) ?? "—";

    public static string Change(double? value) => value is { } v ? (v > 0 ? "+" : "") + v.ToString("0.#", CultureInfo.InvariantCulture) : "—";

    public static string Title(LetterKind kind) => kind switch
    {
        LetterKind.Evaluation => "Initial evaluation",
        LetterKind.Progress => "Progress report",
        _ => "Discharge summary",
    };

    /// <summary>The kind as the API, the CLI and URLs spell it.</summary>
    public static string Slug(LetterKind kind) => kind.ToString().ToLowerInvariant();

    public static LetterKind? ParseKind(string? text) =>
        Enum.TryParse<LetterKind>(text?.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _) ? kind : null;
}
