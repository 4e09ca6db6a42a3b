using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Health;

/// <summary>The /Alerts rows as a file: one row per source, with the page's filters (all, show, tier, owner).</summary>
public sealed class AlertsExport(AlertService alerts, Users.UserDirectory users) : IListExport
{
    public string Kind => "alerts";

    public string? PatientEntityType => null;

    public async Task<Sheet> BuildAsync(IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken)
    {
        var read = new ExportFilters(filters);
        var show = read.OneOf("show", AlertKinds.All);
        var tier = read.OneOf("tier", AlertTiers.All);
        var owner = read.Text("owner");
        var me = owner == AlertRows.Me ? await users.ActingUserIdAsync(cancellationToken) : null;
        var list = await alerts.ListAsync(includeHandled: read.Bool("all"), cancellationToken: cancellationToken);
        var rows = AlertRows.Filter(list, show, tier, owner, me).Shown;
        return new Sheet("Alerts",
        [
            new("Source id", ColumnKind.Count), new("NPI"), new("Source"), new("Tier"), new("Alerts"),
            new("Referrals/month at risk", ColumnKind.Number), new("Usual referrals/month", ColumnKind.Number), new("Reasons"),
            new("Since", ColumnKind.Date), new("Owner"), new("Status"),
        ],
        rows.Select(r => (IReadOnlyList<object?>)
        [
            r.Source.Id, r.Source.Npi, r.Source.Name, r.Tier, string.Join("; ", r.Kinds.Select(AlertRows.KindLabel)),
            r.ReferralsAtRisk, r.ExpectedMonthly, string.Join(" ", r.Reasons),
            r.Alerts.Min(a => a.FirstRaisedAt), r.Owner, string.Join("; ", r.Alerts.Select(a => a.Status).Distinct()),
        ]));
    }
}
