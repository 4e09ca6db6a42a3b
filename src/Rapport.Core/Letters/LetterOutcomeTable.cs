using System.Globalization;

namespace Rapport.Letters;

/// <summary>
/// The table of scores a letter prints, the same in the PDF and the preview: first scores at
/// evaluation; intake, latest, change and MCID in progress and discharge letters.
/// </summary>
public sealed record LetterOutcomeTable(IReadOnlyList<string> Headers, IReadOnlyList<double> Widths, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public const string NoForms = "No outcome forms are recorded for this episode yet.";

    public static LetterOutcomeTable For(LetterKind kind, IReadOnlyList<LetterOutcome> outcomes) => kind == LetterKind.Evaluation
        ? new(["Instrument", "Score at intake", "Scale", "Change that matters (MCID)"], [2.6, 1.6, 2.2, 1.6],
            [.. outcomes.Select(o => (IReadOnlyList<string>)[o.Name, Dated(o.IntakeScore, o.IntakeOn), Scale(o),
                o.Mcid is { } m ? LetterFormat.Score(m) + " " + Unit(o) : "none established"])])
        : new(["Instrument", "Intake", kind == LetterKind.Discharge ? "Discharge" : "Latest", "Change", "MCID"], [2.4, 1.5, 1.7, 1.0, 2.0],
            [.. outcomes.Select(o => (IReadOnlyList<string>)[o.Name + "\n" + Scale(o), Dated(o.IntakeScore, o.IntakeOn), Final(kind, o),
                o.Outcome is { } r ? LetterFormat.Change(r.Change) : "—", o.Outcome is null ? "needs a second form" : o.McidWords])]);

    private static string Final(LetterKind kind, LetterOutcome o) =>
        o.Outcome is not { } r ? "—"
        : Dated(r.FinalScore, r.FinalOn) + (kind == LetterKind.Discharge && !r.FinalIsDischarge ? "\nlast form; no discharge form" : "");

    private static string Dated(double? score, DateOnly? on) =>
        score is null ? "—" : $"{LetterFormat.Score(score)}\n{on?.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)}";

    private static string Scale(LetterOutcome o) =>
        $"{LetterFormat.Score(o.ScoreMin)}–{LetterFormat.Score(o.ScoreMax)}, {o.DirectionWords}";

    private static string Unit(LetterOutcome o) => o.ScoreUnit == "%" ? "points (%)" : "points";
}
