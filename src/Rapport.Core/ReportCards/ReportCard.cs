using System.Globalization;
using System.Text.Json.Serialization;

namespace Rapport.ReportCards;

/// <summary>
/// One figure as the card prints it. <see cref="Display"/> is the exact text on the page; a figure
/// from fewer patients than the minimum cell size is suppressed: no value, no n, and the text
/// "fewer than 5".
/// </summary>
public sealed record Figure(double? Value, int? N, bool Suppressed, string Display)
{
    public static Figure Hidden(int minimum) => new(null, null, true, $"fewer than {minimum}");

    /// <summary>Nothing to show (no patients at all, or not measured).</summary>
    public static readonly Figure None = new(null, 0, false, "—");

    /// <summary>
    /// A value computed from <paramref name="n"/> patients; suppressed below <paramref name="minimum"/>,
    /// "—" when there is nothing (n = 0 or no value).
    /// </summary>
    public static Figure Of(double? value, int n, int minimum, Func<double, string> format) =>
        n == 0 || (value is null && n >= minimum) ? None with { N = n }
        : n < minimum ? Hidden(minimum)
        : new Figure(value, n, false, format(value!.Value));

    public static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string OneDecimal(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    public static string WithSign(double value) => (value >= 0 ? "+" : "−") + Math.Abs(value).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Days(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + (value == 1 ? " day" : " days");
}

/// <summary>The physician's figure beside the practice's. No comparison is drawn from a suppressed figure.</summary>
public sealed record Comparison(Figure Yours, Figure Practice);

public sealed record ReportCardSource(int Id, string Name, string? Npi, string? Specialty, string? PracticeName);

/// <summary>Referrals received in the period, from this physician and practice-wide.</summary>
/// <param name="Received">Referrals received in the period (always printed: the physician's own count).</param>
public sealed record ReferralFigures(int Received, int PracticeReceived, Comparison Scheduled, Comparison Evaluated,
    Comparison MedianDaysToEvaluation, Comparison VisitsPerEpisode, Comparison CompletedPlan);

/// <summary>
/// One instrument and condition (procedure, else body region; "All conditions" for the whole
/// instrument): this physician's patients beside the practice's for the same slice.
/// </summary>
public sealed record OutcomeRow(string Instrument, string InstrumentName, string InstrumentShortName, string Condition, Figure Patients,
    Comparison MeanChange, Comparison McidShare, Comparison MedianDaysToMcid);

/// <summary>A comment a patient allowed to be shared with their physician; month only, no name.</summary>
public sealed record SharedComment(string Month, int Score, string Text);

public sealed record WeekPoint(int Week, double Mean);

/// <summary>Mean score by week since intake on the physician's most used instrument, for the chart.</summary>
public sealed record ScoreByWeek(string Instrument, string InstrumentShortName, bool HigherIsBetter, IReadOnlyList<WeekPoint> Yours, IReadOnlyList<WeekPoint> Practice);

public sealed record ReportCard(
    ReportCardSource Source,
    string PracticeName,
    DateOnly From,
    DateOnly To,
    DateOnly GeneratedOn,
    int MinimumCellSize,
    string IntroMarkdown,
    ReferralFigures Referrals,
    IReadOnlyList<OutcomeRow> Outcomes,
    Comparison Nps,
    IReadOnlyList<SharedComment> Comments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ScoreByWeek? ScoreByWeek)
{
    /// <summary>The card's identity: one source and one period. A rerun for the same pair logs no second touchpoint.</summary>
    public string Key => ReportCardKey.For(Source.Id, From, To);

    /// <summary>The period is not over (it ends on the day the card was made or later): its figures are to date.</summary>
    public bool Partial => ReportCardPeriod.IsPartial(To, GeneratedOn);

    /// <summary>"1 Oct 2026 – 31 Dec 2026 (to date: 2 Dec 2026)" for a period that is not over.</summary>
    public string PeriodText => ReportCardPeriod.Describe(From, To, GeneratedOn);

    /// <summary>What a period that is not over means for the figures; null for a period that is.</summary>
    public string? PartialNote => !Partial ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"This period is not over: its figures run to {GeneratedOn:d MMMM yyyy} (to date), and the practice's figures beside yours cover the same days. ")
          + "Patients referred in the last few days may not have been seen yet.";
}

public static class ReportCardKey
{
    /// <summary>"report-card:{sourceId}:{from}..{to}", stored as the touchpoint's external id.</summary>
    public static string For(int sourceId, DateOnly from, DateOnly to) =>
        string.Create(CultureInfo.InvariantCulture, $"report-card:{sourceId}:{from:yyyy-MM-dd}..{to:yyyy-MM-dd}");
}
