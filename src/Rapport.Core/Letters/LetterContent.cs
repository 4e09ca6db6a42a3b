using System.Globalization;
using Rapport.Outcomes;
using Rapport.Outcomes.Instruments;

namespace Rapport.Letters;

/// <summary>Who the letter is from: the practice and the clinic that treats the patient.</summary>
public sealed record LetterSender(string PracticeName, string ClinicName, IReadOnlyList<string> AddressLines, string? Phone, string? Fax, string? Therapist);

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
    public string Condition => Procedure ?? BodyRegion ?? (DiagnosisCodes is null ? "physical therapy" : $"diagnosis {DiagnosisCodes}");
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

    /// <summary>"Not reached", "Reached on 2026-03-01 (21 days, about 6 visits)", or "none established".</summary>
    public string McidWords
    {
        get
        {
            if (Outcome is not { } o) return Mcid is null ? "none established" : "—";
            if (o.Mcid is null) return "none established";
            if (!o.McidReached) return "not reached";
            var visits = o.VisitsToMcid is { } v ? $", {(o.VisitsEstimated ? "about " : "")}{v} visit{(v == 1 ? "" : "s")}" : "";
            return $"reached {LetterFormat.Date(o.McidReachedOn)} ({o.DaysToMcid} days{visits})";
        }
    }

    public double? Mcid => Outcome?.Mcid ?? InstrumentCatalog.Find(Instrument)?.Mcid;
}

/// <summary>Everything a letter prints, gathered once for the PDF, the preview and the e-mail.</summary>
public sealed record LetterContent(LetterKind Kind, DateOnly Date, LetterSender From, LetterRecipient To, LetterPatient Patient, LetterEpisode Episode,
    IReadOnlyList<LetterOutcome> Outcomes, string Template, string? Notes)
{
    public string Title => LetterFormat.Title(Kind);

    /// <summary>The values the template's placeholders stand for.</summary>
    public IReadOnlyDictionary<string, string> Values => new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["PracticeName"] = From.PracticeName,
        ["ClinicName"] = From.ClinicName,
        ["ClinicPhone"] = From.Phone ?? "the clinic",
        ["ClinicFax"] = From.Fax ?? "",
        ["Therapist"] = From.Therapist ?? "Your patient's physical therapist",
        ["PhysicianName"] = To.Name,
        ["Salutation"] = To.Salutation,
        ["PatientName"] = Patient.FullName,
        ["PatientFirstName"] = Patient.FirstName,
        ["BirthDate"] = LetterFormat.Date(Patient.BirthDate),
        ["ReceivedOn"] = LetterFormat.Date(Episode.ReceivedOn),
        ["EvaluatedOn"] = LetterFormat.Date(Episode.EvaluatedOn),
        ["DischargedOn"] = LetterFormat.Date(Episode.DischargedOn),
        ["VisitCount"] = Episode.VisitCount.ToString(CultureInfo.InvariantCulture),
        ["Condition"] = Episode.Condition,
        ["Diagnosis"] = Episode.DiagnosisCodes ?? "not recorded",
        ["Today"] = LetterFormat.Date(Date),
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
