using Rapport.Health;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Tests.Health;

/// <summary>Histories built by hand and the signals they must (and must not) raise.</summary>
public sealed class HealthScenarioTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 26);

    [Fact]
    public void Dr_House_halving_raises_declining_touch_overdue_and_reciprocity_gap_with_reasons()
    {
        var practice = new PracticeBuilder(AsOf).WithBackground(20, 3);
        // Steady 10 a month for years, 5 a month over the last four months.
        practice.Source(1, "Gregory House, MD", monthsBack => monthsBack < 4 ? 5 : 10,
            lastTouch: AsOf.AddDays(-121), method: TouchMethod.Phone, lastReferBack: AsOf.AddDays(-68), cadence: 30);
        var alerts = HealthEvaluator.Evaluate(practice.Build()).Where(a => a.Source.Id == 1).ToList();

        var declining = Assert.Single(alerts, a => a.Kind == AlertKinds.Declining);
        // 38.2 expected and 20 sent over the 3.87 months of the window so far (26 November): 9.9 and 5.2 a month.
        Assert.StartsWith("Referrals fell from 9.9 to 5.2 a month over the last 4 months (−48%, adjusted p = ", declining.Reasons[0]);
        Assert.EndsWith("), compared with the 24 months before and allowing for the season.", declining.Reasons[0]);
        Assert.Equal(9.9, declining.Numbers.ExpectedMonthly);
        Assert.Equal(5.2, declining.Numbers.RecentMonthly);
        Assert.True(declining.Numbers.AdjustedPValue < 0.1);
        Assert.True(declining.Numbers.ChangePercent <= -40);
        Assert.Equal(20, declining.Numbers.RecentCount);
        Assert.Contains("Last touch 121 days ago by phone.", declining.Reasons);
        Assert.Contains("Last refer-back 68 days ago.", declining.Reasons);
        var touch = Assert.Single(alerts, a => a.Kind == AlertKinds.TouchOverdue);
        Assert.Equal("Last touch 121 days ago by phone (cadence 30).", touch.Reasons[0]);
        Assert.Equal(AsOf.AddDays(-121 + 31), touch.FirstRaisedAt);
        var gap = Assert.Single(alerts, a => a.Kind == AlertKinds.ReciprocityGap);
        Assert.Equal("Last refer-back 68 days ago.", gap.Reasons[0]);
        Assert.DoesNotContain(alerts, a => a.Kind == AlertKinds.Lapsed);
    }

    [Fact]
    public void Two_to_one_is_not_a_decline()
    {
        var practice = new PracticeBuilder(AsOf).WithBackground(20, 3);
        // Eight months of history: 2 in the four months before, 1 in the last four.
        practice.Source(1, "Low Volume", monthsBack => monthsBack switch { 1 => 1, 5 => 1, 6 => 1, _ => 0 }, startMonthsBack: 9);
        var alerts = HealthEvaluator.Evaluate(practice.Build());
        Assert.DoesNotContain(alerts, a => a.Source.Id == 1 && a.Kind == AlertKinds.Declining);
    }

    [Fact]
    public void Thirty_to_twelve_is_a_decline()
    {
        var practice = new PracticeBuilder(AsOf).WithBackground(20, 3);
        practice.Source(1, "Busy Then Less", monthsBack => monthsBack < 4 ? 3 : monthsBack % 2 == 0 ? 8 : 7, startMonthsBack: 7);
        var alerts = HealthEvaluator.Evaluate(practice.Build());
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", alerts.Where(a => a.Source.Id == 1).Select(a => a.Kind + ": " + string.Join(" ", a.Reasons))));
        var declining = Assert.Single(alerts, a => a.Source.Id == 1 && a.Kind == AlertKinds.Declining);
        Assert.Equal(12, declining.Numbers.RecentCount);
        Assert.Equal(30, declining.Numbers.PreviousWindowCount);
        Assert.Equal(4, declining.Numbers.BaselineMonths);
    }

    [Fact]
    public void Practice_wide_seasonal_dip_raises_no_decline()
    {
        // Every source halves every August–November, three years running; so does the practice.
        static double Season(int month) => month is >= 8 and <= 11 ? 0.5 : 1.0;
        var practice = new PracticeBuilder(AsOf);
        for (var id = 1; id <= 30; id++)
        {
            var rate = 3 + id % 5;
            practice.Source(id, $"Source {id}", monthsBack => (int)Math.Round(rate * Season(AsOf.AddMonths(-monthsBack).Month)));
        }
        var alerts = HealthEvaluator.Evaluate(practice.Build());
        Assert.DoesNotContain(alerts, a => a.Kind == AlertKinds.Declining);
        // The index carries the dip, so each source's expectation for these months is halved too.
        var snapshot = practice.Build();
        var index = SeasonalIndex.Estimate(snapshot.PracticeMonthly.Take(snapshot.Axis.Count - 1).ToList(), snapshot.Axis.FirstMonth.Month);
        Assert.InRange(index[9] / index[2], 0.4, 0.6);
    }

    [Fact]
    public void One_referral_a_year_is_not_lapsed_after_three_months()
    {
        var practice = new PracticeBuilder(AsOf).WithBackground(20, 3);
        practice.SourceOnDates(1, "Once A Year", [AsOf.AddMonths(-51), AsOf.AddMonths(-39), AsOf.AddMonths(-27), AsOf.AddMonths(-15), AsOf.AddMonths(-3)]);
        var alerts = HealthEvaluator.Evaluate(practice.Build());
        Assert.DoesNotContain(alerts, a => a.Source.Id == 1 && a.Kind == AlertKinds.Lapsed);
    }

    [Fact]
    public void Weekly_referrer_silent_for_three_months_is_lapsed()
    {
        var practice = new PracticeBuilder(AsOf).WithBackground(20, 3);
        var dates = Enumerable.Range(0, 40).Select(w => AsOf.AddDays(-95 - 7 * w)).ToList();
        practice.SourceOnDates(1, "Went Quiet", dates);
        var lapsed = Assert.Single(HealthEvaluator.Evaluate(practice.Build()), a => a.Source.Id == 1 && a.Kind == AlertKinds.Lapsed);
        // 40 weekly referrals over the history before the silence (4.1 a month), then 95 days of
        // nothing: 12.6 expected. The p-value is that of a gap this long given one of at least a
        // month (the shortest tested), within the false discovery rate.
        Assert.Equal(AlertTiers.Alert, lapsed.Tier);
        Assert.Equal("No referral for 95 days; at the usual 4.1 a month, 12.6 were expected in that time (adjusted p = 0.02).", lapsed.Reasons[0]);
        Assert.True(lapsed.Numbers.AdjustedPValue <= new HealthRules().FalseDiscoveryRate);
    }

    [Fact]
    public void First_referral_asks_for_a_thank_you_until_touched()
    {
        var practice = new PracticeBuilder(AsOf).WithBackground(20, 3);
        practice.SourceOnDates(1, "New Friend", [AsOf.AddDays(-5)], lastTouch: AsOf.AddDays(-40));
        Assert.Contains(HealthEvaluator.Evaluate(practice.Build()), a => a.Source.Id == 1 && a.Kind == AlertKinds.NewReferrer);
        practice.SourceOnDates(2, "Thanked", [AsOf.AddDays(-5)], lastTouch: AsOf.AddDays(-2));
        Assert.DoesNotContain(HealthEvaluator.Evaluate(practice.Build()), a => a.Source.Id == 2 && a.Kind == AlertKinds.NewReferrer);
    }

    [Fact]
    public void One_source_with_a_third_of_the_practice_is_a_concentration_risk()
    {
        var practice = new PracticeBuilder(AsOf).WithBackground(4, 2);
        practice.Source(1, "Big One", _ => 5);
        var concentration = Assert.Single(HealthEvaluator.Evaluate(practice.Build()), a => a.Kind == AlertKinds.Concentration);
        Assert.Equal(1, concentration.Source.Id);
        Assert.True(concentration.Numbers.SharePercent > 25);
    }
}

/// <summary>Builds a <see cref="HealthSnapshot"/> from per-month counts (months back from the as-of month; 0 = the current month).</summary>
internal sealed class PracticeBuilder(DateOnly asOf)
{
    private readonly List<SourceFacts> sources = [];
    private readonly MonthAxis axis = MonthAxis.Ending(asOf, HealthSnapshot.Months);

    /// <summary>Steady unrelated sources, so the practice has totals and a seasonal index of its own.</summary>
    public PracticeBuilder WithBackground(int count, int perMonth)
    {
        for (var i = 0; i < count; i++)
        {
            Source(1000 + i, $"Background {i}", _ => perMonth, lastTouch: asOf.AddDays(-3), lastReferBack: asOf.AddDays(-3));
        }
        return this;
    }

    public void Source(int id, string name, Func<int, int> perMonthsBack, DateOnly? lastTouch = null, TouchMethod method = TouchMethod.Phone,
        DateOnly? lastReferBack = null, int? cadence = null, int startMonthsBack = 40)
    {
        var dates = new List<DateOnly>();
        for (var back = startMonthsBack; back >= 0; back--)
        {
            var month = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(-back);
            var count = perMonthsBack(back);
            var days = back == 0 ? asOf.Day : DateTime.DaysInMonth(month.Year, month.Month);
            for (var k = 0; k < count; k++)
            {
                dates.Add(month.AddDays((k * days + days / 2) / Math.Max(1, count) % days));
            }
        }
        dates.Sort();
        SourceOnDates(id, name, dates, lastTouch, method, lastReferBack, cadence);
    }

    public void SourceOnDates(int id, string name, IReadOnlyList<DateOnly> dates, DateOnly? lastTouch = null, TouchMethod method = TouchMethod.Phone,
        DateOnly? lastReferBack = null, int? cadence = null)
    {
        var sorted = dates.Where(d => d <= asOf).OrderBy(d => d).ToList();
        sources.Add(new SourceFacts
        {
            // Known from the first day of the month of its first referral, so that month counts in full.
            Id = id, Name = name, Status = SourceStatus.Active, TouchCadenceDays = cadence,
            CreatedOn = sorted.Count > 0 ? new DateOnly(sorted[0].Year, sorted[0].Month, 1) : asOf,
            Referrals = ReferralHistory.FromDates(sorted.Where(d => d >= axis.FirstMonth).ToList(), axis, asOf),
            FirstReferralOn = sorted.Count > 0 ? sorted[0] : null,
            LastTouchOn = lastTouch ?? asOf.AddDays(-1), LastTouchMethod = method, LastReferBackOn = lastReferBack ?? asOf.AddDays(-1),
        });
    }

    public HealthSnapshot Build()
    {
        var totals = new int[axis.Count];
        foreach (var source in sources)
        {
            for (var i = 0; i < axis.Count; i++) totals[i] += source.Referrals.Monthly[i];
        }
        return new HealthSnapshot(asOf, new HealthRules(), axis, totals, sources.ToList(), []);
    }
}
