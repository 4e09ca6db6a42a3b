using MathNet.Numerics;

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

    /// <summary>The as-of date: the last day counted in the current month.</summary>
    public DateOnly LastDay
    {
        get
        {
            var month = Month(Count - 1);
            return month.AddDays((int)Math.Round(CurrentMonthFraction * DateTime.DaysInMonth(month.Year, month.Month)) - 1);
        }
    }
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
        // Months before the practice's first referral are not history (a young practice's axis is
        // padded with them): counted, they would read as a season with no referrals at all.
        var firstWithData = 0;
        while (firstWithData < completeTotals.Count && completeTotals[firstWithData] == 0) firstWithData++;
        completeTotals = [.. completeTotals.Skip(firstWithData)];
        firstMonth = (firstMonth - 1 + firstWithData) % 12 + 1;
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
    /// Most months of baseline before the recent window (or before a silence). Two years when the
    /// source has them: the uncertainty of the baseline rate enters the test, and a year of history
    /// leaves it large. A source with less history uses what it has, down to <see cref="RecentMonths"/>.
    /// </summary>
    public int BaselineMonths { get; init; } = 24;
    /// <summary>
    /// Smallest change (in percent of the expected count) that is reported, in either direction.
    /// 30%: a drop the manager cares about; with the negative binomial's scatter a busy source
    /// cannot reach significance with a trivial one anyway, and a higher bar (40% before) threw
    /// away a third of the truly halved sources whose recent count happened to be a little high.
    /// </summary>
    public double ChangeThresholdPercent { get; init; } = 30;
    /// <summary>
    /// Benjamini–Hochberg false discovery rate of the one family of decline and silence tests.
    /// See docs/health.md for the simulation that chose it.
    /// </summary>
    public double FalseDiscoveryRate { get; init; } = 0.175;
    /// <summary>
    /// Sources whose expected recent count, given their total, is below this are not tested for a
    /// decline: no count they could send would survive the correction, and testing them only
    /// dilutes it for everyone else (9 ≈ a source referring 2.5 a month). Filtering on the total
    /// (recent + baseline) is independent of the conditional test statistic under the null, so the
    /// false discovery rate still holds (Bourgon, Gentleman &amp; Huber 2010, PNAS 107:9546,
    /// "independent filtering").
    /// </summary>
    public double MinimumExpectedToTest { get; init; } = 9;
    /// <summary>A silence shorter than this (days) is never called a lapse, whatever the source's rate.</summary>
    public int LapsedMinimumDays { get; init; } = 30;
    /// <summary>
    /// A silence is tested only when at least this many referrals were expected in it: a shorter
    /// one carries too little evidence to ever be significant, and testing it only dilutes the family.
    /// </summary>
    public double MinimumExpectedInSilence { get; init; } = 3;
    /// <summary>
    /// The watch tier: a drop or silence whose adjusted p-value is below this but above the false
    /// discovery rate — probably down, not yet certain.
    /// </summary>
    public double WatchLevel { get; init; } = 0.5;
}

/// <summary>One source's monthly counts on the practice's <see cref="MonthAxis"/>.</summary>
/// <param name="FirstCountedMonth">Index of the first month the source could refer in full (months before it are not history).</param>
public sealed record SourceMonthlyCounts(int SourceId, int[] Monthly, int FirstCountedMonth)
{
    /// <summary>
    /// The source's last referral, when it may be tested for a silence (an Active source whose
    /// dates were read); null = no silence test.
    /// </summary>
    public DateOnly? LastReferralOn { get; init; }
}

/// <param name="Dispersion">Variance of the recent count given the total, over what Poisson counts would give it (1 = Poisson).</param>
/// <param name="PDecline">One-sided mid-p of a fall, this source alone.</param>
/// <param name="AdjustedPDecline">The weighted Benjamini–Hochberg adjusted p-value of the fall, in the family with the silence tests.</param>
/// <param name="Declining">In the alert tier: adjusted p within the false discovery rate and the change at least the threshold.</param>
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

/// <summary>A source's silence since its last referral, tested against its own usual rate.</summary>
/// <param name="BaselineCount">Referrals in the months before the silence the rate comes from (its last referral included).</param>
/// <param name="BaselineMonths">Months of that history (whole months plus the share of the last referral's month).</param>
/// <param name="ExpectedInSilence">Referrals the source would have sent in the silence at that rate, allowing for the season.</param>
/// <param name="PValue">
/// Probability of no referral in the silence given the history, over that of the shortest silence that
/// would have been tested (the p-value conditional on being tested): this source alone.
/// </param>
/// <param name="AdjustedPValue">Weighted Benjamini–Hochberg adjusted, in the family with the decline tests.</param>
/// <param name="Lapsed">In the alert tier: adjusted p within the false discovery rate.</param>
public sealed record LapseResult(int SourceId, DateOnly LastReferralOn, int DaysSilent, int BaselineCount, double BaselineMonths,
    double ExpectedInSilence, double PValue, double AdjustedPValue, bool Lapsed);

/// <param name="InverseShape">The practice's 1/k (0 = Poisson).</param>
public sealed record CoolingResults(IReadOnlyList<TrendResult> Trends, IReadOnlyList<LapseResult> Lapses, double InverseShape);

/// <summary>
/// Cooling sources: a source's recent count against its own seasonally adjusted baseline (declining,
/// rising), and its silence since its last referral (lapsed), each as an exact conditional test
/// under a negative binomial model, the declines and silences in one false-discovery family.
/// </summary>
/// <remarks>
/// <para>Monthly referrals of one physician vary more than Poisson counts, and the more so the busier
/// the physician: the negative binomial with a common shape k, variance μ + μ²/k (NB2; Cameron &amp;
/// Trivedi, Regression Analysis of Count Data, 2nd ed., §3.3), fits that pattern. It is the
/// gamma–Poisson mixture: each month's rate is the source's rate times a Gamma(k, 1/k) factor.</para>
/// <para>The test conditions on the source's total over both windows, which removes its unknown rate:
/// the sum of gamma variables of one scale is gamma, and a Poisson–gamma count split between two
/// windows, given the total, is beta-binomial (Dirichlet–multinomial; Mosimann 1962, Biometrika
/// 49:65) with shapes k × (months of each window). So the baseline's own uncertainty is in the
/// p-value exactly — the predictive distribution of the recent count given the baseline — where a
/// plug-in rate runs liberal. With seasons and a partial current month the windows' exposures
/// differ month to month; the beta's mean is the exposure share and its precision the sum of the
/// windows' moment-matched gamma shapes, k (Σe)² / Σe².</para>
/// <para>p-values are mid-p (Lancaster 1961, JASA 56:223): half the probability of the observed count
/// plus all of the more extreme ones, which is close to uniform under the null for discrete counts,
/// where the ordinary exact p-value is conservative and costs power at small counts.</para>
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

    /// <summary>The decline and rise tests alone (no silences); see <see cref="Evaluate"/>.</summary>
    public static IReadOnlyList<TrendResult> Run(IReadOnlyList<SourceMonthlyCounts> sources, MonthAxis axis, double[] seasonal, TrendOptions options) =>
        Evaluate(sources, axis, seasonal, options).Trends;

    public static CoolingResults Evaluate(IReadOnlyList<SourceMonthlyCounts> sources, MonthAxis axis, double[] seasonal, TrendOptions options)
    {
        var current = axis.Count - 1;
        var recentStart = current - (options.RecentMonths - 1);
        var exposure = new double[axis.Count];
        for (var i = 0; i < axis.Count; i++) exposure[i] = seasonal[axis.Month(i).Month - 1] * axis.Fraction(i);

        var windows = sources.Select(source => Window.Of(source, exposure, recentStart, current, options)).ToList();
        var inverseShape = CommonInverseShape(windows, exposure);

        var results = new TrendResult[windows.Count];
        var scatter = new double[windows.Count];
        // The one family: every decline test and every informative silence, each with its weight.
        var family = new List<(bool IsLapse, int Index, double P, double Weight)>();
        var rises = new List<(int Index, double P, double Weight)>();
        for (var k = 0; k < windows.Count; k++)
        {
            var w = windows[k];
            var expected = w.BaselineExposure > 0 ? w.Baseline * w.RecentExposure / w.BaselineExposure : 0;
            var change = expected > 0 ? (w.Recent - expected) / expected * 100 : 0;
            var total = w.Recent + w.Baseline;
            var share = w.BaselineExposure > 0 ? w.RecentExposure / (w.RecentExposure + w.BaselineExposure) : 0;
            var tested = w.BaselineMonths > 0 && total * share >= options.MinimumExpectedToTest;
            scatter[k] = ExtraScatter(w, exposure, recentStart, inverseShape);
            double pDecline = 1, pRise = 1, dispersion = 1;
            if (tested)
            {
                var precision = Precision(inverseShape, scatter[k], total, exposure, (recentStart, current + 1), (w.BaselineStart, recentStart));
                pDecline = BetaBinomialTail.LowerMidP(w.Recent, total, share, precision);
                pRise = 1 - pDecline;
                dispersion = double.IsPositiveInfinity(precision) ? 1 : (precision + total) / (precision + 1);
                // Weighted Benjamini–Hochberg (Genovese, Roeder & Wasserman 2006, Biometrika 93:509):
                // the weight grows with the square root of the expected count, which is what the power
                // to see a given relative drop grows with. It depends only on the total, independent of
                // the conditional test under the null (independent hypothesis weighting, Ignatiadis
                // et al. 2016, Nat Methods 13:577, with a fixed rather than learned rule).
                var weight = Math.Sqrt(total * share);
                family.Add((false, k, pDecline, weight));
                rises.Add((k, pRise, weight));
            }
            results[k] = new TrendResult(w.Source.SourceId, tested, w.Recent, options.RecentMonths, w.Baseline, w.BaselineMonths, w.Previous,
                expected, change, dispersion, pDecline, pRise, 1, 1, false, false);
        }

        var silences = new List<LapseResult>();
        for (var k = 0; k < windows.Count; k++)
        {
            if (Silence(windows[k].Source, axis, exposure, inverseShape, scatter[k], options) is { } silence)
            {
                family.Add((true, silences.Count, silence.PValue, double.NaN));
                silences.Add(silence);
            }
        }
        // A silence's weight would have to come from its length, which is the test statistic; it takes
        // the decline tests' mean weight instead (1 after normalising).
        var declineWeights = family.Where(f => !f.IsLapse).Select(f => f.Weight).ToList();
        var lapseWeight = declineWeights.Count > 0 ? declineWeights.Average() : 1;
        var weights = family.Select(f => f.IsLapse ? lapseWeight : f.Weight).ToArray();
        var adjusted = WeightedBenjaminiHochberg(family.Select(f => f.P).ToArray(), weights);
        var adjustedRise = WeightedBenjaminiHochberg(rises.Select(r => r.P).ToArray(), rises.Select(r => r.Weight).ToArray());
        for (var j = 0; j < family.Count; j++)
        {
            var (isLapse, index, _, _) = family[j];
            if (isLapse)
            {
                silences[index] = silences[index] with { AdjustedPValue = adjusted[j], Lapsed = adjusted[j] <= options.FalseDiscoveryRate };
                continue;
            }
            var r = results[index];
            results[index] = r with
            {
                AdjustedPDecline = adjusted[j],
                Declining = adjusted[j] <= options.FalseDiscoveryRate && r.ChangePercent <= -options.ChangeThresholdPercent,
            };
        }
        for (var j = 0; j < rises.Count; j++)
        {
            var r = results[rises[j].Index];
            results[rises[j].Index] = r with
            {
                AdjustedPRise = adjustedRise[j],
                Rising = adjustedRise[j] <= options.FalseDiscoveryRate && r.ChangePercent >= options.ChangeThresholdPercent,
            };
        }
        return new CoolingResults(results, silences, inverseShape);
    }

    /// <summary>Benjamini–Hochberg on p / w, the weights normalised to mean 1 (Genovese, Roeder &amp; Wasserman 2006).</summary>
    public static double[] WeightedBenjaminiHochberg(double[] pValues, double[] weights)
    {
        if (pValues.Length == 0) return [];
        var mean = weights.Average();
        return BenjaminiHochberg.Adjust(pValues.Select((p, j) => Math.Min(1, p / (weights[j] / mean))).ToArray());
    }

    /// <summary>
    /// The silence since the last referral, when it is longer than the minimum and at least
    /// <see cref="TrendOptions.MinimumExpectedInSilence"/> referrals were expected in it. Its rate
    /// comes from up to <see cref="TrendOptions.BaselineMonths"/> months of history ending with the
    /// last referral; the p-value is that of no referral in the silence given that history
    /// (beta-binomial, as the decline test). "No referral in the last d days" is exactly "the
    /// current gap is at least d days", so it is a valid p-value for the gap as observed.
    /// </summary>
    private static LapseResult? Silence(SourceMonthlyCounts source, MonthAxis axis, double[] exposure, double inverseShape, double scatter, TrendOptions options)
    {
        if (source.LastReferralOn is not { } last) return null;
        var asOf = axis.LastDay;
        var days = asOf.DayNumber - last.DayNumber;
        var lastMonth = axis.IndexOf(last);
        if (days <= options.LapsedMinimumDays || lastMonth < 0 || lastMonth >= axis.Count - 1) return null;
        var start = Math.Max(Math.Max(0, source.FirstCountedMonth), lastMonth - (options.BaselineMonths - 1));
        // Needs the history the decline test needs: a few whole months before the last referral's.
        if (lastMonth - start < options.RecentMonths) return null;
        var daysInLastMonth = DateTime.DaysInMonth(last.Year, last.Month);
        var before = exposure[lastMonth] / axis.Fraction(lastMonth) * last.Day / daysInLastMonth;
        double historyExposure = before, historySquares = before * before;
        var count = source.Monthly[lastMonth];
        for (var i = start; i < lastMonth; i++)
        {
            historyExposure += exposure[i];
            historySquares += exposure[i] * exposure[i];
            count += source.Monthly[i];
        }
        var (silenceExposure, silenceSquares) = SilenceExposure(axis, exposure, last, days);
        var expected = count * silenceExposure / historyExposure;
        if (expected < options.MinimumExpectedInSilence) return null;
        double ProbabilityOfNone(double exposureOf, double squaresOf) =>
            BetaBinomialTail.Pmf(0, count, exposureOf / (exposureOf + historyExposure),
                PrecisionOf(inverseShape, scatter, count, exposureOf, squaresOf, historyExposure, historySquares));
        // The silence is tested only once it is long: past the minimum and with enough referrals
        // expected in it. That selects small p-values, so the p-value is conditional on the
        // selection: P(none in the silence) / P(none in the shortest silence that would have been
        // tested) — the chance, given a gap that long, that it grew this long (conditional p-values
        // after selection, Zhao, Small &amp; Su 2019, JRSS B 81:1; Fithian, Sun &amp; Taylor 2014,
        // arXiv:1410.2597). Counting only the silences tested in the family is then sound.
        var shortest = ShortestTestedSilence(axis, exposure, last, days, count, historyExposure, options);
        var (selectedExposure, selectedSquares) = SilenceExposure(axis, exposure, last, shortest);
        var p = Math.Min(1, ProbabilityOfNone(silenceExposure, silenceSquares) / ProbabilityOfNone(selectedExposure, selectedSquares));
        var months = lastMonth - start + (double)last.Day / daysInLastMonth;
        return new LapseResult(source.SourceId, last, days, count, months, expected, p, 1, false);
    }

    /// <summary>
    /// Seasonal exposure (and its sum of squares, by month piece) of the <paramref name="days"/> days
    /// after <paramref name="last"/>: each month's share of days times its seasonal factor.
    /// </summary>
    private static (double Exposure, double Squares) SilenceExposure(MonthAxis axis, double[] exposure, DateOnly last, int days)
    {
        double sum = 0, squares = 0;
        var day = last.AddDays(1);
        var end = last.AddDays(days);
        while (day <= end)
        {
            var i = axis.IndexOf(day);
            var daysInMonth = DateTime.DaysInMonth(day.Year, day.Month);
            var monthEnd = new DateOnly(day.Year, day.Month, daysInMonth);
            var to = monthEnd < end ? monthEnd : end;
            var seasonal = i < axis.Count ? exposure[i] / axis.Fraction(i) : 1;
            var piece = seasonal * (to.DayNumber - day.DayNumber + 1) / daysInMonth;
            sum += piece;
            squares += piece * piece;
            day = to.AddDays(1);
        }
        return (sum, squares);
    }

    /// <summary>The fewest days of silence that would have been tested: past the minimum, with the minimum expected.</summary>
    private static int ShortestTestedSilence(MonthAxis axis, double[] exposure, DateOnly last, int days, int count, double historyExposure, TrendOptions options)
    {
        int low = options.LapsedMinimumDays + 1, high = days;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (count * SilenceExposure(axis, exposure, last, middle).Exposure / historyExposure >= options.MinimumExpectedInSilence) high = middle;
            else low = middle + 1;
        }
        return low;
    }

    /// <summary>
    /// The beta's precision (a + b) for two windows: each window's rate is a sum of monthly gamma
    /// factors, matched by a gamma of shape k (Σe)²/Σe². Infinite for Poisson counts (the
    /// beta-binomial becomes the binomial) unless the source's own months scatter more.
    /// </summary>
    private static double Precision(double inverseShape, double scatter, int total, double[] exposure, (int From, int To) recent, (int From, int To) baseline)
    {
        double SumOf(int from, int to, bool squared)
        {
            double sum = 0;
            for (var i = from; i < to; i++) sum += squared ? exposure[i] * exposure[i] : exposure[i];
            return sum;
        }
        return PrecisionOf(inverseShape, scatter, total, SumOf(recent.From, recent.To, false), SumOf(recent.From, recent.To, true),
            SumOf(baseline.From, baseline.To, false), SumOf(baseline.From, baseline.To, true));
    }

    private static double PrecisionOf(double inverseShape, double scatter, int total, double exposureA, double squaresA, double exposureB, double squaresB)
    {
        var precision = inverseShape > 0
            ? (exposureA * exposureA / squaresA + exposureB * exposureB / squaresB) / inverseShape
            : double.PositiveInfinity;
        if (scatter <= 1 || total <= 1) return precision;
        // The source's own extra scatter widens the whole variance of the split, as the beta-binomial's
        // factor over the binomial, (c + n) / (c + 1), times the scatter: solved back for c.
        var factor = (double.IsPositiveInfinity(precision) ? 1 : (precision + total) / (precision + 1)) * scatter;
        return factor >= total ? MinimumPrecision : Math.Max(MinimumPrecision, (total - factor) / (factor - 1));
    }

    private const double MinimumPrecision = 0.01;

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

/// <summary>
/// Tails of the beta-binomial: X given n, with P(success) ~ Beta(share × precision, (1 − share) ×
/// precision); the binomial when the precision is infinite.
/// </summary>
public static class BetaBinomialTail
{
    /// <summary>Mid-p of the lower tail: P(X &lt; x) + ½ P(X = x) (Lancaster 1961). The upper tail's is 1 minus this.</summary>
    public static double LowerMidP(int x, int n, double share, double precision)
    {
        if (n <= 0) return 0.5;
        share = Math.Clamp(share, 1e-12, 1 - 1e-12);
        x = Math.Clamp(x, 0, n);
        var mean = n * share;
        // Sum from the observed count away from the middle, where the terms shrink, so the sum
        // stops early and never adds large terms to get a small tail.
        if (x <= mean)
        {
            var term = Pmf(x, n, share, precision);
            var tail = 0.5 * term;
            for (var y = x; y > 0 && term > tail * 1e-15; y--)
            {
                term *= Down(y, n, share, precision);
                tail += term;
            }
            return Math.Min(1, tail);
        }
        else
        {
            var term = Pmf(x, n, share, precision);
            var upper = 0.5 * term;
            for (var y = x; y < n && term > upper * 1e-15; y++)
            {
                term *= Up(y, n, share, precision);
                upper += term;
            }
            return Math.Max(0, 1 - upper);
        }
    }

    /// <summary>P(X = x).</summary>
    public static double Pmf(int x, int n, double share, double precision)
    {
        var logChoose = SpecialFunctions.GammaLn(n + 1) - SpecialFunctions.GammaLn(x + 1) - SpecialFunctions.GammaLn(n - x + 1);
        if (double.IsPositiveInfinity(precision))
        {
            return Math.Exp(logChoose + x * Math.Log(share) + (n - x) * Math.Log(1 - share));
        }
        var a = share * precision;
        var b = (1 - share) * precision;
        return Math.Exp(logChoose + LogBeta(x + a, n - x + b) - LogBeta(a, b));
    }

    private static double LogBeta(double a, double b) => SpecialFunctions.GammaLn(a) + SpecialFunctions.GammaLn(b) - SpecialFunctions.GammaLn(a + b);

    /// <summary>P(X = y − 1) / P(X = y).</summary>
    private static double Down(int y, int n, double share, double precision) => double.IsPositiveInfinity(precision)
        ? y / (double)(n - y + 1) * (1 - share) / share
        : y / (double)(n - y + 1) * ((1 - share) * precision + n - y) / (share * precision + y - 1);

    /// <summary>P(X = y + 1) / P(X = y).</summary>
    private static double Up(int y, int n, double share, double precision) => double.IsPositiveInfinity(precision)
        ? (n - y) / (double)(y + 1) * share / (1 - share)
        : (n - y) / (double)(y + 1) * (share * precision + y) / ((1 - share) * precision + n - y - 1);
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
