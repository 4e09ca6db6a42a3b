using Microsoft.EntityFrameworkCore;
using CultureInfo = System.Globalization.CultureInfo;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Rapport.Common;

namespace Rapport.Health;

/// <param name="ReferralsAtRisk">Referrals a month the source has stopped sending, never more than <paramref name="ExpectedMonthly"/> (<see cref="SourceAlerts.AtRiskPerMonth"/>).</param>
/// <param name="ExpectedMonthly">The source's usual referrals a month (<see cref="SourceRates.ExpectedMonthly"/>).</param>
/// <param name="RecentMonthly">What it sent a month over the recent window (<see cref="SourceRates.RecentMonthly"/>).</param>
public sealed record CallListEntry(
    AlertSource Source,
    string? OwnerUserId,
    string Owner,
    double ReferralsAtRisk,
    double ExpectedMonthly,
    double RecentMonthly,
    string Purpose,
    DateOnly? LastTouchOn,
    string? LastTouchMethod,
    IReadOnlyList<string> Kinds,
    IReadOnlyList<string> Reasons)
{
    /// <summary>
    /// <see cref="AlertTiers.Alert"/> when any of the call's alerts is alert-tier, else
    /// <see cref="AlertTiers.Watch"/>: "probably down, not yet certain" is worth a call too (to share
    /// the outcomes report before the drop is certain), but the caller should know which it is.
    /// </summary>
    public string Tier { get; init; } = AlertTiers.Alert;

    /// <summary>The source's practice (name), where the liaison goes.</summary>
    public string? Practice { get; init; }
    /// <summary>The practice's address on one line ("12 Main St, Springfield, OR 97477"), for the page, the CSV and the calendar task's location.</summary>
    public string? Address { get; init; }
    public string? Phone { get; init; }
    public string? Fax { get; init; }

    /// <summary>
    /// The day of the source's latest touch this week when the call is done (<see cref="CallListService.DoneRule"/>); null while it is still to make.
    /// </summary>
    public DateOnly? DoneOn { get; init; }

    public bool Done => DoneOn is not null;
}

/// <param name="Calls">This week's calls, at most the practice's calls per liaison a week, most urgent first (<see cref="CallListService.Urgency"/>).</param>
/// <param name="Later">The rest, still ranked: they can wait a week unless there is time.</param>
public sealed record CallListGroup(string Owner, IReadOnlyList<CallListEntry> Calls, IReadOnlyList<CallListEntry> Later);

public sealed record CallList(DateOnly AsOf, DateOnly WeekOf, int CallsPerOwner, IReadOnlyList<CallListGroup> Owners);

/// <summary>
/// The weekly call list: every source with an open relationship alert, ranked by urgency (the
/// referrals a month at risk plus the stakes of an overdue touch or refer-back) and grouped by
/// relationship owner. Built on <see cref="AlertService"/>, so the list, the
/// alerts page and (later) the digest always agree.
/// </summary>
public sealed class CallListService(AlertService alerts, Data.RapportDbContext db)
{
    public const string Unassigned = "Unassigned";

    private static readonly HashSet<string> CallKinds =
        [AlertKinds.Declining, AlertKinds.Lapsed, AlertKinds.TouchOverdue, AlertKinds.ReciprocityGap, AlertKinds.NewReferrer];

    /// <summary>
    /// What "done" means on the call list: the source has a touch dated this week (Monday through
    /// the as-of day, on the practice clock), by anyone: the relationship was looked after this
    /// week. A done call stays on the list for the rest of the week, marked, even when the touch
    /// cleared its alert (an overdue touch): it is taken from the list as it stood the day before
    /// its first touch this week. Done calls count toward the week's calls per liaison.
    /// </summary>
    public const string DoneRule = "touched this week";

    public async Task<CallList> BuildAsync(DateOnly? asOf = null, CancellationToken cancellationToken = default)
    {
        var list = await alerts.ListAsync(asOf, cancellationToken: cancellationToken);
        var capacity = (await alerts.SettingsAsync(cancellationToken)).CallsPerOwner;
        var weekOf = list.AsOf.AddDays(-(((int)list.AsOf.DayOfWeek + 6) % 7));
        var entries = Calls(list).ToList();
        var touched = await db.Touchpoints.Where(t => t.OccurredOn >= weekOf && t.OccurredOn <= list.AsOf)
            .GroupBy(t => t.SourceId).Select(g => new { SourceId = g.Key, First = g.Min(t => t.OccurredOn), Last = g.Max(t => t.OccurredOn) })
            .ToDictionaryAsync(t => t.SourceId, cancellationToken);
        // Calls done this week whose alerts the touch cleared: the list the day before each first touch had them.
        var listed = entries.Select(e => e.Entry.Source.Id).ToHashSet();
        foreach (var byDay in touched.Values.Where(t => !listed.Contains(t.SourceId)).GroupBy(t => t.First))
        {
            var ids = byDay.Select(t => t.SourceId).ToHashSet();
            var before = await alerts.ListAsync(byDay.Key.AddDays(-1), cancellationToken: cancellationToken);
            entries.AddRange(Calls(before with { Alerts = before.Alerts.Where(a => ids.Contains(a.Source.Id)).ToList() }));
        }
        entries = entries.Select(e => touched.TryGetValue(e.Entry.Source.Id, out var t) ? e with { Entry = e.Entry with { DoneOn = t.Last } } : e).ToList();
        entries = await WithContactsAsync(entries, cancellationToken);
        var groups = entries.GroupBy(e => e.Entry.Owner)
            .Select(g =>
            {
                var ranked = g.OrderByDescending(e => e.Urgency).ThenBy(e => e.Entry.Source.Name, StringComparer.Ordinal).ToList();
                var toDo = Math.Max(0, capacity - ranked.Count(e => e.Entry.Done));
                var calls = ranked.Where(e => e.Entry.Done).Concat(ranked.Where(e => !e.Entry.Done).Take(toDo))
                    .OrderByDescending(e => e.Urgency).ThenBy(e => e.Entry.Source.Name, StringComparer.Ordinal).ToList();
                var later = ranked.Where(e => !e.Entry.Done).Skip(toDo).Select(e => e.Entry).ToList();
                return (Group: new CallListGroup(g.Key, calls.Select(e => e.Entry).ToList(), later), Urgency: calls.Sum(e => e.Urgency));
            })
            .OrderBy(g => g.Group.Owner == Unassigned).ThenByDescending(g => g.Urgency).Select(g => g.Group).ToList();
        return new CallList(list.AsOf, weekOf, capacity, groups);
    }

    private sealed record RankedCall(CallListEntry Entry, double Urgency);

    private static IEnumerable<RankedCall> Calls(AlertList list) =>
        list.Alerts.Where(a => CallKinds.Contains(a.Kind)).GroupBy(a => a.Source.Id).Select(g =>
        {
            var entry = Entry(g);
            return new RankedCall(entry, Urgency(entry, g));
        });

    /// <summary>The calls with their sources' practice, address, phone and fax: what the liaison needs to make the call or the visit.</summary>
    private async Task<List<RankedCall>> WithContactsAsync(List<RankedCall> calls, CancellationToken cancellationToken)
    {
        var ids = calls.Select(c => c.Entry.Source.Id).ToList();
        var contacts = await db.Sources.Where(s => ids.Contains(s.Id))
            .Select(s => new { s.Id, s.PracticeName, s.AddressLine, s.City, s.State, s.Zip, s.Phone, s.Fax })
            .ToDictionaryAsync(s => s.Id, cancellationToken);
        return [.. calls.Select(c => contacts.TryGetValue(c.Entry.Source.Id, out var s)
            ? c with { Entry = c.Entry with { Practice = s.PracticeName, Address = OneLineAddress(s.AddressLine, s.City, s.State, s.Zip), Phone = s.Phone, Fax = s.Fax } }
            : c)];
    }

    /// <summary>"12 Main St, Springfield, OR 97477": the parts there are, in postal order; null when there are none.</summary>
    public static string? OneLineAddress(string? line, string? city, string? state, string? zip)
    {
        var stateZip = string.Join(" ", new[] { state, zip }.Select(Formats.Clean).OfType<string>());
        var parts = new[] { Formats.Clean(line), Formats.Clean(city), Formats.Clean(stateZip) }.OfType<string>().ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    /// <summary>One source's call from its open alerts of the call kinds (the same figures and reasons as its row on the alerts page, <see cref="SourceAlerts"/>).</summary>
    public static CallListEntry Entry(IEnumerable<AlertView> sourceAlerts)
    {
        var row = SourceAlerts.Of(sourceAlerts);
        var kinds = row.Kinds.ToHashSet();
        var touch = row.Alerts.Select(a => a.Numbers).FirstOrDefault(n => n.LastTouchOn is not null);
        return new CallListEntry(row.Source, row.OwnerUserId, row.Owner ?? Unassigned,
            row.ReferralsAtRisk, row.ExpectedMonthly, row.RecentMonthly,
            Purpose(kinds), touch?.LastTouchOn, touch?.LastTouchMethod,
            row.Alerts.Select(a => a.Kind).ToList(), row.Reasons) { Tier = row.Tier };
    }

    /// <summary>
    /// How the list is ordered, never shown: the referrals a month at risk, plus the source's usual
    /// referrals a month × the stakes of a neglected relationship, which add up: how many cadences
    /// overdue the touch is beyond the first (capped at 3) + 0.1 when overdue at all, and 0.25 for a
    /// refer-back gap. A new referrer counts at least 0.5 so the thank-you is not lost at the bottom, and so does
    /// a new prospect's first touch.
    /// </summary>
    public static double Urgency(CallListEntry entry, IEnumerable<AlertView> alerts)
    {
        double neglect = 0;
        foreach (var a in alerts)
        {
            neglect += a.Kind switch
            {
                AlertKinds.TouchOverdue when a.Numbers is { DaysSinceLastTouch: { } days, CadenceDays: > 0 and var cadence } =>
                    Math.Min(3, Math.Max(0, (double)days / cadence - 1)) + 0.1,
                AlertKinds.ReciprocityGap => 0.25,
                _ => 0,
            };
        }
        var urgency = entry.ReferralsAtRisk + entry.ExpectedMonthly * neglect;
        // A new prospect's first touch (never touched, within its cadence) counts like a thank-you: not lost at the bottom.
        var firstTouch = alerts.Any(a => a.Kind == AlertKinds.TouchOverdue && a.Numbers is { LastTouchOn: null, DaysSinceLastTouch: { } days, CadenceDays: { } cadence } && days <= cadence);
        return entry.Kinds.Contains(AlertKinds.NewReferrer) || firstTouch ? Math.Max(urgency, 0.5) : urgency;
    }

    public static readonly IReadOnlyList<string> CsvHeaders =
        ["owner", "rank", "sourceId", "npi", "source", "referralsPerMonthAtRisk", "usualReferralsPerMonth", "recentReferralsPerMonth", "purpose", "lastTouchOn", "lastTouchMethod", "alerts", "reasons", "thisWeek", "tier",
            "practice", "address", "phone", "fax", "doneOn"];

    /// <summary>One row per call in <see cref="CsvHeaders"/> order; the calls that can wait (thisWeek = no) only when asked.</summary>
    public static IEnumerable<IReadOnlyList<string?>> Rows(CallList list, bool includeLater = false) =>
        list.Owners.SelectMany(g => (includeLater ? g.Calls.Concat(g.Later) : g.Calls).Select((c, i) => (IReadOnlyList<string?>)
        [
            g.Owner, (i + 1).ToString(CultureInfo.InvariantCulture), c.Source.Id.ToString(CultureInfo.InvariantCulture), c.Source.Npi, c.Source.Name,
            Rate(c.ReferralsAtRisk), Rate(c.ExpectedMonthly), Rate(c.RecentMonthly), c.Purpose,
            c.LastTouchOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.LastTouchMethod, string.Join(";", c.Kinds), string.Join(" ", c.Reasons),
            i < g.Calls.Count ? "yes" : "no", c.Tier,
            c.Practice, c.Address, c.Phone, c.Fax, c.DoneOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ]));

    /// <summary>Referrals a month as every door writes them: one decimal, as in the alert sentences.</summary>
    public static string Rate(double perMonth) => perMonth.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>"2.2 referrals/month at risk (usually 4.0)": the at-risk figure with its unit and what it is a part of.</summary>
    public static string AtRiskText(CallListEntry call) => $"{Rate(call.ReferralsAtRisk)} referrals/month at risk (usually {Rate(call.ExpectedMonthly)})";

    /// <summary>" Watch: probably down, not yet certain." for a watch-tier call; nothing for an alert-tier one.</summary>
    public static string TierText(CallListEntry call) => call.Tier == AlertTiers.Watch ? " " + WatchText + "." : "";

    public const string WatchText = "Watch: probably down, not yet certain";

    public static string ToCsv(CallList list, bool includeLater = false) => CsvText.Write(CsvHeaders, Rows(list, includeLater));

    /// <summary>A thank-you for a first referral; proof of value (the outcomes report) when referrals fall; otherwise a check-in.</summary>
    public static string Purpose(IReadOnlySet<string> kinds) =>
        kinds.Contains(AlertKinds.NewReferrer) ? "Thank-you"
        : kinds.Contains(AlertKinds.Declining) || kinds.Contains(AlertKinds.Lapsed) ? "Share outcomes report"
        : kinds.Contains(AlertKinds.ReciprocityGap) ? "Check-in (and look for a patient to refer back)"
        : "Check-in";

    /// <summary>"Phone: …", "Fax: …", "Done: …" lines for the calendar task, those there are.</summary>
    private static IEnumerable<string> ContactLines(CallListEntry call)
    {
        if (call.Phone is { } phone) yield return $"Phone: {phone}";
        if (call.Fax is { } fax) yield return $"Fax: {fax}";
        if (call.DoneOn is { } done) yield return $"Done: touched {done:yyyy-MM-dd}";
    }

    /// <summary>Where the call or visit happens: the practice and its address.</summary>
    public static string? Location(CallListEntry call) =>
        string.Join(", ", new[] { call.Practice, call.Address }.OfType<string>()) is { Length: > 0 } text ? text : null;

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
                    Description = string.Join("\n", call.Reasons.Prepend($"Owner: {call.Owner}. {AtRiskText(call)}.{TierText(call)}").Concat(ContactLines(call))),
                    Location = Location(call),
                    Due = new CalDateTime(due.Year, due.Month, due.Day),
                    Start = new CalDateTime(list.WeekOf.Year, list.WeekOf.Month, list.WeekOf.Day),
                });
            }
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
