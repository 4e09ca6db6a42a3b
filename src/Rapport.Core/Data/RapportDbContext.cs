using System.Reflection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Rapport.ApiKeys;
using Rapport.Audit;
using Rapport.Dashboard;
using Rapport.Organizations;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tenancy;
using Rapport.Touchpoints;
using Rapport.Users;

namespace Rapport.Data;

public sealed class RapportDbContext(DbContextOptions<RapportDbContext> options, CurrentOrganization organization, TimeProvider time)
    : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Clinic> Clinics => Set<Clinic>();
    public DbSet<ReferralSource> Sources => Set<ReferralSource>();
    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<Touchpoint> Touchpoints => Set<Touchpoint>();
    public DbSet<Campaigns.Campaign> Campaigns => Set<Campaigns.Campaign>();
    public DbSet<ReferralOut> ReferralsOut => Set<ReferralOut>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ReferralMonthStat> ReferralMonthStats => Set<ReferralMonthStat>();
    public DbSet<EvaluationLagStat> EvaluationLagStats => Set<EvaluationLagStat>();
    public DbSet<SourceMonthStat> SourceMonthStats => Set<SourceMonthStat>();
    public DbSet<SourceYearStat> SourceYearStats => Set<SourceYearStat>();
    public DbSet<RollupDirtyMonth> RollupDirtyMonths => Set<RollupDirtyMonth>();
    /// <summary>Named leases that let one node at a time run a job every node may run (the weekly digest).</summary>
    public DbSet<Tenancy.JobLease> JobLeases => Set<Tenancy.JobLease>();
    public DbSet<Common.PracticeDataVersion> PracticeDataVersions => Set<Common.PracticeDataVersion>();
    public DbSet<SourceListMetric> SourceListMetrics => Set<SourceListMetric>();
    public DbSet<SourceListState> SourceListStates => Set<SourceListState>();
    public DbSet<SourceMetricsDirty> SourceMetricsDirty => Set<SourceMetricsDirty>();
    /// <summary>The public NPI registry: shared by every organization, so no tenant filter.</summary>
    public DbSet<Registry.RegistryProvider> RegistryProviders => Set<Registry.RegistryProvider>();
    /// <summary>`rapport import nppes` runs with their checkpoints and first problems: registry bookkeeping, not tenant-owned.</summary>
    public DbSet<Registry.Nppes.NppesImportRun> NppesImportRuns => Set<Registry.Nppes.NppesImportRun>();
    public DbSet<Registry.Nppes.NppesImportProblem> NppesImportProblems => Set<Registry.Nppes.NppesImportProblem>();

    /// <summary>Read by the global query filters; EF evaluates it per query, per context instance.</summary>
    internal int? CurrentOrganizationId => organization.Id;

    public CurrentOrganization Organization => organization;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(RapportDbContext).Assembly);
        builder.Entity<AppUser>().HasIndex(u => u.OrganizationId);
        builder.Entity<AppUser>().Property(u => u.DisplayName).HasMaxLength(200);
        builder.Entity<AppUser>().Property(u => u.Credentials).HasMaxLength(100);

        // The one place tenant isolation is enforced for reads: every organization-owned entity
        // gets a filter on the current organization. With no organization set, nothing matches.
        var applyFilter = typeof(RapportDbContext).GetMethod(nameof(ApplyOrganizationFilter), BindingFlags.NonPublic | BindingFlags.Instance)!;
        foreach (var entity in builder.Model.GetEntityTypes().Where(e => typeof(IOrganizationOwned).IsAssignableFrom(e.ClrType)))
        {
            applyFilter.MakeGenericMethod(entity.ClrType).Invoke(this, [builder]);
        }
    }

    private void ApplyOrganizationFilter<T>(ModelBuilder builder) where T : class, IOrganizationOwned =>
        builder.Entity<T>().HasQueryFilter(e => e.OrganizationId == CurrentOrganizationId);

    /// <summary>How many times this context raised its practice's data version (see PracticeReadCache).</summary>
    internal int DataWrites { get; private set; }

    internal RapportDbContext NoteDataWrite()
    {
        DataWrites++;
        return this;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var changedPractice = PrepareChanges();
        try
        {
            var written = base.SaveChanges(acceptAllChangesOnSuccess);
            if (changedPractice is { } organizationId)
            {
                Common.PracticeDataVersions.Bump(this, organizationId);
            }
            return written;
        }
        catch (DbUpdateException e) when (UniqueConflicts.Translate(this, e) is { } conflict)
        {
            throw conflict;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var changedPractice = PrepareChanges();
        try
        {
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (changedPractice is { } organizationId)
            {
                // After the write (or inside the caller's transaction): see PracticeReadCache for why that order is safe.
                await Common.PracticeDataVersions.BumpAsync(this, organizationId, cancellationToken);
            }
            return written;
        }
        catch (DbUpdateException e) when (UniqueConflicts.Translate(this, e) is { } conflict)
        {
            throw conflict;
        }
    }

    /// <summary>
    /// The write side of tenant isolation: new rows take the current organization, and a row of
    /// another organization can never be changed or deleted through this context. Every change to
    /// an organization-owned row also leaves an audit event. Returns the organization whose data
    /// changed (its data version is raised after the write), or null when only bookkeeping changed.
    /// </summary>
    private int? PrepareChanges()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var audits = new List<AuditEvent>();
        int? changedPractice = null;
        foreach (var entry in ChangeTracker.Entries<IOrganizationOwned>().ToList())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached || entry.Entity is AuditEvent)
            {
                continue;
            }
            var current = organization.RequiredId;
            if (entry.State == EntityState.Added && entry.Entity.OrganizationId == 0)
            {
                entry.Entity.OrganizationId = current;
            }
            var originalOrganization = entry.State == EntityState.Added
                ? entry.Entity.OrganizationId
                : entry.OriginalValues.GetValue<int>(nameof(IOrganizationOwned.OrganizationId));
            if (entry.Entity.OrganizationId != current || originalOrganization != current)
            {
                throw new InvalidOperationException($"A {entry.Metadata.ClrType.Name} of another organization cannot be written.");
            }
            Stamp(entry.Entity, entry.State, now);
            // An API key's "last used" stamp changes on every API request; it is no data anyone reads a figure from.
            if (entry.Entity is not ApiKey)
            {
                changedPractice = current;
                audits.Add(new AuditEvent
                {
                    OrganizationId = current,
                    At = now,
                    Actor = organization.Actor,
                    Action = entry.State.ToString(),
                    EntityType = entry.Metadata.ClrType.Name,
                    EntityId = entry.State == EntityState.Added ? null : entry.Property("Id").CurrentValue?.ToString(),
                });
            }
        }
        // The practice's own settings and its staff (names shown as owners) are read by cached views too.
        changedPractice ??= ChangeTracker.Entries<Organizations.Organization>().Where(e => e.State is EntityState.Modified).Select(e => (int?)e.Entity.Id)
            .Concat(ChangeTracker.Entries<Users.AppUser>().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
                .Select(e => (int?)e.Entity.OrganizationId))
            .FirstOrDefault(id => id > 0);
        // After the stamps; UTC's date, the rule allowing a day beyond a year ahead for practices east of UTC.
        WriteRules.Check(ChangeTracker, DateOnly.FromDateTime(now));
        AuditEvents.AddRange(audits);
        // In the same transaction as the referral changes: the dashboard's rollups of these months are stale.
        if (organization.Id is { } organizationId)
        {
            RollupDirtyMonths.AddRange(DashboardRollups.MonthsChangedBy(ChangeTracker).Select(month => new RollupDirtyMonth { OrganizationId = organizationId, Month = month }));
            SourceMetricsDirty.AddRange(Rapport.Sources.SourceMetricsDirty.SourcesChangedBy(ChangeTracker).Select(id => new SourceMetricsDirty { OrganizationId = organizationId, SourceId = id }));
        }
        return changedPractice;
    }

    /// <summary>Creation/update stamps and derived columns; also used by the CSV importer's bulk insert.</summary>
    internal static void Stamp(object entity, EntityState state, DateTime now)
    {
        switch (entity)
        {
            case ReferralSource s:
                if (state == EntityState.Added && s.CreatedAt == default) s.CreatedAt = now;
                s.UpdatedAt = now;
                break;
            case Campaigns.Campaign c:
                if (state == EntityState.Added && c.CreatedAt == default) c.CreatedAt = now;
                c.UpdatedAt = now;
                break;
            case Referral r:
                if (state == EntityState.Added && r.CreatedAt == default) r.CreatedAt = now;
                r.UpdatedAt = now;
                r.Status = ReferralTimeline.StatusOf(r.ScheduledOn, r.EvaluatedOn, r.DischargedOn, r.LostOn);
                break;
            case Patient p when state == EntityState.Added && p.CreatedAt == default:
                p.CreatedAt = now;
                break;
            case Touchpoint t when state == EntityState.Added && t.CreatedAt == default:
                t.CreatedAt = now;
                break;
            case ReferralOut o when state == EntityState.Added && o.CreatedAt == default:
                o.CreatedAt = now;
                break;
        }
    }
}
