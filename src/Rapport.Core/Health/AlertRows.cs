namespace Rapport.Health;

/// <summary>The alerts page's rows after its filters, with the counts its filter chips show.</summary>
/// <param name="Shown">One row per source, filtered by owner, tier and kind, in the page's order.</param>
/// <param name="Tier">The tier filter as understood (an unknown tier shows both, as the chip "Alerts and watch" does).</param>
/// <param name="KindCounts">Sources per kind among the owner's (and tier's), in <see cref="AlertKinds.All"/> order.</param>
/// <param name="TierCounts">Sources with an alert of each tier among the owner's.</param>
/// <param name="OwnerTotal">Sources among the owner's and tier's, every kind.</param>
/// <param name="Owners">The owners with alerts, by name, for the owner chips.</param>
public sealed record AlertRowsView(
    IReadOnlyList<SourceAlerts> Shown,
    string? Tier,
    IReadOnlyList<(string Kind, int Count)> KindCounts,
    IReadOnlyList<(string Tier, int Count)> TierCounts,
    int OwnerTotal,
    IReadOnlyList<(string Id, string Name)> Owners);

/// <summary>
/// The alerts page's filters, once, for the page and its export: <c>owner</c> ("me", "unassigned", a
/// user id, or blank for everyone), <c>tier</c> (alert or watch) and <c>show</c> (an alert kind).
/// </summary>
public static class AlertRows
{
    public const string Me = "me";
    public const string Unassigned = "unassigned";

    /// <param name="myUserId">Who "me" is (the signed-in user); "me" matches nobody without one.</param>
    public static AlertRowsView Filter(AlertList list, string? show, string? tier, string? owner, string? myUserId)
    {
        tier = AlertTiers.All.FirstOrDefault(t => string.Equals(t, tier, StringComparison.OrdinalIgnoreCase));
        var owners = list.Alerts.Where(a => a.OwnerUserId is not null).GroupBy(a => a.OwnerUserId!)
            .Select(g => (g.Key, g.First().Owner ?? g.Key)).OrderBy(o => o.Item2, StringComparer.CurrentCulture).ToList();
        var owned = (list with
        {
            Alerts = owner switch
            {
                null or "" => list.Alerts,
                Me => list.Alerts.Where(a => myUserId is not null && a.OwnerUserId == myUserId).ToList(),
                Unassigned => list.Alerts.Where(a => a.OwnerUserId is null).ToList(),
                var id => list.Alerts.Where(a => a.OwnerUserId == id).ToList(),
            },
        }).BySource();
        var tierCounts = AlertTiers.All.Select(t => (t, owned.Count(r => r.HasTier(t)))).ToList();
        var tiered = tier is null ? owned : owned.Where(r => r.HasTier(tier)).ToList();
        var kindCounts = AlertKinds.All.Select(k => (k, tiered.Count(r => r.Kinds.Contains(k)))).Where(c => c.Item2 > 0).ToList();
        var shown = string.IsNullOrEmpty(show) ? tiered : tiered.Where(r => r.Kinds.Contains(show)).ToList();
        return new AlertRowsView(shown, tier, kindCounts, tierCounts, tiered.Count, owners);
    }

    /// <summary>The kind's name as the page's chips say it.</summary>
    public static string KindLabel(string kind) => kind switch
    {
        AlertKinds.Declining => "Declining",
        AlertKinds.Lapsed => "Lapsed",
        AlertKinds.TouchOverdue => "Touch overdue",
        AlertKinds.ReciprocityGap => "Refer-back gap",
        AlertKinds.NewReferrer => "New referrer",
        AlertKinds.Rising => "Rising",
        AlertKinds.Concentration => "Concentration",
        _ => kind,
    };
}
