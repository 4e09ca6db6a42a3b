using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Patients;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Dashboard;

/// <summary>The practice dashboard's channel groups, in the order the chart stacks them.</summary>
public enum ChannelGroup { Physician, DirectAccess, WebSearch, FriendOrFamily, PastPatient, Event, Other }

public sealed record DashboardQuery
{
    /// <summary>Null for all clinics.</summary>
    public int? ClinicId { get; init; }
    /// <summary>Any day of the first month shown; default 23 months before this one (24 months in all).</summary>
    public DateOnly? From { get; init; }
    /// <summary>Any day of the last month shown; default this month.</summary>
    public DateOnly? To { get; init; }
}

public sealed record ChannelSeries(ChannelGroup Channel, string Label, IReadOnlyList<int> Referrals, int Total);

public sealed record TopSource(int Id, string Name, string? Npi, int Referrals, IReadOnlyList<int> Monthly);

public sealed record MethodCount(TouchMethod Method, int Touches);

/// <summary>
/// This month so far beside the same days of last month (<see cref="MonthPeriod.SameDaysOfLastMonth"/>):
/// on 2 December, 1–2 December against 1–2 November, never against the whole of November.
/// </summary>
public sealed record MonthToDate(
    DateOnly Month,
    DateOnly Through,
    DateOnly PreviousFrom,
    DateOnly PreviousThrough,
    int Referrals,
    int PreviousReferrals,
    int Touches,
    int PreviousTouches,
    int ReferBacks,
    int PreviousReferBacks);

public sealed record DashboardView(
    int? ClinicId,
    DateOnly From,
    DateOnly To,
    IReadOnlyList<DateOnly> Months,
    IReadOnlyList<ChannelSeries> Channels,
    int Received,
    int Evaluated,
    /// <summary>Evaluated ÷ received for referrals received in the range; null without referrals.</summary>
    double? ConversionRate,
    /// <summary>Median whole days from received to evaluated over the evaluated referrals received in the range.</summary>
    double? MedianDaysToEvaluation,
    IReadOnlyList<TopSource> TopSources,
    DateOnly ThisMonth,
    IReadOnlyList<MethodCount> TouchesThisMonth,
    int ReferBacksThisMonth,
    /// <summary>One per <see cref="Months"/> entry, in the same order: the month holding today is partial (to today).</summary>
    IReadOnlyList<MonthPeriod> Periods,
    MonthToDate MonthToDate)
{
    /// <summary>The index in <see cref="Months"/> of the month so far, or -1 when the range does not hold it.</summary>
    [JsonIgnore]
    public int PartialIndex => Periods.ToList().FindIndex(p => p.Partial);
}

/// <summary>
/// The practice dashboard, read from the rollup rows (refreshed first if any month is stale) plus
/// small indexed reads of this month's touches, refer-backs and referrals so far, and of the same
/// days of last month. Ranges are whole months: the rollups are monthly, and a month is what staff
/// compare. The month holding today is partial (<see cref="MonthPeriod"/>): its figures are to date,
/// and it is compared only with the same days of last month.
/// </summary>
public sealed class DashboardService(RapportDbContext db, DashboardRollups rollups, PracticeClock time, PracticeReadCache cache)
{
    public const int DefaultMonths = 24;
    public const int MaxMonths = 120;
    public const int TopSourceCount = 10;

    public static ChannelGroup GroupOf(AcquisitionChannel channel) => channel switch
    {
        AcquisitionChannel.Physician => ChannelGroup.Physician,
        AcquisitionChannel.DirectAccess => ChannelGroup.DirectAccess,
        // Found the practice online: a search engine or the practice's own website.
        AcquisitionChannel.WebSearch or AcquisitionChannel.Website => ChannelGroup.WebSearch,
        AcquisitionChannel.FriendOrFamily => ChannelGroup.FriendOrFamily,
        AcquisitionChannel.PastPatient => ChannelGroup.PastPatient,
        AcquisitionChannel.Event => ChannelGroup.Event,
        _ => ChannelGroup.Other,
    };

    public static string LabelOf(ChannelGroup group) => group switch
    {
        ChannelGroup.Physician => "Physician",
        ChannelGroup.DirectAccess => "Direct access / self",
        ChannelGroup.WebSearch => "Web search",
        ChannelGroup.FriendOrFamily => "Friend / family",
        ChannelGroup.PastPatient => "Past patient",
        ChannelGroup.Event => "Event",
        _ => "Other",
    };

    public async Task<DashboardView> GetAsync(DashboardQuery query, CancellationToken cancellationToken)
    {
        var today = time.Today();
        var thisMonth = DashboardRollups.MonthOf(today);
        var to = DashboardRollups.MonthOf(query.To ?? today);
        var from = DashboardRollups.MonthOf(query.From ?? to.AddMonths(1 - DefaultMonths));
        var problems = new Dictionary<string, string[]>();
        if (from > to)
        {
            problems["from"] = ["The first month must not be after the last."];
        }
        else if (from.AddMonths(MaxMonths) <= to)
        {
            problems["to"] = [$"Show at most {MaxMonths} months at once."];
        }
        if (query.ClinicId is { } clinicId && !await db.Clinics.AnyAsync(c => c.Id == clinicId, cancellationToken))
        {
            problems["clinicId"] = ["No such clinic."];
        }
        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        // The same for every user of the practice until its data changes or its day turns.
        var key = FormattableString.Invariant($"dashboard|{query.ClinicId}|{from:yyyy-MM}|{to:yyyy-MM}|{today:yyyy-MM-dd}");
        return await cache.GetOrComputeAsync(key, ct => ComputeAsync(query.ClinicId, today, thisMonth, from, to, ct), cancellationToken);
    }

    private async Task<DashboardView> ComputeAsync(int? clinicId, DateOnly today, DateOnly thisMonth, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await rollups.RefreshAsync(cancellationToken);
        var scope = clinicId ?? 0;
        var months = new List<DateOnly>();
        for (var month = from; month <= to; month = month.AddMonths(1))
        {
            months.Add(month);
        }
        var monthIndex = months.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);

        var referralRows = await db.ReferralMonthStats.AsNoTracking()
            .Where(s => s.ClinicId == scope && s.Month >= from && s.Month <= to)
            .Select(s => new { s.Month, s.Channel, s.Received, s.Evaluated })
            .ToListAsync(cancellationToken);
        var byGroup = Enum.GetValues<ChannelGroup>().ToDictionary(g => g, _ => new int[months.Count]);
        foreach (var row in referralRows)
        {
            var group = Enum.TryParse<AcquisitionChannel>(row.Channel, out var channel) ? GroupOf(channel) : ChannelGroup.Other;
            byGroup[group][monthIndex[row.Month]] += row.Received;
        }
        var channels = byGroup.Select(g => new ChannelSeries(g.Key, LabelOf(g.Key), g.Value, g.Value.Sum())).ToList();
        var received = referralRows.Sum(r => r.Received);
        var evaluated = referralRows.Sum(r => r.Evaluated);

        var lagRows = await db.EvaluationLagStats.AsNoTracking()
            .Where(s => s.ClinicId == scope && s.Month >= from && s.Month <= to)
            .GroupBy(s => s.LagDays)
            .Select(g => new { LagDays = g.Key, Count = g.Sum(s => s.Count) })
            .ToListAsync(cancellationToken);

        var (previousFrom, previousThrough) = MonthPeriod.SameDaysOfLastMonth(today);
        IQueryable<Touchpoints.Touchpoint> TouchesBetween(DateOnly first, DateOnly last)
        {
            var touches = db.Touchpoints.AsNoTracking().Where(t => t.OccurredOn >= first && t.OccurredOn <= last);
            // The clinic's sources as an IN list rather than a join, and the date indexes carry the
            // source: no touch or refer-back row is read. (The join read each of the month's ~6,000
            // touches and ~4,000 refer-backs from its table: most of the one-clinic page's time on the
            // benchmark network.)
            return clinicId is { } clinic ? touches.Where(t => db.Sources.Where(s => s.ClinicId == clinic).Select(s => s.Id).Contains(t.SourceId)) : touches;
        }
        IQueryable<ReferBacks.ReferralOut> ReferBacksBetween(DateOnly first, DateOnly last)
        {
            var referBacks = db.ReferralsOut.AsNoTracking().Where(r => r.SentOn >= first && r.SentOn <= last);
            return clinicId is { } clinic ? referBacks.Where(r => db.Sources.Where(s => s.ClinicId == clinic).Select(s => s.Id).Contains(r.ToSourceId)) : referBacks;
        }
        IQueryable<Referrals.Referral> ReferralsBetween(DateOnly first, DateOnly last)
        {
            var referrals = db.Referrals.AsNoTracking().Where(r => r.ReceivedOn >= first && r.ReceivedOn <= last);
            return clinicId is { } clinic ? referrals.Where(r => r.ClinicId == clinic) : referrals;
        }
        var touches = await TouchesBetween(thisMonth, today)
            .GroupBy(t => t.Method)
            .Select(g => new MethodCount(g.Key, g.Count()))
            .ToListAsync(cancellationToken);
        var referBacks = await ReferBacksBetween(thisMonth, today).CountAsync(cancellationToken);
        var monthToDate = new MonthToDate(thisMonth, today, previousFrom, previousThrough,
            await ReferralsBetween(thisMonth, today).CountAsync(cancellationToken),
            await ReferralsBetween(previousFrom, previousThrough).CountAsync(cancellationToken),
            touches.Sum(t => t.Touches),
            await TouchesBetween(previousFrom, previousThrough).CountAsync(cancellationToken),
            referBacks,
            await ReferBacksBetween(previousFrom, previousThrough).CountAsync(cancellationToken));

        return new DashboardView(clinicId, from, to.AddMonths(1).AddDays(-1), months, channels, received, evaluated,
            received == 0 ? null : (double)evaluated / received,
            Median(lagRows.Select(r => (r.LagDays, r.Count))),
            await TopSourcesAsync(scope, months, thisMonth, cancellationToken),
            thisMonth,
            [.. touches.OrderByDescending(t => t.Touches).ThenBy(t => t.Method)],
            referBacks,
            [.. months.Select(m => MonthPeriod.Of(m, today))],
            monthToDate);
    }

    /// <summary>
    /// The median of a histogram of whole days: the middle value, or the mean of the two middle
    /// values when the count is even (the usual definition, e.g. NIST/SEMATECH e-Handbook of
    /// Statistical Methods, §1.3.5.1 "Measures of Location").
    /// </summary>
    public static double? Median(IEnumerable<(int Value, int Count)> histogram)
    {
        var buckets = histogram.Where(b => b.Count > 0).OrderBy(b => b.Value).ToList();
        long total = buckets.Sum(b => (long)b.Count);
        if (total == 0)
        {
            return null;
        }
        // 1-based ranks of the middle value(s).
        var lowRank = (total + 1) / 2;
        var highRank = total / 2 + 1;
        int? low = null, high = null;
        long seen = 0;
        foreach (var (value, count) in buckets)
        {
            seen += count;
            if (low is null && seen >= lowRank) low = value;
            if (high is null && seen >= highRank) { high = value; break; }
        }
        return (low!.Value + high!.Value) / 2.0;
    }

    /// <summary>
    /// The ten sources with the most referrals over the months, exactly, without summing every
    /// source's months. Fagin's threshold algorithm (Fagin, Lotem &amp; Naor, "Optimal aggregation
    /// algorithms for middleware", PODS 2001): a source's total over the range is at most the sum of
    /// its counts in a few indexed rankings that together cover the range — a calendar year's
    /// totals where the range covers all of that year that has happened, else the rankings of the
    /// single months covered. Reading the heads of those rankings, a source not yet seen has at
    /// most the sum of the values at the heads' ends; once ten seen sources have exact totals at or
    /// above that bound, no unseen source can beat them. Referral counts are heavy-tailed, so the
    /// heads stay short (tens of rows each on the 20,000-source benchmark).
    /// </summary>
    private async Task<IReadOnlyList<TopSource>> TopSourcesAsync(int scope, List<DateOnly> months, DateOnly thisMonth, CancellationToken cancellationToken)
    {
        var from = months[0];
        var to = months[^1];
        var rankings = new List<(int? Year, DateOnly? Month)>();
        for (var year = from.Year; year <= to.Year; year++)
        {
            var covered = months.Where(m => m.Year == year).ToList();
            var missesPastMonths = Enumerable.Range(1, 12).Select(m => new DateOnly(year, m, 1)).Any(m => (m < from || m > to) && m <= thisMonth);
            // A year's total is still an upper bound when the range covers only part of it, just a looser one.
            if (!missesPastMonths || covered.Count > 6)
            {
                rankings.Add((year, null));
            }
            else
            {
                rankings.AddRange(covered.Select(m => ((int?)null, (DateOnly?)m)));
            }
        }
        var exact = new Dictionary<int, int[]>();
        var depth = 32;
        while (true)
        {
            var bound = 0;
            var exhausted = true;
            var candidates = new HashSet<int>();
            foreach (var (year, month) in rankings)
            {
                var head = year is { } y
                    ? await db.SourceYearStats.AsNoTracking()
                        .Where(s => s.ClinicId == scope && s.Year == y)
                        .OrderByDescending(s => s.Received).ThenBy(s => s.SourceId)
                        .Take(depth).Select(s => new { s.SourceId, s.Received }).ToListAsync(cancellationToken)
                    : await db.SourceMonthStats.AsNoTracking()
                        .Where(s => s.ClinicId == scope && s.Month == month!.Value)
                        .OrderByDescending(s => s.Received).ThenBy(s => s.SourceId)
                        .Take(depth).Select(s => new { s.SourceId, s.Received }).ToListAsync(cancellationToken);
                candidates.UnionWith(head.Select(h => h.SourceId));
                if (head.Count == depth)
                {
                    bound += head[^1].Received;
                    exhausted = false;
                }
            }
            var unseen = candidates.Where(id => !exact.ContainsKey(id)).ToList();
            foreach (var (sourceId, monthly) in await MonthlyAsync(scope, unseen, months, cancellationToken))
            {
                exact[sourceId] = monthly;
            }
            var ranked = exact.Where(e => e.Value.Sum() > 0).OrderByDescending(e => e.Value.Sum()).ThenBy(e => e.Key).Take(TopSourceCount).ToList();
            if (exhausted || (ranked.Count == TopSourceCount && ranked[^1].Value.Sum() >= bound))
            {
                var ids = ranked.Select(r => r.Key).ToList();
                var names = await db.Sources.AsNoTracking().Where(s => ids.Contains(s.Id))
                    .Select(s => new { s.Id, s.FirstName, s.LastName, s.Credential, s.Npi })
                    .ToDictionaryAsync(s => s.Id, cancellationToken);
                return [.. ranked.Select(r => names[r.Key] is var s
                    ? new TopSource(r.Key, SourceNames.Display(s.FirstName, s.LastName, s.Credential), s.Npi, r.Value.Sum(), r.Value)
                    : null!)];
            }
            depth *= 4;
        }
    }

    private async Task<Dictionary<int, int[]>> MonthlyAsync(int scope, List<int> sourceIds, List<DateOnly> months, CancellationToken cancellationToken)
    {
        var result = sourceIds.ToDictionary(id => id, _ => new int[months.Count]);
        var from = months[0];
        var to = months[^1];
        foreach (var chunk in sourceIds.Chunk(500))
        {
            var rows = await db.SourceMonthStats.AsNoTracking()
                .Where(s => s.ClinicId == scope && chunk.Contains(s.SourceId) && s.Month >= from && s.Month <= to)
                .Select(s => new { s.SourceId, s.Month, s.Received })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                result[row.SourceId][(row.Month.Year - from.Year) * 12 + row.Month.Month - from.Month] += row.Received;
            }
        }
        return result;
    }
}
