using MathNet.Numerics.Distributions;

namespace Rapport.Campaigns;

/// <summary>A share of a group with its 95% interval: "3 of 12 sources, 25% (95% CI 9–53%)". Fractions 0..1.</summary>
public sealed record ShareInterval(int Count, int Of, double? Share, double? Low, double? High);

/// <summary>A count over an exposure (source-months) with its 95% interval, as events per unit of exposure.</summary>
public sealed record RateInterval(int Count, double Exposure, double? Rate, double? Low, double? High);

/// <summary>How many times the reached sources' referrals changed, relative to the comparison group's change, with its 95% interval.</summary>
public sealed record RelativeChange(double? Ratio, double? Low, double? High);

/// <summary>
/// The intervals the campaign comparison shows, so that small numbers carry their uncertainty instead of passing
/// as bare percentages. 95% two-sided throughout.
/// </summary>
public static class CampaignStatistics
{
    /// <summary>The standard normal quantile for a two-sided 95% interval (Φ⁻¹(0.975)).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// Wilson score interval for a proportion (E. B. Wilson, "Probable inference, the law of succession, and
    /// statistical inference", JASA 22:209–212, 1927): unlike the textbook p ± z·√(p(1−p)/n) it stays inside 0..1 and
    /// is not zero-width at 0 of n or n of n, which is what a practice with a dozen sources sees.
    /// </summary>
    public static ShareInterval Wilson(int count, int of)
    {
        if (of <= 0)
        {
            return new ShareInterval(count, of, null, null, null);
        }
        double n = of;
        var p = count / n;
        var z2 = Z95 * Z95;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = Z95 / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new ShareInterval(count, of, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// Exact (Garwood) interval for a Poisson rate (F. Garwood, "Fiducial limits for the Poisson distribution",
    /// Biometrika 28:437–442, 1936): for k events the mean count lies between Gamma(k, 1) at 2.5% and Gamma(k+1, 1) at 97.5%
    /// (the χ² form ½χ²(2k, 0.025)…½χ²(2k+2, 0.975)), divided by the exposure. The lower limit is 0 when k is 0.
    /// </summary>
    public static RateInterval Garwood(int count, double exposure)
    {
        if (exposure <= 0)
        {
            return new RateInterval(count, exposure, null, null, null);
        }
        var low = count == 0 ? 0 : Gamma.InvCDF(count, 1, 0.025);
        var high = Gamma.InvCDF(count + 1, 1, 0.975);
        return new RateInterval(count, exposure, count / exposure, low / exposure, high / exposure);
    }

    /// <summary>
    /// The reached group's change beside the comparison group's — a difference in differences on the ratio scale: (during ÷ before
    /// of the reached sources) ÷ (during ÷ before of the comparison group). Each group's two periods have the same sources and the
    /// same number of days, so each ratio of rates is a ratio of counts, and the whole is the odds ratio of the 2×2 table of counts;
    /// its interval is Woolf's (B. Woolf, "On estimating the relation between blood group and disease", Annals of Human Genetics
    /// 19:251–253, 1955): exp(ln R ± 1.96·√(Σ 1/count)), with ½ added to every count when one is zero (Haldane 1956). A season
    /// moves both groups alike and cancels; what is left is what the campaign's sources did differently.
    /// </summary>
    public static RelativeChange Relative(int reachedDuring, int reachedBefore, int comparisonDuring, int comparisonBefore)
    {
        if (reachedDuring + reachedBefore == 0 || comparisonDuring + comparisonBefore == 0)
        {
            return new RelativeChange(null, null, null);
        }
        var half = reachedDuring == 0 || reachedBefore == 0 || comparisonDuring == 0 || comparisonBefore == 0 ? 0.5 : 0;
        double a = reachedDuring + half, b = reachedBefore + half, c = comparisonDuring + half, d = comparisonBefore + half;
        var log = Math.Log(a * d / (b * c));
        var se = Math.Sqrt(1 / a + 1 / b + 1 / c + 1 / d);
        return new RelativeChange(Math.Exp(log), Math.Exp(log - Z95 * se), Math.Exp(log + Z95 * se));
    }

    /// <summary>"3 of 12 sources, 25% (95% CI 9–53%)"; "no sources" for an empty group.</summary>
    public static string Describe(ShareInterval share, string noun = "sources") =>
        share.Share is not { } p
            ? $"no {noun}"
            : FormattableString.Invariant($"{share.Count} of {share.Of} {noun}, {p * 100:0}% (95% CI {share.Low * 100:0}–{share.High * 100:0}%)");

    /// <summary>"0.42 (95% CI 0.21–0.75)"; "–" without exposure.</summary>
    public static string Describe(RateInterval rate) =>
        rate.Rate is not { } r ? "–" : FormattableString.Invariant($"{r:0.00} (95% CI {rate.Low:0.00}–{rate.High:0.00})");
}
