using System.Globalization;
using Rapport.Letters;

namespace Rapport.Pages.Letters;

/// <summary>How letter states read on screen.</summary>
public static class LetterDisplay
{
    public static string State(LetterState state) => state switch
    {
        LetterState.NotApplicable => "Not needed",
        LetterState.NotYet => "Not yet",
        LetterState.Due => "Due",
        LetterState.Overdue => "Overdue",
        LetterState.Sent => "Sent",
        _ => "Not chased",
    };

    public static string Event(LetterKind kind) => kind switch
    {
        LetterKind.Evaluation => "evaluated",
        LetterKind.Progress => "progress visit",
        _ => "discharged",
    };

    /// <summary>One line on where a letter stands, e.g. "Overdue since Dec 5 (discharged Nov 27)".</summary>
    public static string Explain(LetterStatus s) => s.State switch
    {
        LetterState.Due => $"Due by {Day(s.DueBy)} ({Event(s.Kind)} {Day(s.EventOn)}{Visit(s)})",
        LetterState.Overdue => $"Overdue since {Day(s.DueBy?.AddDays(1))} ({Event(s.Kind)} {Day(s.EventOn)}{Visit(s)})",
        LetterState.Lapsed => $"Never sent; {Event(s.Kind)} {Day(s.EventOn)}{Visit(s)} is past the look-back, so it is no longer chased",
        LetterState.Sent when s.Kind == LetterKind.Progress && s.AtVisit is { } next => $"Last sent {Day(s.LastSentOn)}; next at visit {next}",
        LetterState.Sent => $"Sent {Day(s.LastSentOn)}",
        LetterState.NotYet when s.Kind == LetterKind.Progress && s.AtVisit is { } next => $"Next at visit {next} (Medicare: every 10th visit)",
        LetterState.NotYet => s.Kind == LetterKind.Evaluation ? "After the evaluation" : "At discharge",
        _ => s.Kind == LetterKind.Progress ? "Not needed: the discharge letter reports the whole episode" : "Not needed",
    };

    public static string Day(DateOnly? date) => date?.ToString("MMM d, yyyy", CultureInfo.InvariantCulture) ?? "—";

    private static string Visit(LetterStatus s) => s.AtVisit is { } v ? $" {v}" : "";
}
