using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Sources;

/// <summary>
/// Keeps <see cref="SourceListMetric"/> rows current for the sources list's metric sorts. Writes
/// leave <see cref="SourceMetricsDirty"/> markers in their own transaction (SaveChanges for every
/// referral, touch and refer-back change; the bulk referral paths per month, beside the dashboard's
/// markers); rows a bulk path adds without a marker are found by id above the ids already counted.
/// A new practice day recomputes everything, because the 90-day and 12-month windows moved.
/// The formulas are the ones <see cref="SourceQueries"/> shows, in SQL, so the order always agrees
/// with the numbers on the page.
/// </summary>
public sealed class SourceListRanking(RapportDbContext db, PracticeClock clock)
{
    /// <summary>Above this many stale sources one grouped pass over everything is cheaper than per-source statements.</summary>
    private const int RecomputeAllAbove = 2_000;

    /// <summary>Brings the rows up to date for the practice's today. Cheap when nothing changed: one query.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var organizationId = db.Organization.RequiredId;
        var today = clock.Today();
        if (await IsCurrentAsync(organizationId, today, cancellationToken))
        {
            return;
        }
        // Serialized like the dashboard's rollups: SQLite has one writer; PostgreSQL takes a
        // transaction-scoped advisory lock per organization. Only markers read inside it are removed.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7042, {0})", [organizationId], cancellationToken);
        }
        if (await IsCurrentAsync(organizationId, today, cancellationToken))
        {
            return;
        }
        var state = await db.SourceListStates.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        var markers = await db.SourceMetricsDirty.AsNoTracking().Select(m => new { m.Id, m.SourceId, m.Month }).ToListAsync(cancellationToken);
        var seen = await HighestIdsAsync(cancellationToken);

        HashSet<int>? stale = null;
        if (state is not null && state.AsOf == today)
        {
            stale = [.. markers.Where(m => m.SourceId is not null).Select(m => m.SourceId!.Value)];
            foreach (var month in markers.Where(m => m.Month is not null).Select(m => m.Month!.Value).Distinct())
            {
                var next = month.AddMonths(1);
                stale.UnionWith(await db.Referrals.Where(r => r.ReceivedOn >= month && r.ReceivedOn < next && r.SourceId != null)
                    .Select(r => r.SourceId!.Value).Distinct().ToListAsync(cancellationToken));
            }
            stale.UnionWith(await db.Sources.Where(s => s.Id > state.SeenSourceId).Select(s => s.Id).ToListAsync(cancellationToken));
            stale.UnionWith(await db.Touchpoints.Where(t => t.Id > state.SeenTouchpointId).Select(t => t.SourceId).Distinct().ToListAsync(cancellationToken));
            stale.UnionWith(await db.ReferralsOut.Where(o => o.Id > state.SeenReferralOutId).Select(o => o.ToSourceId).Distinct().ToListAsync(cancellationToken));
            if (stale.Count > RecomputeAllAbove)
            {
                stale = null;
            }
        }

        if (stale is null)
        {
            await db.SourceListMetrics.ExecuteDeleteAsync(cancellationToken);
            await InsertAsync(organizationId, today, null, cancellationToken);
        }
        else
        {
            foreach (var chunk in stale.Order().Chunk(500))
            {
                await db.SourceListMetrics.Where(m => chunk.Contains(m.SourceId)).ExecuteDeleteAsync(cancellationToken);
                await InsertAsync(organizationId, today, chunk, cancellationToken);
            }
        }

        if (state is null)
        {
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "SourceListStates" ("OrganizationId", "AsOf", "SeenSourceId", "SeenTouchpointId", "SeenReferralOutId") VALUES ({0}, {1}, {2}, {3}, {4})
                """, [organizationId, today, seen.Sources, seen.Touchpoints, seen.ReferralsOut], cancellationToken);
        }
        else
        {
            await db.SourceListStates.ExecuteUpdateAsync(s => s
                .SetProperty(x => x.AsOf, today)
                .SetProperty(x => x.SeenSourceId, seen.Sources)
                .SetProperty(x => x.SeenTouchpointId, seen.Touchpoints)
                .SetProperty(x => x.SeenReferralOutId, seen.ReferralsOut), cancellationToken);
        }
        foreach (var ids in markers.Select(m => m.Id).Chunk(1000))
        {
            await db.SourceMetricsDirty.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Marks months stale from a bulk referral path (see <see cref="Dashboard.DashboardRollups.MarkMonthsAsync"/>).</summary>
    internal static Task MarkMonthsAsync(RapportDbContext db, IEnumerable<DateOnly> months, DateTime now, CancellationToken cancellationToken) =>
        Imports.BulkInsert.InsertAsync(db, months.Distinct().Select(month => (object)new SourceMetricsDirty { Month = month }).ToList(), now, cancellationToken);

    // Raw SQL below: EF has no INSERT … SELECT. It names the organization explicitly (raw SQL does
    // not get the global query filter) and reads the same on SQLite and PostgreSQL.

    private Task<bool> IsCurrentAsync(int organizationId, DateOnly today, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<bool>("""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM "SourceListStates" s WHERE s."OrganizationId" = {0} AND s."AsOf" = {1}
                AND s."SeenSourceId" >= COALESCE((SELECT MAX("Id") FROM "ReferralSources"), 0)
                AND s."SeenTouchpointId" >= COALESCE((SELECT MAX("Id") FROM "Touchpoints"), 0)
                AND s."SeenReferralOutId" >= COALESCE((SELECT MAX("Id") FROM "ReferralsOut"), 0))
              AND NOT EXISTS (SELECT 1 FROM "SourceMetricsDirty" d WHERE d."OrganizationId" = {0}) THEN TRUE ELSE FALSE END AS "Value"
            """, organizationId, today).SingleAsync(cancellationToken);

    private async Task<(int Sources, int Touchpoints, int ReferralsOut)> HighestIdsAsync(CancellationToken cancellationToken) => (
        await db.Sources.IgnoreQueryFilters().MaxAsync(s => (int?)s.Id, cancellationToken) ?? 0,
        await db.Touchpoints.IgnoreQueryFilters().MaxAsync(t => (int?)t.Id, cancellationToken) ?? 0,
        await db.ReferralsOut.IgnoreQueryFilters().MaxAsync(o => (int?)o.Id, cancellationToken) ?? 0);

    private Task InsertAsync(int organizationId, DateOnly today, int[]? sourceIds, CancellationToken cancellationToken)
    {
        // Whole days since 0001-01-01 (DateOnly.DayNumber): julianday() in SQLite, date subtraction in PostgreSQL.
        static string DayNumber(bool sqlite, string date) => sqlite
            ? $"CAST(julianday({date}) - julianday('0001-01-01') AS INTEGER)"
            : $"({date} - DATE '0001-01-01')";
        var sqlite = db.Database.IsSqlite();
        // Source ids are integers formatted here, never input text.
        var only = sourceIds is null ? "" : $""" AND s."Id" IN ({string.Join(",", sourceIds.Select(id => id.ToString(CultureInfo.InvariantCulture)))})""";
        var sql = $"""
            INSERT INTO "SourceListMetrics" ("OrganizationId", "SourceId", "ActivePatients", "Referrals90d", "Referrals12m", "ReferBacks12m", "LastTouchDay", "LastReferBackDay")
            SELECT s."OrganizationId", s."Id",
              (SELECT COUNT(DISTINCT r."PatientId") FROM "Referrals" r WHERE r."OrganizationId" = {"{0}"} AND r."SourceId" = s."Id" AND r."Status" = 'Evaluated'),
              (SELECT COUNT(*) FROM "Referrals" r WHERE r."OrganizationId" = {"{0}"} AND r."SourceId" = s."Id" AND r."ReceivedOn" > {"{1}"}),
              (SELECT COUNT(*) FROM "Referrals" r WHERE r."OrganizationId" = {"{0}"} AND r."SourceId" = s."Id" AND r."ReceivedOn" > {"{2}"}),
              (SELECT COUNT(*) FROM "ReferralsOut" o WHERE o."OrganizationId" = {"{0}"} AND o."ToSourceId" = s."Id" AND o."SentOn" > {"{2}"}),
              COALESCE((SELECT {DayNumber(sqlite, """MAX(t."OccurredOn")""")} FROM "Touchpoints" t WHERE t."OrganizationId" = {"{0}"} AND t."SourceId" = s."Id"), 0),
              COALESCE((SELECT {DayNumber(sqlite, """MAX(o."SentOn")""")} FROM "ReferralsOut" o WHERE o."OrganizationId" = {"{0}"} AND o."ToSourceId" = s."Id"), 0)
            FROM "ReferralSources" s WHERE s."OrganizationId" = {"{0}"}{only}
            """;
        return db.Database.ExecuteSqlRawAsync(sql, [organizationId, today.AddDays(-90), today.AddMonths(-12)], cancellationToken);
    }
}
