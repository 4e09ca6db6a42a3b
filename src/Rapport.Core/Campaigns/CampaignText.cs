using System.Globalization;

namespace Rapport.Campaigns;

/// <summary>
/// How every door writes a campaign figure — the page, the PDF and the CLI print these very strings, so the same
/// numbers appear everywhere ("$1,234.50", "$3.40 back per $1", "none" where there is nothing to divide by).
/// </summary>
public static class CampaignText
{
    public const string None = "none";

    public static string Money(decimal amount) => amount.ToString("$#,##0.00;−$#,##0.00", CultureInfo.InvariantCulture);

    public static string Money(decimal? amount, string empty = None) => amount is { } value ? Money(value) : empty;

    /// <summary>"$3.40 back per $1"; what is missing when there is no ratio.</summary>
    public static string ReturnOnSpend(CampaignResults r) =>
        r.ReturnOnSpend is { } ratio ? $"{Money(ratio)} back per $1"
        : r.EstimatedRevenue is null ? "none (no revenue per visit set: Settings → Revenue)"
        : "none (no cost recorded)";

    public static string ReturnOnSpend(decimal? ratio) => ratio is { } value ? $"{Money(value)} back per $1" : None;

    public static string Count(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("MMM d, yyyy", CultureInfo.InvariantCulture);

    public static string Dates(DateOnly startsOn, DateOnly? endsOn) =>
        endsOn is { } end ? (end == startsOn ? Date(startsOn) : $"{Date(startsOn)} – {Date(end)}") : $"{Date(startsOn)} – ongoing";

    public static string Period(CampaignResults r) =>
        r.NotStarted ? $"starts {Date(r.StartsOn)}"
        : $"{Date(r.MeasuredFrom)} – {Date(r.MeasuredTo)}" + (r.StillMeasuring ? $" (still measuring until {Date(r.MeasuringEndsOn)})" : "");

    public static string Estimated(CampaignResults r) =>
        r.EstimatedRevenue is { } revenue ? Money(revenue) : "none (no revenue per visit set: Settings → Revenue)";

    /// <summary>"12 visits without a rate: Self-pay 8, Not recorded 4"; empty when every visit is priced.</summary>
    public static string Unpriced(CampaignResults r) =>
        r.VisitsWithoutRate.Count == 0 ? ""
        : $"{Count(r.VisitsWithoutRate.Sum(u => u.Visits))} visits without a rate, not valued: "
            + string.Join(", ", r.VisitsWithoutRate.Select(u => $"{u.Category} {Count(u.Visits)}"));

    public static string Budget(CampaignResults r) =>
        r.Budget is not { } budget ? $"{Money(r.ActualCost)} spent (no budget set)"
        : r.OverBudget > 0 ? $"{Money(r.ActualCost)} of {Money(budget)} budget, {Money(r.OverBudget.Value)} over"
        : $"{Money(r.ActualCost)} of {Money(budget)} budget";

    /// <summary>"3 of 12 sources, 25% (95% CI 9–53%)".</summary>
    public static string Share(ShareInterval share) => CampaignStatistics.Describe(share);

    /// <summary>"0.42 (95% CI 0.21–0.75)" referrals per source per month.</summary>
    public static string Rate(RateInterval rate) => CampaignStatistics.Describe(rate);

    /// <summary>"+8 points" / "−0.12 per source per month"; "–" without a value.</summary>
    public static string ShareChange(double? change) =>
        change is { } c ? FormattableString.Invariant($"{(c >= 0 ? "+" : "−")}{Math.Abs(c) * 100:0} points") : "–";

    public static string RateChange(double? change) =>
        change is { } c ? FormattableString.Invariant($"{(c >= 0 ? "+" : "−")}{Math.Abs(c):0.00}") : "–";

    /// <summary>The headline figures in the order every door lists them (label, value).</summary>
    public static IReadOnlyList<(string Label, string Value)> Headline(CampaignResults r) =>
    [
        ("Actual cost", Money(r.ActualCost)),
        ("Budget", Money(r.Budget)),
        ("Sources reached", Count(r.SourcesReached)),
        ("Touches", Count(r.Touches)),
        ("New referring sources", Count(r.NewReferringSources.Count)),
        ("Referrals attributed", Count(r.ReferralsAttributed)),
        ("Referrals via campaign touches", Count(r.ReferralsViaTouches)),
        ("Referrals named at intake", Count(r.ReferralsViaIntake)),
        ("Evaluated episodes", Count(r.EvaluatedAttributed)),
        ("Visits", Count(r.Visits)),
        ("Estimated revenue", Estimated(r)),
        ("Cost per new referring source", Money(r.CostPerNewReferringSource)),
        ("Cost per attributed referral", Money(r.CostPerAttributedReferral)),
        ("Return on spend", ReturnOnSpend(r)),
    ];
}
