using System.Globalization;
using Rapport.Common;

namespace Rapport.Outcomes.Instruments;

/// <summary>Which way a score moves when the patient gets better.</summary>
public enum ScoreDirection { HigherIsBetter, HigherIsWorse }

/// <summary>
/// What a scoring rule makes of a complete-enough form: the raw value the rule starts from
/// (usually the item sum) and the reported score, or why the form cannot be scored.
/// </summary>
public sealed record RuleResult(double? Raw, double? Score, string? NotScorableReason)
{
    public static RuleResult Scored(double raw, double score) => new(raw, score, null);
    public static RuleResult NotScorable(double? raw, string reason) => new(raw, null, reason);
}

/// <summary>
/// One standard outcome instrument, as published: its items and their answer range, its scoring
/// and missing-item rules, the direction of improvement, the change that matters (MCID) and
/// where each fact comes from. Adding an instrument is adding one of these to <see cref="InstrumentCatalog"/>.
/// </summary>
public sealed class Instrument
{
    /// <summary>The code used by the API, the CLI and the database, lower case (matched case-insensitively).</summary>
    public required string Code { get; init; }
    public required string Name { get; init; }
    /// <summary>Fewest answers a form holds (blanks included); equal to <see cref="MaxItems"/> except for PSFS.</summary>
    public required int MinItems { get; init; }
    public required int MaxItems { get; init; }
    public required int MinAnswer { get; init; }
    public required int MaxAnswer { get; init; }
    /// <summary>What the two ends of an item mean, for the entry form.</summary>
    public required string AnswerScale { get; init; }
    public required double ScoreMin { get; init; }
    public required double ScoreMax { get; init; }
    public required string ScoreUnit { get; init; }
    public required string ScoringRule { get; init; }
    public required string MissingItemRule { get; init; }
    public required ScoreDirection Direction { get; init; }
    /// <summary>Minimal clinically important difference on the score's own scale; null where none is established.</summary>
    public required double? Mcid { get; init; }
    public required string McidSource { get; init; }
    /// <summary>LOINC code of the total score, only where its check digit and meaning are confirmed (REFERENCES.md).</summary>
    public string? Loinc { get; init; }
    public required string Citation { get; init; }
    /// <summary>Short labels for the items, in order (the app does not reproduce licensed item wording).</summary>
    public required IReadOnlyList<string> ItemLabels { get; init; }
    /// <summary>True when the patient names the items (PSFS activities).</summary>
    public bool PatientNamesItems { get; init; }
    /// <summary>The published scoring and missing-item rule, given answers already checked against count and range.</summary>
    public required Func<IReadOnlyList<int?>, RuleResult> Rule { get; init; }

    /// <summary>
    /// Scores a form: answers in item order on the instrument's own scale, null for a blank item.
    /// A form the rule cannot score comes back not scorable (never a made-up score); a form that
    /// breaks the instrument (wrong number of answers, out of range) is rejected.
    /// </summary>
    public InstrumentScore Score(IReadOnlyList<int?> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var problems = new List<string>();
        if (answers.Count < MinItems || answers.Count > MaxItems)
        {
            var expected = MinItems == MaxItems ? $"{MaxItems}" : $"{MinItems} to {MaxItems}";
            problems.Add($"{Name} takes {expected} answers in item order (blank for a missing item); got {answers.Count}.");
        }
        for (var i = 0; i < answers.Count; i++)
        {
            if (answers[i] is { } answer && (answer < MinAnswer || answer > MaxAnswer))
            {
                problems.Add($"Item {i + 1}: {answer} is outside {MinAnswer}–{MaxAnswer}.");
            }
        }
        if (problems.Count > 0)
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["answers"] = [.. problems] });
        }
        var result = Rule(answers);
        var answered = answers.Count(a => a is not null);
        return new InstrumentScore(Code, Name, result.Score, result.Score is not null, result.Raw, Direction, Mcid,
            answered, answers.Count - answered, result.NotScorableReason);
    }

    /// <summary>Scores answers written as text: "4,3,,2" (comma- or semicolon-separated; blank = missing).</summary>
    public InstrumentScore Score(string answers) => Score(InstrumentAnswers.Parse(answers));
}

/// <summary>The result of scoring one form; the same record leaves the app, the API and the CLI.</summary>
/// <param name="Score">Unrounded score on the instrument's scale; null when not scorable.</param>
/// <param name="Raw">The value the rule starts from (sum of the answered items; PSFS: their sum too).</param>
public sealed record InstrumentScore(string Instrument, string Name, double? Score, bool Scorable, double? Raw, ScoreDirection Direction,
    double? Mcid, int Answered, int Missing, string? NotScorableReason);

/// <summary>Answers as text, the form the CLI, the CSV import and storage use.</summary>
public static class InstrumentAnswers
{
    /// <summary>
    /// "4,3,,2" or "4;3;;2" → [4, 3, null, 2]. Every non-blank answer must be a whole number;
    /// an empty string is no answers at all.
    /// </summary>
    public static IReadOnlyList<int?> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        var separator = text.Contains(';', StringComparison.Ordinal) && !text.Contains(',', StringComparison.Ordinal) ? ';' : ',';
        var parts = text.Split(separator);
        var answers = new int?[parts.Length];
        var problems = new List<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            if (part.Length == 0)
            {
                continue;
            }
            if (int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                answers[i] = value;
            }
            else
            {
                problems.Add($"Item {i + 1}: '{part}' is not a whole number.");
            }
        }
        if (problems.Count > 0)
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["answers"] = [.. problems] });
        }
        return answers;
    }

    /// <summary>The stored form: comma-separated, blank for missing.</summary>
    public static string Format(IEnumerable<int?> answers) =>
        string.Join(',', answers.Select(a => a?.ToString(CultureInfo.InvariantCulture) ?? ""));
}
