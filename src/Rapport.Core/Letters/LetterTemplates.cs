namespace Rapport.Letters;

/// <summary>
/// The text each letter kind starts from. Markdown; <c>{{Name}}</c> placeholders are filled from the
/// episode (see <see cref="LetterContent.Values"/>); a line holding only <c>{{Outcomes}}</c> becomes
/// the table of scores, and <c>{{Notes}}</c> the clinician's words for this letter.
/// </summary>
public static class LetterTemplates
{
    public const string Outcomes = "{{Outcomes}}";
    public const string Notes = "{{Notes}}";

    public static readonly string[] Placeholders =
    [
        "Salutation", "PhysicianName", "PatientName", "PatientFirstName", "BirthDate", "Condition", "Diagnosis", "ReceivedOn", "EvaluatedOn",
        "DischargedOn", "VisitCount", "Therapist", "ClinicName", "ClinicPhone", "ClinicFax", "PracticeName", "Today", "Notes", "Outcomes",
    ];

    public const string Evaluation = """
        Dear {{Salutation}},

        Thank you for referring {{PatientName}} to {{ClinicName}} for {{Condition}}. {{PatientFirstName}} was evaluated on {{EvaluatedOn}}.

        **Plan of care and goals**

        {{Notes}}

        **Scores at evaluation**

        {{Outcomes}}

        We will report {{PatientFirstName}}'s progress at least every ten visits and at discharge. Please call us at {{ClinicPhone}} with any question.

        Sincerely,

        {{Therapist}}  
        {{ClinicName}}
        """;

    public const string Progress = """
        Dear {{Salutation}},

        This is a progress report on {{PatientName}}, whom you referred to {{ClinicName}} for {{Condition}}. {{PatientFirstName}} has had {{VisitCount}} visits since the evaluation on {{EvaluatedOn}}.

        **Scores so far**

        {{Outcomes}}

        **Progress and plan**

        {{Notes}}

        Please call us at {{ClinicPhone}} with any question.

        Sincerely,

        {{Therapist}}  
        {{ClinicName}}
        """;

    public const string Discharge = """
        Dear {{Salutation}},

        {{PatientName}} completed physical therapy at {{ClinicName}} for {{Condition}} and was discharged on {{DischargedOn}}, after {{VisitCount}} visits from the evaluation on {{EvaluatedOn}}.

        **Outcome**

        {{Outcomes}}

        **Recommendations**

        {{Notes}}

        Thank you for trusting us with your patient's care. Please call us at {{ClinicPhone}} with any question.

        Sincerely,

        {{Therapist}}  
        {{ClinicName}}
        """;

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
