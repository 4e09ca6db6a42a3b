using System.Globalization;

namespace Rapport.Common;

/// <summary>
/// A proportion from a small count, shown with its uncertainty rather than as a bare percentage: "12 of 15 (80%, 95% CI 55–93%)".
/// The interval is Wilson's score interval (E. B. Wilson, "Probable inference, the law of succession, and statistical
/// inference", JASA 22:209–212, 1927): unlike the textbook p ± 1.96·√(p(1−p)/n) it stays inside 0–100% and is not
/// absurdly narrow at 0 of 3 or 3 of 3, which is where a practice's numbers live.
/// </summary>
public sealed record WilsonInterval(int Successes, int Trials, double? Rate, double? Low, double? High)
{
    /// <summary>The 97.5th percentile of the standard normal: a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    public static WilsonInterval Of(int successes, int trials)
    {
        if (trials <= 0) return new WilsonInterval(successes, 0, null, null, null);
        var n = (double)trials;
        var p = successes / n;
        var z2 = Z95 * Z95;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = Z95 / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new WilsonInterval(successes, trials, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>"12 of 15 (80%, 95% CI 55–93%)"; "none decided yet" when there is nothing to divide.</summary>
    public string Text => Rate is not { } rate
        ? "none decided yet"
        : string.Create(CultureInfo.InvariantCulture, $"{Successes} of {Trials} ({Percent(rate)}, 95% CI {Math.Round(Low!.Value * 100, MidpointRounding.AwayFromZero):0}–{Percent(High!.Value)})");

    private static string Percent(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(fraction * 100, MidpointRounding.AwayFromZero):0}%");
}
