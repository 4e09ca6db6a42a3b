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
    /// <summary>
    /// Most months of baseline before the recent window. Two years when the source has them: the
    /// uncertainty of the baseline rate enters the test, and a year of history leaves it large
    /// (the seeded simulation catches a fifth more true declines with 24 months than with 12).
    /// A source with less history uses what it has, down to <see cref="RecentMonths"/>.
    /// </summary>
    public int BaselineMonths { get; init; } = 24;
    /// <summary>Smallest change (in percent of the expected count) that is reported, in either direction.</summary>
    public double ChangeThresholdPercent { get; init; } = 40;
    /// <summary>
    /// Benjamini–Hochberg false discovery rate across the sources tested together. 0.25 is the
    /// highest level at which the seeded simulation (DecliningSimulationTests, 8,000 sources) keeps
    /// 80% of alarms true with a margin; at 0.35 the share of true alarms falls below 80%.
    /// </summary>
    public double FalseDiscoveryRate { get; init; } = 0.25;
    /// <summary>
    /// Sources whose expected recent count, given their total, is below this are not tested: no
    /// count they could send would survive the correction, and testing them only dilutes it for
    /// everyone else (9 ≈ a source referring 2.5 a month). Filtering on the total (recent +
    /// baseline) is independent of the conditional test statistic under the null, so the false
    /// discovery rate still holds (Bourgon, Gentleman &amp; Huber 2010, PNAS 107:9546, "independent filtering").
    /// </summary>
    public double MinimumExpectedToTest { get; init; } = 9;
}

/// <summary>One source's monthly counts on the practice's <see cref="MonthAxis"/>.</summary>
/// <param name="FirstCountedMonth">Index of the first month the source could refer in full (months before it are not history).</param>
public sealed record SourceMonthlyCounts(int SourceId, int[] Monthly, int FirstCountedMonth);

/// <param name="Dispersion">Variance of the test's comparison over what Poisson counts would give it (1 = Poisson).</param>
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
/// baseline, with a negative binomial variance and false-discovery control across sources.
/// </summary>
/// <remarks>
/// Monthly referrals of one physician vary more than Poisson counts, and the more so the busier
/// the physician (holidays, clinic days, one surgeon's case mix scale every month's rate): the
/// negative binomial with a common shape k, variance μ + μ²/k (NB2; Cameron &amp; Trivedi,
/// Regression Analysis of Count Data, 2nd ed., §3.3), fits that pattern, where a single
/// quasi-Poisson factor would be too wide for moderate sources and too narrow for the busiest.
/// The shape is estimated once per practice from every source's baseline months, and a source
/// whose own months scatter more than the common model allows has its variance widened.
/// </remarks>
public static class TrendTest
{
    /// <summary>
    /// Weight of the common model when moderating a source's own extra scatter, in degrees of
    /// freedom: two years of one source's months say little about its variance, so its estimate is
    /// shrunk towards the common model as in empirical-Bayes moderated variances (Smyth 2004, Stat
    /// Appl Genet Mol Biol 3:3). It can only widen: a source is never trusted to be steadier than the
    /// common model.
    /// </summary>
    public const double PriorDegreesOfFreedom = 24;

    /// <summary>
    /// Pearson residuals mislead when expected counts are tiny (one referral against an expectation
    /// of 0.1 adds 8), so only sources averaging at least this a month inform the variance
    /// (Cochran 1954, Biometrics 10:417); quieter sources take the common model.
    /// </summary>
    public const double MinimumMeanForDispersion = 2;

    public static IReadOnlyList<TrendResult> Run(IReadOnlyList<SourceMonthlyCounts> sources, MonthAxis axis, double[] seasonal, TrendOptions options)
    {
        var current = axis.Count - 1;
        var recentStart = current - (options.RecentMonths - 1);
        var exposure = new double[axis.Count];
        for (var i = 0; i < axis.Count; i++) exposure[i] = seasonal[axis.Month(i).Month - 1] * axis.Fraction(i);

        var windows = sources.Select(source => Window.Of(source, exposure, recentStart, current, options)).ToList();
        var inverseShape = CommonInverseShape(windows, exposure);

        var results = new TrendResult[windows.Count];
        var testedDecline = new List<(int Index, double P)>();
        var testedRise = new List<(int Index, double P)>();
        var weights = new List<double>();
        for (var k = 0; k < windows.Count; k++)
        {
            var w = windows[k];
            var expected = w.BaselineExposure > 0 ? w.Baseline * w.RecentExposure / w.BaselineExposure : 0;
            var change = expected > 0 ? (w.Recent - expected) / expected * 100 : 0;
            var total = w.Recent + w.Baseline;
            var share = w.BaselineExposure > 0 ? w.RecentExposure / (w.RecentExposure + w.BaselineExposure) : 0;
            var tested = w.BaselineMonths > 0 && total * share >= options.MinimumExpectedToTest;
            double pDecline = 1, pRise = 1, dispersion = 1;
            if (tested)
            {
                // Score test of "the rate has not changed": under the null both windows share the
                // rate (recent + baseline) / exposure, and recent − baseline × (exposure ratio) has
                // mean 0 and the NB2 variance of both sums; the one-sided p-value comes from the normal
                // approximation, conservative in the lower tail at the counts that pass the filter.
                var rate = total / (w.RecentExposure + w.BaselineExposure);
                var ratio = w.RecentExposure / w.BaselineExposure;
                var variance = (NbVariance(rate, exposure, recentStart, current + 1, inverseShape)
                    + ratio * ratio * NbVariance(rate, exposure, w.BaselineStart, recentStart, inverseShape))
                    * ExtraScatter(w, exposure, recentStart, inverseShape);
                dispersion = variance / (rate * w.RecentExposure * (1 + ratio));
                var z = (w.Recent - w.Baseline * ratio) / Math.Sqrt(variance);
                pDecline = Normal.CDF(0, 1, z);
                pRise = 1 - pDecline;
                testedDecline.Add((k, pDecline));
                testedRise.Add((k, pRise));
                weights.Add(Math.Sqrt(total * share));
            }
            results[k] = new TrendResult(w.Source.SourceId, tested, w.Recent, options.RecentMonths, w.Baseline, w.BaselineMonths, w.Previous,
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

    /// <summary>
    /// Moment estimate of 1/k pooled over every source's baseline months: the scatter beyond Poisson,
    /// Σ[(x − μ̂)² · n/(n−1) − x], over Σμ̂² (Anscombe 1950, Biometrika 37:358; the pooled form
    /// as in Saha &amp; Paul 2005, Biometrics 61:179). 0 when the counts scatter no more than Poisson.
    /// </summary>
    public static double CommonInverseShape(IReadOnlyList<Window> windows, double[] exposure)
    {
        double excess = 0, squares = 0;
        foreach (var w in windows.Where(InformsVariance))
        {
            var rate = w.Baseline / w.BaselineExposure;
            var correction = w.BaselineMonths / (w.BaselineMonths - 1.0);
            for (var i = w.BaselineStart; i < w.BaselineStart + w.BaselineMonths; i++)
            {
                var mu = rate * exposure[i];
                var x = w.Source.Monthly[i];
                excess += (x - mu) * (x - mu) * correction - x;
                squares += mu * mu;
            }
        }
        return squares > 0 ? Math.Max(0, excess / squares) : 0;
    }

    private static bool InformsVariance(Window w) =>
        w.BaselineMonths > 1 && w.Baseline >= MinimumMeanForDispersion * w.BaselineMonths;

    private static double NbVariance(double rate, double[] exposure, int from, int to, double inverseShape)
    {
        double variance = 0;
        for (var i = from; i < to; i++)
        {
            var mu = rate * exposure[i];
            variance += mu + mu * mu * inverseShape;
        }
        return variance;
    }

    /// <summary>The source's own Pearson scatter against the common model, moderated, never below 1.</summary>
    private static double ExtraScatter(Window w, double[] exposure, int recentStart, double inverseShape)
    {
        if (!InformsVariance(w)) return 1;
        var rate = w.Baseline / w.BaselineExposure;
        double chi = 0;
        for (var i = w.BaselineStart; i < recentStart; i++)
        {
            var mu = rate * exposure[i];
            var x = w.Source.Monthly[i];
            chi += (x - mu) * (x - mu) / (mu + mu * mu * inverseShape);
        }
        return Math.Max(1, (chi + PriorDegreesOfFreedom) / (w.BaselineMonths - 1 + PriorDegreesOfFreedom));
    }

    /// <summary>One source's recent window and the baseline before it; <see cref="BaselineMonths"/> 0 = too little history to test.</summary>
    public sealed record Window(SourceMonthlyCounts Source, int Recent, int Previous, int Baseline, int BaselineStart, int BaselineMonths,
        double RecentExposure, double BaselineExposure)
    {
        public static Window Of(SourceMonthlyCounts source, double[] exposure, int recentStart, int current, TrendOptions options)
        {
            var recent = Sum(source.Monthly, recentStart, current + 1);
            var previous = Sum(source.Monthly, Math.Max(0, recentStart - options.RecentMonths), recentStart);
            var available = recentStart - Math.Max(0, source.FirstCountedMonth);
            var months = Math.Min(available, options.BaselineMonths);
            if (months < options.RecentMonths)
            {
                return new Window(source, recent, previous, 0, recentStart, 0, 0, 0);
            }
            var start = recentStart - months;
            double recentExposure = 0, baselineExposure = 0;
            for (var i = recentStart; i <= current; i++) recentExposure += exposure[i];
            for (var i = start; i < recentStart; i++) baselineExposure += exposure[i];
            return new Window(source, recent, previous, Sum(source.Monthly, start, recentStart), start, months, recentExposure, baselineExposure);
        }
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
