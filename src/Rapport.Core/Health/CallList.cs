using CultureInfo = System.Globalization.CultureInfo;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Rapport.Common;

namespace Rapport.Health;

public sealed record CallListEntry(
    AlertSource Source,
    string? OwnerUserId,
    string Owner,
    double ReferralsAtRisk,
    double ExpectedMonthly,
    string Purpose,
    DateOnly? LastTouchOn,
    string? LastTouchMethod,
    IReadOnlyList<string> Kinds,
    IReadOnlyList<string> Reasons);

/// <param name="Calls">This week's calls, at most the practice's calls per liaison a week, most at risk first.</param>
/// <param name="Later">The rest, still ranked: they can wait a week unless there is time.</param>
public sealed record CallListGroup(string Owner, IReadOnlyList<CallListEntry> Calls, IReadOnlyList<CallListEntry> Later);

public sealed record CallList(DateOnly AsOf, DateOnly WeekOf, int CallsPerOwner, IReadOnlyList<CallListGroup> Owners);

/// <summary>
/// The weekly call list: every source with an open relationship alert, ranked by the referrals at
/// risk and grouped by relationship owner. Built on <see cref="AlertService"/>, so the list, the
/// alerts page and (later) the digest always agree.
/// </summary>
public sealed class CallListService(AlertService alerts)
{
    public const string Unassigned = "Unassigned";

    private static readonly HashSet<string> CallKinds =
        [AlertKinds.Declining, AlertKinds.Lapsed, AlertKinds.TouchOverdue, AlertKinds.ReciprocityGap, AlertKinds.NewReferrer];

    public async Task<CallList> BuildAsync(DateOnly? asOf = null, CancellationToken cancellationToken = default)
    {
        var list = await alerts.ListAsync(asOf, cancellationToken: cancellationToken);
        var capacity = (await alerts.SettingsAsync(cancellationToken)).CallsPerOwner;
        var entries = list.Alerts.Where(a => CallKinds.Contains(a.Kind)).GroupBy(a => a.Source.Id).Select(Entry).ToList();
        var weekOf = list.AsOf.AddDays(-(((int)list.AsOf.DayOfWeek + 6) % 7));
        var groups = entries.GroupBy(e => e.Owner)
            .Select(g =>
            {
                var ranked = g.OrderByDescending(e => e.ReferralsAtRisk).ThenBy(e => e.Source.Name, StringComparer.Ordinal).ToList();
                return new CallListGroup(g.Key, ranked.Take(capacity).ToList(), ranked.Skip(capacity).ToList());
            })
            .OrderBy(g => g.Owner == Unassigned).ThenByDescending(g => g.Calls.Sum(c => c.ReferralsAtRisk)).ToList();
        return new CallList(list.AsOf, weekOf, capacity, groups);
    }

    /// <summary>
    /// Referrals at risk = the source's expected referrals a month × how much is wrong, where "wrong"
    /// adds up: the share of referrals already lost when declining (e.g. 0.5 for a halving), 1 when
    /// lapsed, how many cadences overdue the touch is beyond the first (capped at 3), and 0.25 for a
    /// refer-back gap. A new referrer counts at least 0.5 so the thank-you is not lost at the bottom.
    /// </summary>
    public static CallListEntry Entry(IEnumerable<AlertView> sourceAlerts)
    {
        var alerts = sourceAlerts.ToList();
        var first = alerts[0];
        var expected = alerts.Max(a => a.Numbers.ExpectedMonthly ?? 0);
        double weight = 0;
        foreach (var a in alerts)
        {
            weight += a.Kind switch
            {
                AlertKinds.Declining => Math.Max(0, -(a.Numbers.ChangePercent ?? 0) / 100),
                AlertKinds.Lapsed => 1,
                AlertKinds.TouchOverdue when a.Numbers is { DaysSinceLastTouch: { } days, CadenceDays: > 0 and var cadence } =>
                    Math.Min(3, Math.Max(0, (double)days / cadence - 1)) + 0.1,
                AlertKinds.ReciprocityGap => 0.25,
                _ => 0,
            };
        }
        var atRisk = expected * weight;
        if (alerts.Any(a => a.Kind == AlertKinds.NewReferrer)) atRisk = Math.Max(atRisk, 0.5);
        var touch = alerts.Select(a => a.Numbers).FirstOrDefault(n => n.LastTouchOn is not null);
        return new CallListEntry(first.Source, first.OwnerUserId, first.Owner ?? Unassigned, Math.Round(atRisk, 2), Math.Round(expected, 2),
            Purpose(alerts.Select(a => a.Kind).ToHashSet()), touch?.LastTouchOn, touch?.LastTouchMethod,
            alerts.Select(a => a.Kind).ToList(), MergeReasons(alerts.SelectMany(a => a.Reasons)));
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

    public static readonly IReadOnlyList<string> CsvHeaders =
        ["owner", "rank", "sourceId", "npi", "source", "referralsAtRisk", "expectedMonthly", "purpose", "lastTouchOn", "lastTouchMethod", "alerts", "reasons", "thisWeek"];

    /// <summary>One row per call in <see cref="CsvHeaders"/> order; the calls that can wait (thisWeek = no) only when asked.</summary>
    public static IEnumerable<IReadOnlyList<string?>> Rows(CallList list, bool includeLater = false) =>
        list.Owners.SelectMany(g => (includeLater ? g.Calls.Concat(g.Later) : g.Calls).Select((c, i) => (IReadOnlyList<string?>)
        [
            g.Owner, (i + 1).ToString(CultureInfo.InvariantCulture), c.Source.Id.ToString(CultureInfo.InvariantCulture), c.Source.Npi, c.Source.Name,
            c.ReferralsAtRisk.ToString("0.##", CultureInfo.InvariantCulture), c.ExpectedMonthly.ToString("0.##", CultureInfo.InvariantCulture), c.Purpose,
            c.LastTouchOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.LastTouchMethod, string.Join(";", c.Kinds), string.Join(" ", c.Reasons),
            i < list.CallsPerOwner ? "yes" : "no",
        ]));

    public static string ToCsv(CallList list, bool includeLater = false) => CsvText.Write(CsvHeaders, Rows(list, includeLater));

    /// <summary>A thank-you for a first referral; proof of value (the outcomes report) when referrals fall; otherwise a check-in.</summary>
    public static string Purpose(IReadOnlySet<string> kinds) =>
        kinds.Contains(AlertKinds.NewReferrer) ? "Thank-you"
        : kinds.Contains(AlertKinds.Declining) || kinds.Contains(AlertKinds.Lapsed) ? "Share outcomes report"
        : kinds.Contains(AlertKinds.ReciprocityGap) ? "Check-in (and look for a patient to refer back)"
        : "Check-in";

    /// <summary>The list as iCalendar follow-up tasks (VTODO), due by the Friday of the week.</summary>
    public static string ToICalendar(CallList list, bool includeLater = false)
    {
        var calendar = new Calendar { ProductId = "-//Rapport//Call list//EN" };
        var due = list.WeekOf.AddDays(4);
        foreach (var group in list.Owners)
        {
            foreach (var call in includeLater ? group.Calls.Concat(group.Later) : group.Calls)
            {
                calendar.Todos.Add(new Todo
                {
                    Uid = $"rapport-call-{list.WeekOf:yyyyMMdd}-{call.Source.Id}",
                    Summary = $"{call.Purpose}: {call.Source.Name}",
                    Description = string.Join("\n", call.Reasons.Prepend($"Owner: {call.Owner}. Referrals at risk: {call.ReferralsAtRisk:0.##} a month.")),
                    Due = new CalDateTime(due.Year, due.Month, due.Day),
                    Start = new CalDateTime(list.WeekOf.Year, list.WeekOf.Month, list.WeekOf.Day),
                });
            }
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
