using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Rapport.Dashboard;
using Rapport.Data;
using Rapport.Touchpoints;

namespace Rapport.Health;

/// <summary>
/// Reads a <see cref="HealthSnapshot"/> without scanning the referrals (ADR 6). Whole months come
/// from the per-source monthly rollup rows the dashboard keeps current (ADR 5; refreshed first);
/// the two partial months (the current one up to the as-of date, and the one in which "the last 12
/// months" begin) from the referrals of those days; each source's first referral, last touch and
/// last refer-back from one indexed look-up per source (and the last referral, for the silence
/// test); and received dates only for the few sources
/// whose signals need the day (<see cref="HealthEvaluator.NeedsReferralDates"/>). The per-source
/// reads are index-only on SQLite: the indexes carry the organization the query filter adds.
/// The bulk reads (a row per source and month, 700,000 on a network of 20,000 sources) go through
/// <see cref="ForEachRowAsync"/>: EF writes the SQL (tenant filter included), the rows are read
/// straight off the data reader into arrays, with no entity or anonymous object per row.
/// </summary>
public sealed class HealthSnapshotReader(RapportDbContext db, DashboardRollups rollups, Common.PracticeClock clock)
{
    /// <summary>Source ids per query when reading dates: well under every engine's parameter limit.</summary>
    private const int IdsPerQuery = 500;

    public async Task<HealthSnapshot> ReadAsync(DateOnly asOf, HealthRules rules, CancellationToken cancellationToken = default)
    {
        await rollups.RefreshAsync(cancellationToken);
        // One connection for the forty-odd queries below rather than one from the pool each.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await ReadOpenAsync(asOf, rules, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<HealthSnapshot> ReadOpenAsync(DateOnly asOf, HealthRules rules, CancellationToken cancellationToken)
    {
        var axis = MonthAxis.Ending(asOf, HealthSnapshot.Months);
        var current = axis.Count - 1;
        var currentMonth = axis.Month(current);
        // "The last 12 months" begin the day after since12m, in the month 12 before the current one.
        var since12m = asOf.AddMonths(-12);
        var startMonth = axis.Month(current - 12);

        // A correlated MIN/MAX (or ORDER BY … LIMIT 1) per source is one index seek each; grouping
        // the whole tables, as before, read every referral and touch.
        var sources = await db.Sources.AsNoTracking().Where(s => s.ArchivedAt == null)
            .Select(s => new
            {
                s.Id, s.Npi, s.FirstName, s.LastName, s.Credential, s.Status, s.TouchCadenceDays, s.CreatedAt, s.OwnerUserId, s.Specialty, s.ExpectsReferBacks,
                FirstReferralOn = db.Referrals.Where(r => r.SourceId == s.Id && r.ReceivedOn <= asOf).Min(r => (DateOnly?)r.ReceivedOn),
                LastReferralOn = db.Referrals.Where(r => r.SourceId == s.Id && r.ReceivedOn <= asOf).Max(r => (DateOnly?)r.ReceivedOn),
                LastTouchOn = db.Touchpoints.Where(t => t.SourceId == s.Id && t.OccurredOn <= asOf).Max(t => (DateOnly?)t.OccurredOn),
                LastTouchMethod = db.Touchpoints.Where(t => t.SourceId == s.Id && t.OccurredOn <= asOf)
                    .OrderByDescending(t => t.OccurredOn).ThenByDescending(t => t.Id).Select(t => (TouchMethod?)t.Method).FirstOrDefault(),
                LastReferBackOn = db.ReferralsOut.Where(o => o.ToSourceId == s.Id && o.SentOn <= asOf).Max(o => (DateOnly?)o.SentOn),
            })
            .ToListAsync(cancellationToken);
        // Which sources a refer-back is possible for: the source's own setting, else its specialty's.
        var noReferBackSpecialties = HealthSettings.SpecialtyLines(
            await db.Set<HealthSettings>().AsNoTracking().Select(h => h.NoReferBackSpecialties).FirstOrDefaultAsync(cancellationToken));
        // Until a practice records refer-backs at all, a missing one says nothing about a relationship
        // (one seek of the (OrganizationId, SentOn, ToSourceId) index).
        var recordsReferBacks = await db.ReferralsOut.AnyAsync(o => o.SentOn <= asOf, cancellationToken);
        var practiceMonths = await db.ReferralMonthStats.AsNoTracking()
            .Where(s => s.ClinicId == 0 && s.Month >= axis.FirstMonth && s.Month < currentMonth)
            .GroupBy(s => s.Month)
            .Select(g => new { Month = g.Key, Received = g.Sum(s => s.Received) })
            .ToListAsync(cancellationToken);
        var currentDays = await CountDaysAsync(currentMonth, asOf, cancellationToken);
        var startDays = await CountDaysAsync(since12m.AddDays(1), startMonth.AddMonths(1).AddDays(-1), cancellationToken);
        var clinics = await db.Clinics.AsNoTracking().Where(c => c.ArchivedAt == null).OrderBy(c => c.Id)
            .Select(c => new ClinicReferrals(c.Id, c.Name, 0)).ToListAsync(cancellationToken);
        // One clinic is the whole practice: its concentration alert would repeat the practice's.
        if (clinics.Count <= 1)
        {
            clinics = [];
        }
        var byClinic = await ClinicMonthsAsync(clinics, startMonth, currentMonth, cancellationToken);

        var practice = new int[axis.Count];
        foreach (var row in practiceMonths) practice[axis.IndexOf(row.Month)] = row.Received;
        practice[current] = currentDays.Sum(d => d.Count);
        var monthly = new Dictionary<int, int[]>();
        int[] MonthlyOf(int sourceId) => monthly.TryGetValue(sourceId, out var counts) ? counts : monthly[sourceId] = new int[axis.Count];
        // A query per month (one range of the covering index each) reads twice as fast as one over
        // all of them: no date to parse per row.
        for (var i = 0; i < current; i++)
        {
            var month = axis.Month(i);
            var index = i;
            await ForEachRowAsync(db.SourceMonthStats.Where(s => s.ClinicId == 0 && s.Month == month).Select(s => new { s.SourceId, s.Received }),
                row => MonthlyOf(row.GetInt32(0))[index] = Int(row, 1), cancellationToken);
        }
        foreach (var row in currentDays) if (row.SourceId is { } id) MonthlyOf(id)[current] += row.Count;
        var startBySource = new Dictionary<int, int>();
        foreach (var row in startDays) if (row.SourceId is { } id) startBySource[id] = startBySource.GetValueOrDefault(id) + row.Count;
        foreach (var row in currentDays.Concat(startDays))
        {
            if (byClinic.Totals.ContainsKey(row.ClinicId))
            {
                byClinic.Totals[row.ClinicId] += row.Count;
                if (row.SourceId is { } id) byClinic.Add(id, row.ClinicId, row.Count);
            }
        }

        var facts = sources.Select(s =>
        {
            var counts = monthly.GetValueOrDefault(s.Id) ?? new int[axis.Count];
            var last12Months = startBySource.GetValueOrDefault(s.Id);
            for (var i = current - 11; i <= current; i++) last12Months += counts[i];
            var created = clock.DateOf(s.CreatedAt);
            return new SourceFacts
            {
                Id = s.Id, Npi = s.Npi, Name = Sources.SourceNames.Display(s.FirstName, s.LastName, s.Credential), Status = s.Status,
                TouchCadenceDays = s.TouchCadenceDays, CreatedOn = created < asOf ? created : asOf, OwnerUserId = s.OwnerUserId,
                Referrals = new ReferralHistory
                {
                    Monthly = counts, Last12Months = last12Months,
                    Last12MonthsByClinic = byClinic.BySource.GetValueOrDefault(s.Id) ?? new Dictionary<int, int>(),
                },
                FirstReferralOn = s.FirstReferralOn, LastReferralOn = s.LastReferralOn, LastTouchOn = s.LastTouchOn, LastTouchMethod = s.LastTouchMethod, LastReferBackOn = s.LastReferBackOn,
                ExpectsReferBacks = s.ExpectsReferBacks ?? HealthSettings.SpecialtyExpectsReferBacks(s.Specialty, noReferBackSpecialties),
            };
        }).ToList();

        var needDates = facts.Where(f => HealthEvaluator.NeedsReferralDates(f, axis, rules, asOf)).Select(f => f.Id).ToList();
        var dates = await DatesAsync(needDates, axis.FirstMonth, asOf, cancellationToken);
        facts = [.. facts.Select(f => dates.TryGetValue(f.Id, out var d) ? f with { Referrals = f.Referrals with { Dates = d } } : f)];
        return new HealthSnapshot(asOf, rules, axis, practice, facts, [.. clinics.Select(c => c with { Total = byClinic.Totals[c.ClinicId] })])
        {
            RecordsReferBacks = recordsReferBacks,
        };
    }

    private sealed record DayCount(int? SourceId, int ClinicId, int Count);

    /// <summary>Referrals received from <paramref name="from"/> to <paramref name="to"/> (both included), by source and clinic.</summary>
    private async Task<List<DayCount>> CountDaysAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var counts = new List<DayCount>();
        if (from > to)
        {
            return counts;
        }
        await ForEachRowAsync(db.Referrals
            .Where(r => r.ReceivedOn >= from && r.ReceivedOn <= to)
            .GroupBy(r => new { r.SourceId, r.ClinicId })
            .Select(g => new { g.Key.SourceId, g.Key.ClinicId, Count = g.Count() }),
            row => counts.Add(new DayCount(row.IsDBNull(0) ? null : row.GetInt32(0), row.GetInt32(1), Int(row, 2))), cancellationToken);
        return counts;
    }

    /// <summary>
    /// Runs <paramref name="query"/> — EF's SQL, with the tenant filter and parameters it adds — and
    /// hands each row of the data reader to <paramref name="read"/>, in the query's column order.
    /// The connection is open (<see cref="ReadAsync"/>).
    /// </summary>
    private static async Task ForEachRowAsync<T>(IQueryable<T> query, Action<DbDataReader> read, CancellationToken cancellationToken)
    {
        await using var command = query.CreateDbCommand();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            read(reader);
        }
    }

    /// <summary>A count or sum: an integer on SQLite, and on PostgreSQL an int or, uncast, a bigint.</summary>
    private static int Int(DbDataReader row, int ordinal) => row.GetFieldType(ordinal) == typeof(long) ? checked((int)row.GetInt64(ordinal)) : row.GetInt32(ordinal);

    private async Task<Dictionary<int, List<DateOnly>>> DatesAsync(List<int> sourceIds, DateOnly from, DateOnly asOf, CancellationToken cancellationToken)
    {
        var dates = sourceIds.ToDictionary(id => id, _ => new List<DateOnly>());
        foreach (var chunk in sourceIds.Chunk(IdsPerQuery))
        {
            var ids = chunk.Select(id => (int?)id).ToArray();
            await ForEachRowAsync(db.Referrals
                .Where(r => ids.Contains(r.SourceId) && r.ReceivedOn >= from && r.ReceivedOn <= asOf)
                .Select(r => new { SourceId = r.SourceId!.Value, r.ReceivedOn }),
                row => dates[row.GetInt32(0)].Add(row.GetFieldValue<DateOnly>(1)), cancellationToken);
        }
        foreach (var list in dates.Values) list.Sort();
        return dates;
    }

    private sealed class ClinicCounts
    {
        public Dictionary<int, int> Totals { get; } = [];
        public Dictionary<int, Dictionary<int, int>> BySource { get; } = [];

        public void Add(int sourceId, int clinicId, int count)
        {
            if (!BySource.TryGetValue(sourceId, out var counts)) BySource[sourceId] = counts = [];
            counts[clinicId] = counts.GetValueOrDefault(clinicId) + count;
        }
    }

    /// <summary>The clinics' referrals, in all and by source, over the whole months between the two partial ones (from the per-clinic rollup rows).</summary>
    private async Task<ClinicCounts> ClinicMonthsAsync(List<ClinicReferrals> clinics, DateOnly startMonth, DateOnly currentMonth, CancellationToken cancellationToken)
    {
        var result = new ClinicCounts();
        if (clinics.Count == 0)
        {
            return result;
        }
        // The clinics as an IN list rather than ClinicId <> 0: each is one range of the rollups' indexes.
        var clinicIds = clinics.Select(c => c.ClinicId).ToList();
        var totals = await db.ReferralMonthStats.AsNoTracking()
            .Where(s => clinicIds.Contains(s.ClinicId) && s.Month > startMonth && s.Month < currentMonth)
            .GroupBy(s => s.ClinicId)
            .Select(g => new { ClinicId = g.Key, Received = g.Sum(s => s.Received) })
            .ToDictionaryAsync(g => g.ClinicId, g => g.Received, cancellationToken);
        foreach (var id in clinicIds) result.Totals[id] = totals.GetValueOrDefault(id);
        await ForEachRowAsync(db.SourceMonthStats
            .Where(s => clinicIds.Contains(s.ClinicId) && s.Month > startMonth && s.Month < currentMonth)
            .GroupBy(s => new { s.ClinicId, s.SourceId })
            .Select(g => new { g.Key.ClinicId, g.Key.SourceId, Received = g.Sum(s => s.Received) }),
            row => result.Add(row.GetInt32(1), row.GetInt32(0), Int(row, 2)), cancellationToken);
        return result;
    }
}
