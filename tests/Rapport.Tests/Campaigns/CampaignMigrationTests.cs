using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rapport.Data;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Campaigns;

/// <summary>
/// Touches named their campaign in free text before campaigns were records: upgrading a database keeps every such
/// name, as one campaign per practice and name (ignoring case and spaces), and links the touches to it.
/// </summary>
public sealed class CampaignMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Free_text_touch_campaigns_become_campaign_records(string kind)
    {
        await using var database = await TestDatabases.CreateAsync(kind);
        var builder = new DbContextOptionsBuilder<RapportDbContext>();
        if (kind == TestDatabases.Sqlite) builder.UseSqlite(database.ConnectionString, o => o.MigrationsAssembly(DatabaseSettings.SqliteMigrations));
        else builder.UseNpgsql(database.ConnectionString, o => o.MigrationsAssembly(DatabaseSettings.PostgresMigrations));
        await using var db = new RapportDbContext(builder.Options, new Rapport.Tenancy.CurrentOrganization(), new FixedTime());
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();
        var campaigns = migrations.Single(m => m.EndsWith("_Campaigns", StringComparison.Ordinal));
        await migrator.MigrateAsync(migrations[migrations.IndexOf(campaigns) - 1], Ct);

        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "Organizations" ("Id", "Slug", "Name", "CreatedAt") VALUES (1, 'a', 'A', '2026-01-01'), (2, 'b', 'B', '2026-01-01');
            INSERT INTO "ReferralSources" ("Id", "OrganizationId", "LastName", "Status", "CreatedAt", "UpdatedAt", "AddedOnFromReferrals")
            VALUES (1, 1, 'Alder', 'Active', '2026-01-01', '2026-01-01', FALSE), (2, 1, 'Birch', 'Active', '2026-01-01', '2026-01-01', FALSE),
                   (3, 2, 'Cedar', 'Active', '2026-01-01', '2026-01-01', FALSE);
            INSERT INTO "Touchpoints" ("OrganizationId", "SourceId", "OccurredOn", "Method", "Campaign", "CreatedAt") VALUES
                (1, 1, '2025-04-01', 'Event', 'Spring Health Fair', '2026-01-01'),
                (1, 2, '2025-04-03', 'Event', ' spring health fair ', '2026-01-01'),
                (1, 2, '2025-05-06', 'Email', 'May newsletter', '2026-01-01'),
                (2, 3, '2025-05-06', 'Email', 'May newsletter', '2026-01-01'),
                (1, 1, '2025-06-01', 'Phone', NULL, '2026-01-01'),
                (1, 1, '2025-06-02', 'Phone', '  ', '2026-01-01');
            """, Ct);
        await migrator.MigrateAsync(cancellationToken: Ct);

        var rows = await db.Campaigns.IgnoreQueryFilters().OrderBy(c => c.OrganizationId).ThenBy(c => c.Name)
            .Select(c => new { c.OrganizationId, c.Name, c.Kind, c.StartsOn, c.EndsOn }).ToListAsync(Ct);
        Assert.Equal(3, rows.Count);
        Assert.Equal((1, "May newsletter", Rapport.Campaigns.CampaignKind.Newsletter), (rows[0].OrganizationId, rows[0].Name, rows[0].Kind));
        Assert.Equal((1, "Spring Health Fair", Rapport.Campaigns.CampaignKind.HealthFair), (rows[1].OrganizationId, rows[1].Name, rows[1].Kind));
        Assert.Equal((new DateOnly(2025, 4, 1), (DateOnly?)new DateOnly(2025, 4, 3)), (rows[1].StartsOn, rows[1].EndsOn));
        Assert.Equal((2, "May newsletter"), (rows[2].OrganizationId, rows[2].Name));

        var touches = await db.Touchpoints.IgnoreQueryFilters().OrderBy(t => t.Id)
            .Select(t => new { t.OrganizationId, Campaign = t.Campaign == null ? null : t.Campaign.Name, CampaignOrganization = (int?)t.Campaign!.OrganizationId })
            .ToListAsync(Ct);
        Assert.Equal(["Spring Health Fair", "Spring Health Fair", "May newsletter", "May newsletter", null, null], touches.Select(t => t.Campaign));
        // Each practice's touches point at its own campaign, never at another practice's of the same name.
        Assert.All(touches.Where(t => t.Campaign is not null), t => Assert.Equal(t.OrganizationId, t.CampaignOrganization));
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => TestClock.Now;
    }
}
