using Rapport.Outcomes;
using Rapport.Outcomes.Instruments;

namespace Rapport.Tests.Outcomes;

public sealed class OutcomeStatisticsTests
{
    // Eight episodes, days from intake to MCID (E = reached, C = censored: discharged or still open without MCID):
    //   3E, 5C, 7E, 7E, 9C, 11E, 14C, 16E
    // day  at risk  events  S(t)                          Greenwood Σ d/(n(n−d))
    //  3      8       1     1 − 1/8         = 0.875       1/56               = 0.017857
    //  5   (censored, at risk 7 → 6)
    //  7      6       2     0.875 × 4/6     = 0.583333    + 2/24             = 0.101190
    //  9   (censored, at risk 4 → 3)
    // 11      3       1     0.583333 × 2/3  = 0.388889    + 1/6              = 0.267857
    // 14   (censored, at risk 2 → 1)
    // 16      1       1     0                             (S = 0: band [0, 0])
    // Median = first day with S ≤ ½ = 11.
    // log(−log) band: σ = √Σ / |ln S|, lower = S^exp(1.96σ), upper = S^exp(−1.96σ):
    //  day 3: σ = 0.133631 / 0.133531 = 1.000749 → [0.38699, 0.98139]
    //  day 7: σ = 0.318104 / 0.538997 = 0.590178 → [0.18018, 0.84407]
    //  day 11: σ = 0.517549 / 0.944462 = 0.547984 → [0.06300, 0.72423]
    // Median CI: lower = first day whose lower band ≤ ½ = 3; upper = first day whose upper band ≤ ½ = 16.
    [Fact]
    public void Kaplan_Meier_matches_the_hand_computed_example_with_censoring()
    {
        var km = OutcomeStatistics.KaplanMeier(
        [
            new(3, true), new(5, false), new(7, true), new(7, true), new(9, false), new(11, true), new(14, false), new(16, true),
        ]);
        var events = km.Steps.Where(s => s.Events > 0).ToList();
        Assert.Equal([3, 7, 11, 16], events.Select(s => s.Day));
        Assert.Equal([8, 6, 3, 1], events.Select(s => s.AtRisk));
        Assert.Equal(0.875, events[0].Survival, 6);
        Assert.Equal(0.583333, events[1].Survival, 6);
        Assert.Equal(0.388889, events[2].Survival, 6);
        Assert.Equal(0, events[3].Survival);
        Assert.Equal(0.38699, events[0].Lower!.Value, 5);
        Assert.Equal(0.98139, events[0].Upper!.Value, 5);
        Assert.Equal(0.18018, events[1].Lower!.Value, 5);
        Assert.Equal(0.84407, events[1].Upper!.Value, 5);
        Assert.Equal(0.06300, events[2].Lower!.Value, 5);
        Assert.Equal(0.72423, events[2].Upper!.Value, 5);
        Assert.Equal(11, km.MedianDays);
        Assert.Equal(3, km.MedianLower);
        Assert.Equal(16, km.MedianUpper);
    }

    [Fact]
    public void Kaplan_Meier_median_is_not_reached_when_most_are_censored()
    {
        var km = OutcomeStatistics.KaplanMeier([new(10, true), new(20, false), new(30, false), new(40, false)]);
        Assert.Equal(0.75, km.Steps[0].Survival);
        Assert.Null(km.MedianDays);
        Assert.Null(km.MedianUpper);
    }

    // Values 1..5: mean 3, s = 1.581139, t(0.975, 4) = 2.776445 → half-width 2.776445 × 1.581139 / √5 = 1.963243.
    [Fact]
    public void Mean_has_a_student_t_interval()
    {
        var mean = OutcomeStatistics.Mean([1, 2, 3, 4, 5])!;
        Assert.Equal(3, mean.Value);
        Assert.Equal(1.036757, mean.Lower!.Value, 5);
        Assert.Equal(4.963243, mean.Upper!.Value, 5);
        Assert.Null(OutcomeStatistics.Mean([4])!.Lower);
    }

    // n = 10: P(B ≤ 1) = 11/1024 → 2 × 0.0107 = 0.021 ≤ 0.05, P(B ≤ 2) = 56/1024 → 0.109 > 0.05, so k = 2: [x₂, x₉].
    // n = 5: 2 × P(B ≤ 0) = 2/32 = 0.0625 > 0.05: no 95% interval exists.
    [Fact]
    public void Median_has_a_binomial_order_statistic_interval()
    {
        var median = OutcomeStatistics.Median([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])!;
        Assert.Equal(5.5, median.Value);
        Assert.Equal(2, median.Lower);
        Assert.Equal(9, median.Upper);
        var small = OutcomeStatistics.Median([3, 1, 2, 5, 4])!;
        Assert.Equal(3, small.Value);
        Assert.Null(small.Lower);
    }

    [Fact]
    public void Episode_outcome_on_a_higher_is_better_scale_estimates_visits_from_the_episode()
    {
        var start = new DateOnly(2026, 1, 5);
        var outcome = EpisodeOutcome.Compute(InstrumentCatalog.Get("hoos-jr"),
            [new(start, Timepoint.Intake, 50, null), new(start.AddDays(14), Timepoint.Interim, 55, null), new(start.AddDays(30), Timepoint.Discharge, 62, null)],
            new EpisodeFacts(start, start.AddDays(30), VisitCount: 12))!;
        Assert.Equal(12, outcome.Change);
        Assert.True(outcome.FinalIsDischarge);
        Assert.True(outcome.McidReached);
        Assert.Equal(30, outcome.DaysToMcid);
        Assert.Equal(12, outcome.VisitsToMcid);
        Assert.True(outcome.VisitsEstimated);
    }

    [Fact]
    public void Episode_outcome_on_a_higher_is_worse_scale_counts_a_fall_as_improvement()
    {
        var start = new DateOnly(2026, 1, 5);
        var outcome = EpisodeOutcome.Compute(InstrumentCatalog.Get("odi"),
            [new(start, Timepoint.Intake, 40, 1), new(start.AddDays(20), Timepoint.Interim, 28, 6), new(start.AddDays(35), Timepoint.Interim, 31, 9)],
            new EpisodeFacts(start, null, VisitCount: 9))!;
        Assert.Equal(9, outcome.Change);
        Assert.False(outcome.FinalIsDischarge);
        Assert.True(outcome.McidReached);
        Assert.Equal(20, outcome.DaysToMcid);
        Assert.Equal(6, outcome.VisitsToMcid);
        Assert.False(outcome.VisitsEstimated);
        Assert.Equal(35, outcome.DaysObserved);
        Assert.Null(EpisodeOutcome.Compute(InstrumentCatalog.Get("odi"), [new(start, Timepoint.Intake, 40, 1)], new EpisodeFacts(start, null, 1)));
    }
}
