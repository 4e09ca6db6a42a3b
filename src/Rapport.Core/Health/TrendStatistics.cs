using MathNet.Numerics.Distributions;

namespace Rapport.Health;

/// <summary>
/// Calendar months of referral counts, oldest first. The last month is the current one and may be
/// partial: its exposure is the share of it that has passed (day of month / days in month), so a
/// source is neither punished nor flattered by where in the month "today" falls.
/// </summary>
public sealed record MonthAxis(DateOnly FirstMonth, int Count, double CurrentMonthFraction)
{
    public DateOnly Month(int index) => FirstMonth.AddMonths(index);

    public int IndexOf(DateOnly date) => (date.Year - FirstMonth.Year) * 12 + date.Month - FirstMonth.Month;

    /// <summary>The axis of <paramref name="months"/> calendar months ending with the month of <paramref name="asOf"/>.</summary>
    public static MonthAxis Ending(DateOnly asOf, int months)
    {
        var current = new DateOnly(asOf.Year, asOf.Month, 1);
        return new MonthAxis(current.AddMonths(-(months - 1)), months, (double)asOf.Day / DateTime.DaysInMonth(asOf.Year, asOf.Month));
    }

    public double Fraction(int index) => index == Count - 1 ? CurrentMonthFraction : 1.0;
}

/// <summary>
/// Practice-wide seasonal index by calendar month, so that a December dip at every source is not
/// read as a decline of one physician. Classical ratio-to-moving-average decomposition
/// (Makridakis, Wheelwright &amp; Hyndman, Forecasting: Methods and Applications, 3rd ed., ch. 3):
/// each complete month's total divided by the mean of the 12-month window around it, averaged
/// per calendar month and normalised to a mean of 1.
/// </summary>
public static class SeasonalIndex
{
    /// <summary>With fewer than two years of complete months each calendar month is seen once, and noise would pass for season.</summary>
    public const int MinimumMonths = 24;

    /// <param name="completeTotals">Practice totals of consecutive complete months, oldest first.</param>
    /// <param name="firstMonth">Calendar month (1–12) of the first total.</param>
    /// <returns>Twelve factors indexed by calendar month − 1.</returns>
    public static double[] Estimate(IReadOnlyList<int> completeTotals, int firstMonth)
    {
        var index = Enumerable.Repeat(1.0, 12).ToArray();
        var n = completeTotals.Count;
        if (n < MinimumMonths)
        {
            return index;
        }
        var sums = new double[12];
        var counts = new int[12];
        for (var t = 0; t < n; t++)
        {
            var start = Math.Clamp(t - 6, 0, n - 12);
            double window = 0;
            for (var k = start; k < start + 12; k++)
            {
                window += completeTotals[k];
            }
            if (window <= 0)
            {
                continue;
            }
            var calendarMonth = (firstMonth - 1 + t) % 12;
            sums[calendarMonth] += completeTotals[t] / (window / 12);
            counts[calendarMonth]++;
        }
        for (var m = 0; m < 12; m++)
        {
            index[m] = counts[m] > 0 ? sums[m] / counts[m] : 1.0;
        }
        var mean = index.Average();
        return mean > 0 ? index.Select(f => f / mean).ToArray() : Enumerable.Repeat(1.0, 12).ToArray();
    }
}

public sealed record TrendOptions
{
    /// <summary>Months in the recent window, the current partial month included.</summary>
    public int RecentMonths { get; init; } = 4;
    /// <summary>Months of baseline before the recent window when the source has them; otherwise <see cref="RecentMonths"/>.</summary>
    public int BaselineMonths { get; init; } = 12;
    /// <summary>Smallest change (in percent of the expected count) that is reported, in either direction.</summary>
    public double ChangeThresholdPercent { get; init; } = 40;
    /// <summary>
    /// Benjamini–Hochberg false discovery rate across the sources tested together. 0.20: in the
    /// seeded simulation (DecliningSimulationTests) it keeps false alarms near 0.1 per 100 unchanged
    /// sources and over 80% of alarms true; 0.10 found almost nothing a liaison could act on.
    /// </summary>
    public double FalseDiscoveryRate { get; init; } = 0.20;
    /// <summary>
    /// Sources whose expected recent count, given their total, is below this are not tested: no
    /// count they could send would be significant, and testing them only dilutes the correction
    /// for everyone else. Filtering on the total (recent + baseline) is independent of the
    /// conditional test statistic under the null, so the false discovery rate still holds
    /// (Bourgon, Gentleman &amp; Huber 2010, PNAS 107:9546, "independent filtering").
    /// </summary>
    public double MinimumExpectedToTest { get; init; } = 6;
}

/// <summary>One source's monthly counts on the practice's <see cref="MonthAxis"/>.</summary>
/// <param name="FirstCountedMonth">Index of the first month the source could refer in full (months before it are not history).</param>
public sealed record SourceMonthlyCounts(int SourceId, int[] Monthly, int FirstCountedMonth);

public sealed record TrendResult(
    int SourceId,
    bool Tested,
    int RecentCount,
    int RecentMonths,
    int BaselineCount,
    int BaselineMonths,
    int PreviousWindowCount,
    double ExpectedCount,
    double ChangePercent,
    double Dispersion,
    double PDecline,
    double PRise,
    double AdjustedPDecline,
    double AdjustedPRise,
    bool Declining,
    bool Rising);

/// <summary>
/// Declining and rising sources: a source's recent count against its own seasonally adjusted
/// baseline, with a test that allows over-dispersion and false-discovery control across sources.
/// </summary>
public static class TrendTest
{
    /// <summary>
    /// Weight of the practice-wide dispersion when moderating a source's own estimate, in degrees of
    /// freedom: a year of one source's months says little about its variance, so it is shrunk
    /// towards the pooled value as in empirical-Bayes moderated variances (Smyth 2004, Stat Appl
    /// Genet Mol Biol 3:3), with a floor of 1 because a test must not be more confident than Poisson.
    /// </summary>
    public const double PriorDegreesOfFreedom = 11;

    public const double MinimumMeanForDispersion = 2;

    public static IReadOnlyList<TrendResult> Run(IReadOnlyList<SourceMonthlyCounts> sources, MonthAxis axis, double[] seasonal, TrendOptions options)
    {
        var current = axis.Count - 1;
        var recentStart = current - (options.RecentMonths - 1);
        double Exposure(int index) => seasonal[axis.Month(index).Month - 1] * axis.Fraction(index);

        var prepared = new List<Prepared>(sources.Count);
        double pooledChi = 0, pooledDf = 0;
        foreach (var source in sources)
        {
            var available = recentStart - Math.Max(0, source.FirstCountedMonth);
            var baselineMonths = available >= options.BaselineMonths ? options.BaselineMonths
                : available >= options.RecentMonths ? options.RecentMonths : 0;
            var recent = Sum(source.Monthly, recentStart, current + 1);
            var previous = Sum(source.Monthly, Math.Max(0, recentStart - options.RecentMonths), recentStart);
            if (baselineMonths == 0)
            {
                prepared.Add(new Prepared(source, false, recent, 0, 0, previous, 0, 0, double.NaN, 0));
                continue;
            }
            var baselineStart = recentStart - baselineMonths;
            var baseline = Sum(source.Monthly, baselineStart, recentStart);
            double recentExposure = 0, baselineExposure = 0;
            for (var i = recentStart; i <= current; i++) recentExposure += Exposure(i);
            for (var i = baselineStart; i < recentStart; i++) baselineExposure += Exposure(i);

            // Pearson dispersion of the baseline months around the source's seasonal expectation.
            // Pearson residuals mislead when expected counts are tiny (one referral against an
            // expectation of 0.1 adds 8 to the sum), so only months averaging at least
            // MinimumMeanForDispersion inform it (Cochran 1954, Biometrics 10:417); quieter sources take the pooled value.
            double chi = double.NaN;
            if (baseline >= MinimumMeanForDispersion * baselineMonths)
            {
                var rate = baseline / baselineExposure;
                chi = 0;
                for (var i = baselineStart; i < recentStart; i++)
                {
                    var mu = rate * Exposure(i);
                    chi += (source.Monthly[i] - mu) * (source.Monthly[i] - mu) / mu;
                }
                pooledChi += chi;
                pooledDf += baselineMonths - 1;
            }
            prepared.Add(new Prepared(source, true, recent, baseline, baselineMonths, previous, recentExposure, baselineExposure, chi, baselineMonths - 1));
        }
        var pooled = pooledDf > 0 ? Math.Max(1, pooledChi / pooledDf) : 1;

        var results = new TrendResult[prepared.Count];
        var testedDecline = new List<(int Index, double P)>();
        var testedRise = new List<(int Index, double P)>();
        var weights = new List<double>();
        for (var k = 0; k < prepared.Count; k++)
        {
            var p = prepared[k];
            var expected = p.BaselineExposure > 0 ? p.Baseline * p.RecentExposure / p.BaselineExposure : 0;
            var change = expected > 0 ? (p.Recent - expected) / expected * 100 : 0;
            var total = p.Recent + p.Baseline;
            var share = p.BaselineExposure > 0 ? p.RecentExposure / (p.RecentExposure + p.BaselineExposure) : 0;
            var tested = p.Testable && total * share >= options.MinimumExpectedToTest;
            var dispersion = double.IsNaN(p.Chi) ? pooled
                : Math.Max(1, (p.Chi + PriorDegreesOfFreedom * pooled) / (p.Df + PriorDegreesOfFreedom));
            double pDecline = 1, pRise = 1;
            if (tested)
            {
                // Conditional on the total, the recent count is binomial(total, share) when the rate has
                // not changed (the classic comparison of two Poisson rates, Przyborowski & Wilenski 1940);
                // quasi-likelihood widens its variance by the dispersion (McCullagh & Nelder 1989, §4.5),
                // and the one-sided p-value comes from the normal approximation.
                var z = (p.Recent - total * share) / Math.Sqrt(dispersion * total * share * (1 - share));
                pDecline = Normal.CDF(0, 1, z);
                pRise = 1 - pDecline;
                testedDecline.Add((k, pDecline));
                testedRise.Add((k, pRise));
                weights.Add(Math.Sqrt(total * share));
            }
            results[k] = new TrendResult(p.Source.SourceId, tested, p.Recent, options.RecentMonths, p.Baseline, p.BaselineMonths, p.Previous,
                expected, change, dispersion, pDecline, pRise, 1, 1, false, false);
        }
        // Weighted Benjamini–Hochberg (Genovese, Roeder & Wasserman 2006, Biometrika 93:509): a source's
        // p-value is divided by a weight (mean 1 over the sources tested) that grows with the square
        // root of its expected count, which is what the power to see a given relative drop grows with.
        // The weights depend only on the total, which is independent of the conditional test under
        // the null, so the false discovery rate still holds — the idea of independent hypothesis
        // weighting (Ignatiadis et al. 2016, Nat Methods 13:577) with a fixed rather than learned rule.
        var meanWeight = weights.Count > 0 ? weights.Average() : 1;
        double Weighted(double p, int j) => Math.Min(1, p / (weights[j] / meanWeight));
        var adjustedDecline = BenjaminiHochberg.Adjust(testedDecline.Select((t, j) => Weighted(t.P, j)).ToArray());
        var adjustedRise = BenjaminiHochberg.Adjust(testedRise.Select((t, j) => Weighted(t.P, j)).ToArray());
        for (var j = 0; j < testedDecline.Count; j++)
        {
            var k = testedDecline[j].Index;
            var r = results[k];
            results[k] = r with
            {
                AdjustedPDecline = adjustedDecline[j],
                AdjustedPRise = adjustedRise[j],
                Declining = adjustedDecline[j] <= options.FalseDiscoveryRate && r.ChangePercent <= -options.ChangeThresholdPercent,
                Rising = adjustedRise[j] <= options.FalseDiscoveryRate && r.ChangePercent >= options.ChangeThresholdPercent,
            };
        }
        return results;
    }

    private static int Sum(int[] values, int from, int to)
    {
        var sum = 0;
        for (var i = Math.Max(0, from); i < Math.Min(values.Length, to); i++)
        {
            sum += values[i];
        }
        return sum;
    }

    private sealed record Prepared(SourceMonthlyCounts Source, bool Testable, int Recent, int Baseline, int BaselineMonths, int Previous,
        double RecentExposure, double BaselineExposure, double Chi, int Df);
}

/// <summary>Benjamini &amp; Hochberg (1995), J R Stat Soc B 57:289: step-up adjusted p-values controlling the false discovery rate.</summary>
public static class BenjaminiHochberg
{
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var i = order[rank - 1];
            running = Math.Min(running, pValues[i] * m / rank);
            adjusted[i] = Math.Min(1, running);
        }
        return adjusted;
    }
}
