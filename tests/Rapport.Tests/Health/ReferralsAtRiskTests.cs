using Rapport.Health;
using Rapport.Touchpoints;

namespace Rapport.Tests.Health;

/// <summary>The call list's "referrals/month at risk": defined in referrals a month, never more than the source usually sends.</summary>
public sealed class ReferralsAtRiskTests
{
    // The last day of a month: the recent window is 4 whole months, so the hand computation needs no fractions.
    private static readonly DateOnly MonthEnd = new(2026, 11, 30);

    private static AlertView Open(HealthAlert a) =>
        new(a.Kind, a.Source, a.Reasons, a.FirstRaisedAt, a.Numbers, AlertStatuses.Open, null, null, a.OwnerUserId, null);

    private static readonly HashSet<string> CallKinds =
        [AlertKinds.Declining, AlertKinds.Lapsed, AlertKinds.TouchOverdue, AlertKinds.ReciprocityGap, AlertKinds.NewReferrer];

    private static Dictionary<int, CallListEntry> Calls(HealthSnapshot snapshot) =>
        HealthEvaluator.Evaluate(snapshot).Where(a => CallKinds.Contains(a.Kind)).GroupBy(a => a.Source.Id)
            .ToDictionary(g => g.Key, g => CallListService.Entry(g.Select(Open)));

    /// <summary>Flat practice totals: the seasonal index is exactly 1, so expected counts are the baseline's plain rate.</summary>
    private static HealthSnapshot WithoutSeason(HealthSnapshot snapshot) =>
        snapshot with { PracticeMonthly = Enumerable.Repeat(500, snapshot.Axis.Count).ToArray() };

    [Fact]
    public void A_source_halving_from_4_to_2_a_month_has_2_referrals_a_month_at_risk()
    {
        var practice = new PracticeBuilder(MonthEnd);
        // 4 a month for years, 2 a month over the last four months; its liaison is in touch.
        practice.Source(1, "Halved", monthsBack => monthsBack < 4 ? 2 : 4, lastTouch: MonthEnd.AddDays(-3));
        var snapshot = WithoutSeason(practice.Build());

        // By hand: baseline 24 months × 4 = 96 referrals; expected over the 4 recent months 96 × 4/24 = 16,
        // so usually 16 / 4 = 4.0 a month; it sent 4 × 2 = 8, 2.0 a month. At risk: 4.0 − 2.0 = 2.0.
        var declining = Assert.Single(HealthEvaluator.Evaluate(snapshot), a => a.Kind == AlertKinds.Declining);
        Assert.Equal(16, declining.Numbers.ExpectedCount);
        Assert.Equal(4.0, declining.Numbers.ExpectedMonthly);
        Assert.Equal(2.0, declining.Numbers.RecentMonthly);
        var call = Calls(snapshot)[1];
        Assert.Equal(2.0, call.ReferralsAtRisk);
        Assert.Equal(4.0, call.ExpectedMonthly);
        Assert.Equal(2.0, call.RecentMonthly);
        Assert.Equal("2.0 referrals/month at risk (usually 4.0)", CallListService.AtRiskText(call));

        // The alert says it in plain words, in the same units, with the adjusted p labelled as such.
        // One source tested alone: its adjusted p is its raw one. Under Poisson variance the recent 8 of
        // the 104 referrals is binomial with share 4/28 given the total: mid-p = P(X < 8) + ½P(X = 8) = 0.022.
        Assert.Equal(
            "Referrals fell from 4.0 to 2.0 a month over the last 4 months (−50%, adjusted p = 0.02), compared with the 24 months before and allowing for the season.",
            declining.Reasons[0]);
        Assert.Equal(declining.Numbers.PValue, declining.Numbers.AdjustedPValue);
    }

    [Fact]
    public void A_lapsed_source_has_its_whole_usual_rate_at_risk_and_an_overdue_touch_alone_none()
    {
        var practice = new PracticeBuilder(MonthEnd);
        // 4 a month until July, nothing since: lapsed (125 days against gaps of about a week) and declining.
        practice.Source(1, "Stopped", monthsBack => monthsBack < 4 ? 0 : 4, lastTouch: MonthEnd.AddDays(-3));
        // 3 a month all along, but nobody has called for 200 days.
        practice.Source(2, "Steady But Forgotten", _ => 3, lastTouch: MonthEnd.AddDays(-200), cadence: 30);
        var calls = Calls(WithoutSeason(practice.Build()));

        var stopped = calls[1];
        Assert.Contains(AlertKinds.Lapsed, stopped.Kinds);
        Assert.Equal(4.0, stopped.ExpectedMonthly);
        Assert.Equal(4.0, stopped.ReferralsAtRisk);
        var forgotten = calls[2];
        Assert.Equal([AlertKinds.TouchOverdue], forgotten.Kinds);
        Assert.Equal(3.0, forgotten.ExpectedMonthly);
        Assert.Equal(0, forgotten.ReferralsAtRisk);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Referrals_at_risk_never_exceed_what_the_source_usually_sends(int seed)
    {
        var random = new Random(seed);
        // Mid-month: the current month is partial, as it is on most days.
        var asOf = new DateOnly(2026, 11, 17);
        var practice = new PracticeBuilder(asOf).WithBackground(30, 3);
        var shapes = new Dictionary<int, string>();
        for (var id = 1; id <= 240; id++)
        {
            var rate = Math.Exp(random.NextDouble() * Math.Log(60)) / 5; // 0.2 to 12 a month, log-uniform
            var shape = (string[])["steady", "halved", "quartered", "stopped", "doubled", "sparse"];
            var kind = shape[random.Next(shape.Length)];
            shapes[id] = kind;
            var stoppedMonthsBack = random.Next(2, 12);
            var seedOfSource = random.Next();
            int PerMonth(int back)
            {
                var monthRandom = new Random(seedOfSource + back);
                var mean = kind switch
                {
                    "halved" when back < 4 => rate / 2,
                    "quartered" when back < 4 => rate / 4,
                    "stopped" when back < stoppedMonthsBack => 0,
                    "doubled" when back < 4 => rate * 2,
                    "sparse" => rate / 6,
                    _ => rate,
                };
                return Poisson(monthRandom, mean);
            }
            var lastTouch = random.Next(4) == 0 ? (DateOnly?)null : asOf.AddDays(-random.Next(0, 400));
            practice.Source(id, $"Source {id}", PerMonth, lastTouch: lastTouch ?? asOf.AddDays(-500), method: TouchMethod.Phone,
                lastReferBack: asOf.AddDays(-random.Next(0, 300)), startMonthsBack: random.Next(5, 40));
        }
        var snapshot = practice.Build();
        var calls = Calls(snapshot);

        foreach (var call in calls.Values)
        {
            Assert.InRange(call.ReferralsAtRisk, 0, call.ExpectedMonthly);
            if (call.Kinds.Contains(AlertKinds.Lapsed)) Assert.Equal(call.ExpectedMonthly, call.ReferralsAtRisk);
            else if (call.Kinds.Contains(AlertKinds.Declining)) Assert.Equal(Math.Round(call.ExpectedMonthly - call.RecentMonthly, 1), call.ReferralsAtRisk);
            else Assert.Equal(0, call.ReferralsAtRisk);
        }
        // Not vacuous: the generated practice has lapsed and declining sources with referrals at risk.
        Assert.Contains(calls.Values, c => c.Kinds.Contains(AlertKinds.Lapsed) && c.ReferralsAtRisk > 0);
        Assert.Contains(calls.Values, c => c.Kinds.Contains(AlertKinds.Declining) && !c.Kinds.Contains(AlertKinds.Lapsed) && c.ReferralsAtRisk > 0);
        Assert.Contains(calls.Values, c => c.ExpectedMonthly >= 5 && c.ReferralsAtRisk > 0);
    }

    /// <summary>Knuth's multiplication method: fine for the small means a referral source has.</summary>
    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var count = 0;
        for (var product = random.NextDouble(); product > limit; product *= random.NextDouble()) count++;
        return count;
    }
}
