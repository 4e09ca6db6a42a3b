namespace Rapport.Sources;

/// <summary>A column of the sources table a user may hide; <see cref="Key"/> is its <c>data-col</c> and what the preference stores.</summary>
public sealed record SourceColumn(string Key, string Label, bool Metric);

/// <summary>
/// The sources table's optional columns (the name always shows) and which a user shows. Every
/// column shows by default: the compact layout fits them at 1280 px, and a user who wants more room
/// for names hides some. Unknown keys in a saved choice are dropped, so renaming a column never
/// breaks anyone's page.
/// </summary>
public static class SourceColumns
{
    public static readonly IReadOnlyList<SourceColumn> All =
    [
        new("specialty", "Specialty", false),
        new("status", "Status", false),
        new("active-patients", "Active patients", true),
        new("referrals-90d", "Referrals 90d", true),
        new("referrals-12m", "Referrals 12m", true),
        new("last-touch", "Last touch", true),
        new("days-since-touch", "Days since touch", true),
        new("refer-backs-12m", "Refer-backs 12m", true),
        new("last-refer-back", "Last refer-back", true),
    ];

    public static IReadOnlyList<string> Default { get; } = [.. All.Select(c => c.Key)];

    /// <summary>The known keys among <paramref name="keys"/>, in table order; null means the default set.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string?>? keys)
    {
        if (keys is null) return Default;
        var chosen = keys.OfType<string>().Select(k => k.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. All.Where(c => chosen.Contains(c.Key)).Select(c => c.Key)];
    }

    public static string Store(IReadOnlyList<string> keys) => string.Join(",", keys);

    public static IReadOnlyList<string> Parse(string? stored) => stored is null ? Default : Normalize(stored.Split(',', StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>Whether a source's referrals are picking up or falling off: its last 90 days' pace against its last 12 months.</summary>
public enum ReferralTrend { Steady, Up, Down }

public static class ReferralTrends
{
    /// <summary>
    /// The last 90 days at a yearly pace (×365/90) against the 12 months' count: a quarter more is
    /// up, a quarter less is down. Only with enough referrals to mean something (4 in 12 months for
    /// down, 2 in 90 days for up); a hint for the eye beside the counts, not the alerts' statistics.
    /// </summary>
    public static ReferralTrend Of(int referrals90d, int referrals12m)
    {
        var pace = referrals90d * 365.0 / 90;
        if (referrals90d >= 2 && pace >= referrals12m * 1.25) return ReferralTrend.Up;
        if (referrals12m >= 4 && pace <= referrals12m * 0.75) return ReferralTrend.Down;
        return ReferralTrend.Steady;
    }
}
