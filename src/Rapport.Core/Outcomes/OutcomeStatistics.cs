using MathNet.Numerics.Distributions;

namespace Rapport.Outcomes;

public sealed record Estimate(double Value, double? Lower, double? Upper);

/// <summary>One step of a Kaplan–Meier curve: at <see cref="Day"/>, the share still without the event, with its 95% band.</summary>
public sealed record KmStep(int Day, int AtRisk, int Events, int Censored, double Survival, double? Lower, double? Upper);

public sealed record KaplanMeierResult(IReadOnlyList<KmStep> Steps, int? MedianDays, int? MedianLower, int? MedianUpper);

/// <summary>One subject for Kaplan–Meier: the time, and whether the event happened then (false = censored then).</summary>
public readonly record struct TimeToEvent(int Days, bool Event);

public static class OutcomeStatistics
{
    /// <summary>
    /// Mean with a two-sided 95% t-interval: mean ± t(0.975, n−1) × s / √n (Student 1908; any
    /// introductory text, e.g. Altman, Practical Statistics for Medical Research, 1991, §9.4).
    /// Bounds are null for n &lt; 2.
    /// </summary>
    public static Estimate? Mean(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var mean = values.Average();
        if (values.Count < 2)
        {
            return new Estimate(mean, null, null);
        }
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        var half = StudentT.InvCDF(0, 1, values.Count - 1, 0.975) * sd / Math.Sqrt(values.Count);
        return new Estimate(mean, mean - half, mean + half);
    }

    /// <summary>
    /// Median with a distribution-free 95% interval from order statistics: the number of values
    /// below the true median is Binomial(n, ½), so [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] covers it with probability
    /// 1 − 2·P(B ≤ k − 1); k is the largest rank keeping that at least 95% (Conover, Practical
    /// Nonparametric Statistics, 3rd ed. 1999, §3.2; Campbell &amp; Gardner, BMJ 1988;296:1454).
    /// Bounds are null when n is too small for any 95% interval (n &lt; 6).
    /// </summary>
    public static Estimate? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        var k = 0;
        for (var candidate = 1; candidate <= n / 2; candidate++)
        {
            if (2 * Binomial.CDF(0.5, n, candidate - 1) <= 0.05)
            {
                k = candidate;
            }
        }
        return k == 0 ? new Estimate(median, null, null) : new Estimate(median, sorted[k - 1], sorted[n - k]);
    }

    /// <summary>
    /// Kaplan–Meier product-limit estimate (Kaplan &amp; Meier, JASA 1958;53:457) of the share still
    /// without the event: S(t) = Π over event days tᵢ ≤ t of (1 − dᵢ/nᵢ), where nᵢ counts subjects
    /// whose time is ≥ tᵢ (those censored on an event day are still at risk then).
    /// Pointwise 95% band on the log(−log) scale with Greenwood's variance:
    /// S^exp(±1.96·σ), σ² = Σ dᵢ/(nᵢ(nᵢ − dᵢ)) / (log S)² (Kalbfleisch &amp; Prentice 2002, §1.3;
    /// R survival's conf.type = "log-log").
    /// Median = first day with S ≤ ½. Its 95% interval inverts the band (Brookmeyer &amp; Crowley,
    /// Biometrics 1982;38:29–41, as R's survfit does): lower = first day whose lower band is ≤ ½,
    /// upper = first day whose upper band is ≤ ½ (null when never: not reached in the data). Where
    /// S falls to 0 the band is taken as [0, 0].
    /// </summary>
    public static KaplanMeierResult KaplanMeier(IReadOnlyList<TimeToEvent> subjects)
    {
        var steps = new List<KmStep>();
        var survival = 1.0;
        var greenwood = 0.0;
        var atRisk = subjects.Count;
        foreach (var day in subjects.GroupBy(s => s.Days).OrderBy(g => g.Key))
        {
            var events = day.Count(s => s.Event);
            var censored = day.Count() - events;
            if (events > 0)
            {
                survival *= 1 - (double)events / atRisk;
                greenwood += atRisk == events ? double.PositiveInfinity : (double)events / (atRisk * (atRisk - events));
                var (lower, upper) = Band(survival, greenwood);
                steps.Add(new KmStep(day.Key, atRisk, events, censored, survival, lower, upper));
            }
            else
            {
                var last = steps.Count > 0 ? steps[^1] : null;
                steps.Add(new KmStep(day.Key, atRisk, 0, censored, survival, last?.Lower, last?.Upper));
            }
            atRisk -= events + censored;
        }
        var eventSteps = steps.Where(s => s.Events > 0).ToList();
        return new KaplanMeierResult(steps,
            eventSteps.FirstOrDefault(s => s.Survival <= 0.5)?.Day,
            eventSteps.FirstOrDefault(s => s.Lower is { } l && l <= 0.5)?.Day,
            eventSteps.FirstOrDefault(s => s.Upper is { } u && u <= 0.5)?.Day);
    }

    private static (double? Lower, double? Upper) Band(double survival, double greenwoodSum)
    {
        if (survival <= 0)
        {
            return (0, 0);
        }
        if (survival >= 1 || double.IsInfinity(greenwoodSum))
        {
            return (null, null);
        }
        var logS = Math.Log(survival);
        var sigma = Math.Sqrt(greenwoodSum) / Math.Abs(logS);
        return (Math.Pow(survival, Math.Exp(1.96 * sigma)), Math.Pow(survival, Math.Exp(-1.96 * sigma)));
    }
}
