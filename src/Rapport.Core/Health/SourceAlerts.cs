using Rapport.Common;

namespace Rapport.Health;

/// <summary>
/// One source's alerts as one line of work: the alerts page's row and the call list's call are
/// both made of this, so they name the same kinds, say the same reasons once and show the same
/// referrals/month at risk.
/// </summary>
/// <param name="Tier"><see cref="AlertTiers.Alert"/> when any of its alerts is alert-tier, else <see cref="AlertTiers.Watch"/>.</param>
/// <param name="Kinds">Its alerts' kinds, each once, in the order of <see cref="Alerts"/>.</param>
/// <param name="Reasons">Its alerts' reasons, each said once (<see cref="MergeReasons"/>).</param>
/// <param name="ReferralsAtRisk">Referrals a month it has stopped sending (<see cref="AtRiskPerMonth"/>), to one decimal.</param>
/// <param name="ExpectedMonthly">Its usual referrals a month (<see cref="SourceRates.ExpectedMonthly"/>).</param>
/// <param name="RecentMonthly">What it sent a month over the recent window (<see cref="SourceRates.RecentMonthly"/>).</param>
public sealed record SourceAlerts(
    AlertSource Source,
    string? OwnerUserId,
    string? Owner,
    string Tier,
    IReadOnlyList<string> Kinds,
    IReadOnlyList<string> Reasons,
    double ReferralsAtRisk,
    double ExpectedMonthly,
    double RecentMonthly,
    IReadOnlyList<AlertView> Alerts)
{
    /// <summary>Whether any of its alerts is of this tier (a source can have a watch-tier decline beside an overdue touch).</summary>
    public bool HasTier(string tier) => Alerts.Any(a => a.Tier == tier);

    /// <param name="sourceAlerts">Alerts of one source, at least one.</param>
    public static SourceAlerts Of(IEnumerable<AlertView> sourceAlerts)
    {
        var alerts = sourceAlerts.ToList();
        var first = alerts[0];
        var kinds = alerts.Select(a => a.Kind).Distinct(StringComparer.Ordinal).ToList();
        // Every alert of a source carries the same rates (to one decimal, so the difference shown is the difference of the figures shown).
        var expected = alerts.Max(a => a.Numbers.ExpectedMonthly ?? 0);
        var recent = alerts.Max(a => a.Numbers.RecentMonthly ?? 0);
        var tier = alerts.Any(a => a.Tier == AlertTiers.Alert) ? AlertTiers.Alert : AlertTiers.Watch;
        return new SourceAlerts(first.Source, first.OwnerUserId, first.Owner, tier, kinds, MergeReasons(alerts.SelectMany(a => a.Reasons)),
            SourceRates.OneDecimal(AtRiskPerMonth(kinds, expected, recent)), expected, recent, alerts);
    }

    /// <summary>
    /// Referrals a month at risk: what the source has stopped sending, as far as an alert shows it.
    /// Lapsed: its whole usual rate (it has stopped). Declining: its usual rate minus what it sent a
    /// month over the recent window. Otherwise 0: nothing is lost yet, and the call (an overdue touch,
    /// a refer-back, a thank-you) is to keep it so. Never below 0 nor above the usual rate, so it reads
    /// as a part of what the source sends. Dr. House, usually 4.0 a month and 1.8 lately: 2.2.
    /// A watch-tier decline counts like an alert-tier one: the figure is what the source's own numbers
    /// say it sends less; the tier says how sure the test is that it is more than chance.
    /// </summary>
    public static double AtRiskPerMonth(IReadOnlyCollection<string> kinds, double expectedMonthly, double recentMonthly)
    {
        var usual = Math.Max(0, expectedMonthly);
        if (kinds.Contains(AlertKinds.Lapsed)) return usual;
        if (kinds.Contains(AlertKinds.Declining)) return Math.Clamp(usual - recentMonthly, 0, usual);
        return 0;
    }

    /// <summary>
    /// One source's reasons from all its alerts, each said once: a sentence that another one repeats
    /// with more detail ("Last touch 125 days ago in person." beside "Last touch 125 days ago in
    /// person (cadence 30).") is dropped in favour of the longer one.
    /// </summary>
    public static IReadOnlyList<string> MergeReasons(IEnumerable<string> reasons)
    {
        var distinct = reasons.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Where(r => !distinct.Any(other => other.Length > r.Length
            && other.StartsWith(r.TrimEnd('.') + " (", StringComparison.Ordinal))).ToList();
    }

    /// <summary>
    /// The order of the alerts page: sources with an alert-tier alert before those with only
    /// watch-tier ones (strong evidence or a plain fact before "probably down, not yet certain"),
    /// then by referrals/month at risk, then by usual rate (more is at stake with a busier source),
    /// then by name.
    /// </summary>
    public static IReadOnlyList<SourceAlerts> Ordered(IEnumerable<SourceAlerts> rows) =>
        rows.OrderBy(r => r.Tier == AlertTiers.Alert ? 0 : 1).ThenByDescending(r => r.ReferralsAtRisk).ThenByDescending(r => r.ExpectedMonthly)
            .ThenBy(r => r.Source.Name, StringComparer.Ordinal).ThenBy(r => r.Source.Id).ToList();

    /// <summary>A tier filter's value checked: null or blank keeps both; anything but alert or watch names the field.</summary>
    public static string? CheckTier(string? tier, string field = "tier")
    {
        if (Formats.Clean(tier) is not { } text) return null;
        var known = AlertTiers.All.FirstOrDefault(t => string.Equals(t, text, StringComparison.OrdinalIgnoreCase));
        return known ?? throw new ValidationException(field, $"'{text}' is not a tier: use {string.Join(" or ", AlertTiers.All)}.");
    }
}
