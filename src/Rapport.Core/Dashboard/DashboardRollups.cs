using Rapport.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Rapport.Data;
using Rapport.Referrals;

namespace Rapport.Dashboard;

/// <summary>
/// Keeps the dashboard's rollup rows current incrementally. Every path that writes referrals
/// leaves a <see cref="RollupDirtyMonth"/> marker in its own transaction (SaveChanges through
/// <see cref="MonthsChangedBy"/>, the importer's and the demo's bulk paths through
/// <see cref="MarkMonthsAsync"/>); <see cref="RefreshAsync"/> recomputes just the marked months
/// with grouped INSERT … SELECT statements and removes the markers it handled.
/// </summary>
public sealed class DashboardRollups(RapportDbContext db, PracticeClock clock)
{
    /// <summary>The referral properties the rollups are computed from.</summary>
    private static readonly string[] RolledUpProperties =
        [nameof(Referral.ReceivedOn), nameof(Referral.EvaluatedOn), nameof(Referral.ClinicId), nameof(Referral.SourceId), nameof(Referral.AcquisitionChannel)];

    public static DateOnly MonthOf(DateOnly date) => new(date.Year, date.Month, 1);

    /// <summary>The received months (before and after) of the referrals a SaveChanges is about to add, change or delete.</summary>
    internal static HashSet<DateOnly> MonthsChangedBy(ChangeTracker changes)
    {
        var months = new HashSet<DateOnly>();
        foreach (var entry in changes.Entries<Referral>())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    months.Add(MonthOf(entry.Entity.ReceivedOn));
                    break;
                case EntityState.Deleted:
                    months.Add(MonthOf(entry.OriginalValues.GetValue<DateOnly>(nameof(Referral.ReceivedOn))));
                    break;
                case EntityState.Modified when RolledUpProperties.Any(p => entry.Property(p).IsModified):
                    months.Add(MonthOf(entry.OriginalValues.GetValue<DateOnly>(nameof(Referral.ReceivedOn))));
                    months.Add(MonthOf(entry.Entity.ReceivedOn));
                    break;
            }
        }
        return months;
    }

    /// <summary>Marks months stale from a bulk path, on the context's connection and transaction, without change tracking or audit rows.</summary>
    internal static async Task MarkMonthsAsync(RapportDbContext db, IEnumerable<DateOnly> dates, DateTime now, CancellationToken cancellationToken)
    {
        var months = dates.Select(MonthOf).Distinct().ToList();
        await Imports.BulkInsert.InsertAsync(db, months.Select(month => (object)new RollupDirtyMonth { Month = month }).ToList(), now, cancellationToken);
        // The sources list's metric ranking is stale for the same months.
        await Sources.SourceListRanking.MarkMonthsAsync(db, months, now, cancellationToken);
    }

    /// <summary>Marks every month from the organization's first referral to its last, e.g. after a load that bypassed the markers.</summary>
    public async Task MarkAllMonthsAsync(CancellationToken cancellationToken)
    {
        var first = await db.Referrals.MinAsync(r => (DateOnly?)r.ReceivedOn, cancellationToken);
        var last = await db.Referrals.MaxAsync(r => (DateOnly?)r.ReceivedOn, cancellationToken);
        if (first is null || last is null)
        {
            return;
        }
        var months = new List<DateOnly>();
        for (var month = MonthOf(first.Value); month <= last.Value; month = month.AddMonths(1))
        {
            months.Add(month);
        }
        await MarkMonthsAsync(db, months, clock.UtcNow, cancellationToken);
    }

    /// <summary>
    /// Recomputes the current organization's stale months. Cheap when nothing is stale (one indexed
    /// look-up). Two requests refreshing at once are serialized: SQLite transactions here begin
    /// IMMEDIATE (one writer), and on PostgreSQL a transaction-scoped advisory lock per organization.
    /// Only markers read inside the lock are removed, so a change committed meanwhile stays marked.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!await db.RollupDirtyMonths.AnyAsync(cancellationToken))
        {
            // Referrals that predate the rollup tables (a database upgraded from before them) were
            // never marked: build everything once.
            if (await db.ReferralMonthStats.AnyAsync(cancellationToken) || !await db.Referrals.AnyAsync(cancellationToken))
            {
                return;
            }
            await MarkAllMonthsAsync(cancellationToken);
        }
        var organizationId = db.Organization.RequiredId;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7041, {0})", [organizationId], cancellationToken);
        }
        var markers = await db.RollupDirtyMonths.Select(m => new { m.Id, m.Month }).ToListAsync(cancellationToken);
        if (markers.Count == 0)
        {
            return;
        }
        var months = markers.Select(m => MonthOf(m.Month)).Distinct().Order().ToList();
        foreach (var month in months)
        {
            await RecomputeMonthAsync(organizationId, month, cancellationToken);
        }
        foreach (var year in months.Select(m => m.Year).Distinct())
        {
            await RecomputeYearAsync(organizationId, year, cancellationToken);
        }
        foreach (var ids in markers.Select(m => m.Id).Chunk(1000))
        {
            await db.RollupDirtyMonths.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    // The statements below are raw SQL because EF has no INSERT … SELECT; the quoted identifiers
    // and parameters read the same on SQLite and PostgreSQL. Each one names the current
    // organization explicitly (raw SQL does not get the global query filter).

    private async Task RecomputeMonthAsync(int organizationId, DateOnly month, CancellationToken cancellationToken)
    {
        object[] args = [organizationId, month, month.AddMonths(1)];
        await db.ReferralMonthStats.Where(s => s.Month == month).ExecuteDeleteAsync(cancellationToken);
        await db.EvaluationLagStats.Where(s => s.Month == month).ExecuteDeleteAsync(cancellationToken);
        await db.SourceMonthStats.Where(s => s.Month == month).ExecuteDeleteAsync(cancellationToken);
        const string inMonth = """ FROM "Referrals" WHERE "OrganizationId" = {0} AND "ReceivedOn" >= {1} AND "ReceivedOn" < {2} """;
        const string channel = """COALESCE("AcquisitionChannel", CASE WHEN "SourceId" IS NULL THEN 'DirectAccess' ELSE 'Physician' END)""";
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "ReferralMonthStats" ("OrganizationId", "ClinicId", "Month", "Channel", "Received", "Evaluated")
            SELECT {"{0}"}, "ClinicId", {"{1}"}, {channel}, COUNT(*), SUM(CASE WHEN "EvaluatedOn" IS NOT NULL THEN 1 ELSE 0 END)
            {inMonth} GROUP BY "ClinicId", {channel}
            """, args, cancellationToken);
        // Whole days between two dates: julianday() in SQLite, date subtraction in PostgreSQL.
        var lag = !db.Database.IsSqlite()
            ? """("EvaluatedOn" - "ReceivedOn")"""
            : """CAST(julianday("EvaluatedOn") - julianday("ReceivedOn") AS INTEGER)""";
        var cappedLag = $"CASE WHEN {lag} < 0 THEN 0 WHEN {lag} > {EvaluationLagStat.MaxLagDays} THEN {EvaluationLagStat.MaxLagDays} ELSE {lag} END";
        // Built from the constants above only (no input), so composing the text is safe.
        var lagSql = $"""
            INSERT INTO "EvaluationLagStats" ("OrganizationId", "ClinicId", "Month", "LagDays", "Count")
            SELECT {"{0}"}, "ClinicId", {"{1}"}, {cappedLag}, COUNT(*)
            {inMonth} AND "EvaluatedOn" IS NOT NULL GROUP BY "ClinicId", {cappedLag}
            """;
        await db.Database.ExecuteSqlRawAsync(lagSql, args, cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "SourceMonthStats" ("OrganizationId", "ClinicId", "SourceId", "Month", "Received")
            SELECT {"{0}"}, "ClinicId", "SourceId", {"{1}"}, COUNT(*)
            {inMonth} AND "SourceId" IS NOT NULL GROUP BY "ClinicId", "SourceId"
            """, args, cancellationToken);

        // The all-clinics rows (ClinicId 0) from the per-clinic rows just written.
        const string perClinic = """ WHERE "OrganizationId" = {0} AND "Month" = {1} AND "ClinicId" <> 0 """;
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "ReferralMonthStats" ("OrganizationId", "ClinicId", "Month", "Channel", "Received", "Evaluated")
            SELECT {"{0}"}, 0, {"{1}"}, "Channel", SUM("Received"), SUM("Evaluated") FROM "ReferralMonthStats" {perClinic} GROUP BY "Channel"
            """, args, cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "EvaluationLagStats" ("OrganizationId", "ClinicId", "Month", "LagDays", "Count")
            SELECT {"{0}"}, 0, {"{1}"}, "LagDays", SUM("Count") FROM "EvaluationLagStats" {perClinic} GROUP BY "LagDays"
            """, args, cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "SourceMonthStats" ("OrganizationId", "ClinicId", "SourceId", "Month", "Received")
            SELECT {"{0}"}, 0, "SourceId", {"{1}"}, SUM("Received") FROM "SourceMonthStats" {perClinic} GROUP BY "SourceId"
            """, args, cancellationToken);
    }

    private async Task RecomputeYearAsync(int organizationId, int year, CancellationToken cancellationToken)
    {
        await db.SourceYearStats.Where(s => s.Year == year).ExecuteDeleteAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "SourceYearStats" ("OrganizationId", "ClinicId", "Year", "SourceId", "Received")
            SELECT {0}, "ClinicId", {1}, "SourceId", SUM("Received") FROM "SourceMonthStats"
            WHERE "OrganizationId" = {0} AND "Month" >= {2} AND "Month" < {3} GROUP BY "ClinicId", "SourceId"
            """, [organizationId, year, new DateOnly(year, 1, 1), new DateOnly(year + 1, 1, 1)], cancellationToken);
    }
}
