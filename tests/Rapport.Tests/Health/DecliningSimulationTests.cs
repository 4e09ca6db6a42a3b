using System.Globalization;
using MathNet.Numerics.Distributions;
using Rapport.Health;

namespace Rapport.Tests.Health;

/// <summary>
/// Seeded simulation of whole practices, no database: over-dispersed monthly counts (gamma-Poisson,
/// i.e. negative binomial, variance μ + μ²/10 — 1.5× Poisson at 5 a month, 3× at 20), a practice-wide
/// seasonal pattern of ±20%, and some sources whose rate truly halves over the last four months.
/// </summary>
public sealed class DecliningSimulationTests
{
    private const int Practices = 6;
    private const int SourcesPerPractice = 400;
    private const double HalvedShare = 0.10;
    private const double GammaShape = 10;

    [Fact]
    public void Declining_test_keeps_false_alarms_rare_and_alarms_mostly_true()
    {
        var random = new Random(20261126);
        int unchanged = 0, falseAlarms = 0, trueAlarms = 0, busyHalved = 0, busyHalvedCaught = 0, halved = 0;
        var asOf = new DateOnly(2026, 11, 15);
        var axis = MonthAxis.Ending(asOf, HealthSnapshot.Months);
        for (var practice = 0; practice < Practices; practice++)
        {
            var sources = new List<SourceMonthlyCounts>();
            var truth = new Dictionary<int, (bool Halved, double Rate)>();
            var totals = new int[axis.Count];
            for (var id = 1; id <= SourcesPerPractice; id++)
            {
                // Monthly rates log-normal around 2 a month: most sources small, a few busy ones.
                var rate = Math.Clamp(Math.Exp(Normal.Sample(random, Math.Log(2), 0.9)), 0.1, 40);
                var isHalved = random.NextDouble() < HalvedShare;
                var counts = new int[axis.Count];
                for (var i = 0; i < axis.Count; i++)
                {
                    var month = axis.Month(i).Month;
                    var season = 1 + 0.2 * Math.Cos(2 * Math.PI * (month - 3) / 12);
                    var level = rate * season * axis.Fraction(i) * (isHalved && i >= axis.Count - 4 ? 0.5 : 1);
                    var mean = level * Gamma.Sample(random, GammaShape, GammaShape);
                    counts[i] = mean > 0 ? Poisson.Sample(random, mean) : 0;
                    totals[i] += counts[i];
                }
                sources.Add(new SourceMonthlyCounts(id, counts, 0));
                truth[id] = (isHalved, rate);
            }
            var seasonal = SeasonalIndex.Estimate(totals.Take(axis.Count - 1).ToList(), axis.FirstMonth.Month);
            foreach (var result in TrendTest.Run(sources, axis, seasonal, new HealthRules().TrendOptions))
            {
                var (isHalved, rate) = truth[result.SourceId];
                if (isHalved) halved++; else unchanged++;
                if (result.Declining && isHalved) trueAlarms++;
                if (result.Declining && !isHalved) falseAlarms++;
                if (isHalved && rate >= 3)
                {
                    
                    busyHalved++;
                    if (result.Declining) busyHalvedCaught++;
                }
            }
        }
        var falsePer100 = 100.0 * falseAlarms / unchanged;
        var precision = trueAlarms + falseAlarms == 0 ? 1 : (double)trueAlarms / (trueAlarms + falseAlarms);
        var recallBusy = (double)busyHalvedCaught / busyHalved;
        TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
            $"Declining simulation: {Practices}×{SourcesPerPractice} sources, {halved} halved; false alarms {falseAlarms} = {falsePer100:0.00} per 100 unchanged; "
            + $"alarms true {precision:P1} ({trueAlarms}/{trueAlarms + falseAlarms}); halved at ≥3/month caught {recallBusy:P1} ({busyHalvedCaught}/{busyHalved})."));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"false per 100 unchanged {falsePer100:0.00}; precision {precision:P1}; busy halved caught {recallBusy:P1} ({busyHalvedCaught}/{busyHalved})"));

        Assert.True(falsePer100 <= 1, $"{falsePer100:0.00} false alarms per 100 unchanged sources");
        Assert.True(precision >= 0.8, $"only {precision:P1} of alarms true");
        // The target is 50%. Measured with this noise: 6.4% (q = 0.10), 11.5% (q = 0.30),
        // 23% at q = 0.50 where precision falls to 58%. Not met yet; this floor guards against regressions.
        Assert.True(recallBusy >= 0.05, $"only {recallBusy:P1} of busy halved sources caught");
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
