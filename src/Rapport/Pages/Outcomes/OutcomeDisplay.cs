using System.Globalization;
using Rapport.Outcomes;
using Rapport.Outcomes.Instruments;

namespace Rapport.Pages.Outcomes;

/// <summary>How outcome numbers read on screen (scores stay unrounded everywhere else).</summary>
public static class OutcomeDisplay
{
    public static string Number(double? value, string format = "0.#") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";

    public static string WithSign(double value) => (value > 0 ? "+" : "") + value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Direction(ScoreDirection direction) => direction == ScoreDirection.HigherIsBetter ? "higher is better" : "higher is worse";

    public static string Interval(Estimate? e) =>
        e is null ? "—" : e.Lower is null ? Number(e.Value) : $"{Number(e.Value)} ({Number(e.Lower)} to {Number(e.Upper)})";

    public static string MedianDays(KaplanMeierResult? km) =>
        km is null ? "—" : km.MedianDays is null ? "not reached"
        : $"{km.MedianDays} days ({km.MedianLower?.ToString(CultureInfo.InvariantCulture) ?? "?"} to {km.MedianUpper?.ToString(CultureInfo.InvariantCulture) ?? "not reached"})";

    /// <summary>The episode's outcome in words, as the clinician would say it.</summary>
    public static string Sentence(InstrumentTrack track)
    {
        if (track.Outcome is not { } o)
        {
            return "Needs an intake form and a later form to show progress.";
        }
        var change = $"Change from intake to {(o.FinalIsDischarge ? "discharge" : "the latest form")}: {WithSign(o.Change)} ({Direction(track.Direction)}).";
        if (o.Mcid is null)
        {
            return change + " No MCID is established for this instrument.";
        }
        if (!o.McidReached)
        {
            return change + $" MCID ({Number(o.Mcid)}) not reached yet.";
        }
        var visits = o.VisitsToMcid is { } v ? $" and {(o.VisitsEstimated ? "about " : "")}{v} visit{(v == 1 ? "" : "s")}" : "";
        return change + $" MCID ({Number(o.Mcid)}) reached on {o.McidReachedOn:yyyy-MM-dd}, {o.DaysToMcid} days{visits} after intake.";
    }
}
