using Rapport.Documents;

namespace Rapport.Letters;

/// <summary>
/// The text each letter kind starts from, editable by the practice (Settings → Letters) as a
/// <see cref="DocumentTemplate"/> of kind <c>letter-evaluation</c>, <c>letter-progress</c> or
/// <c>letter-discharge</c>. Markdown with <c>{{placeholders}}</c> filled from the episode;
/// <c>{{outcomes}}</c> becomes the table of scores and <c>{{notes}}</c> the clinician's own words
/// for this letter (each on a line of its own).
/// </summary>
public static class LetterTemplates
{
    public const string NotesPlaceholder = "notes";
    public const string OutcomesPlaceholder = "outcomes";

    public static readonly IReadOnlyDictionary<string, string> Placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["physician.salutation"] = "how the letter greets the physician: \"Dr. House\", or the full name for an NP, a PA or a group",
        ["physician.name"] = "the referring source's name with credential",
        ["patient.name"] = "the patient's first and last name",
        ["patient.first_name"] = "the patient's first name",
        ["patient.birth_date"] = "the patient's date of birth",
        ["episode.condition"] = "the procedure, else the body region, else the diagnosis codes of the referral",
        ["episode.diagnosis"] = "the referral's ICD-10-CM codes",
        ["episode.received_on"] = "the day the referral was received",
        ["episode.evaluated_on"] = "the evaluation date",
        ["episode.discharged_on"] = "the discharge date",
        ["episode.visits"] = "the episode's visit count",
        ["therapist.name"] = "the treating therapist's name",
        ["signature"] = "the clinician who signs, with credentials (\"Jane Smith, PT, DPT\"): the episode's therapist when they are a user of the practice, else the user sending",
        ["clinic.name"] = "the clinic that treats the patient",
        ["clinic.phone"] = "the clinic's phone number",
        ["clinic.fax"] = "the clinic's fax number",
        ["practice.name"] = "the practice's name",
        ["letter.date"] = "the date printed on the letter",
        [NotesPlaceholder] = "the clinician's words for this letter (plan and goals, progress, recommendations), on a line of its own",
        [OutcomesPlaceholder] = "the table of outcome scores, on a line of its own",
    };

    public const string Evaluation = """
        Dear {{physician.salutation}},

        Thank you for referring {{patient.name}} to {{clinic.name}} for {{episode.condition}}. {{patient.first_name}} was evaluated on {{episode.evaluated_on}}.

        **Plan of care and goals**

        {{notes}}

        **Scores at evaluation**

        {{outcomes}}

        We will report {{patient.first_name}}'s progress at least every ten visits and at discharge. Please call us at {{clinic.phone}} with any question.

        Sincerely,

        {{signature}}  
        {{clinic.name}}
        """;

    public const string Progress = """
        Dear {{physician.salutation}},

        This is a progress report on {{patient.name}}, whom you referred to {{clinic.name}} for {{episode.condition}}. {{patient.first_name}} has had {{episode.visits}} visits since the evaluation on {{episode.evaluated_on}}.

        **Scores so far**

        {{outcomes}}

        **Progress and plan**

        {{notes}}

        Please call us at {{clinic.phone}} with any question.

        Sincerely,

        {{signature}}  
        {{clinic.name}}
        """;

    public const string Discharge = """
        Dear {{physician.salutation}},

        {{patient.name}} completed physical therapy at {{clinic.name}} for {{episode.condition}} and was discharged on {{episode.discharged_on}}, after {{episode.visits}} visits from the evaluation on {{episode.evaluated_on}}.

        **Outcome**

        {{outcomes}}

        **Recommendations**

        {{notes}}

        Thank you for trusting us with your patient's care. Please call us at {{clinic.phone}} with any question.

        Sincerely,

        {{signature}}  
        {{clinic.name}}
        """;

    public static string TemplateKey(LetterKind kind) => $"letter-{LetterFormat.Slug(kind)}";

    public static DocumentTemplateKind TemplateKind(LetterKind kind) => new(TemplateKey(kind), $"Letter: {LetterFormat.Title(kind).ToLowerInvariant()}", Default(kind), Placeholders);

    public static string Default(LetterKind kind) => kind switch
    {
        LetterKind.Evaluation => Evaluation,
        LetterKind.Progress => Progress,
        _ => Discharge,
    };

    /// <summary>What the letter says where the clinician wrote nothing.</summary>
    public static string EmptyNotes(LetterKind kind) => kind switch
    {
        LetterKind.Evaluation => "The plan of care follows under separate cover.",
        LetterKind.Progress => "We continue the plan of care as certified.",
        _ => "No further recommendations.",
    };
}
