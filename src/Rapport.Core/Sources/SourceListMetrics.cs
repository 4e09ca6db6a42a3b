using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;
using Rapport.ReferBacks;
using Rapport.Referrals;
using Rapport.Tenancy;
using Rapport.Touchpoints;

namespace Rapport.Sources;

/// <summary>
/// One source's list metrics as of <see cref="SourceListState.AsOf"/>, stored so that sorting the
/// sources list by a metric reads an index range and stops after one page instead of computing
/// 20,000 correlated counts. The page itself still shows metrics computed live for its rows; this
/// row only decides the order. Dates are stored as day numbers with 0 for "never", because a
/// missing date sorts as "longest ago" in both directions (the smallest value) in every database.
/// </summary>
public sealed class SourceListMetric : IOrganizationOwned
{
    public int OrganizationId { get; set; }
    public int SourceId { get; set; }
    public int ActivePatients { get; set; }
    public int Referrals90d { get; set; }
    public int Referrals12m { get; set; }
    public int ReferBacks12m { get; set; }
    /// <summary><see cref="DateOnly.DayNumber"/> of the last touch, 0 for none.</summary>
    public int LastTouchDay { get; set; }
    /// <summary><see cref="DateOnly.DayNumber"/> of the last refer-back, 0 for none.</summary>
    public int LastReferBackDay { get; set; }
}

/// <summary>
/// The practice-wide bookkeeping of <see cref="SourceListMetric"/>: the day its windows were
/// computed for (a new day shifts them without any write) and the highest row ids already counted,
/// so rows added by a bulk path that leaves no marker (the CSV importer's touches, refer-backs and
/// sources) are found by id.
/// </summary>
public sealed class SourceListState : IOrganizationOwned
{
    public int OrganizationId { get; set; }
    public DateOnly AsOf { get; set; }
    public int SeenSourceId { get; set; }
    public int SeenTouchpointId { get; set; }
    public int SeenReferralOutId { get; set; }
}

/// <summary>
/// "This source's list metrics are stale" (<see cref="SourceId"/>), or "every source with a referral
/// received in this month is" (<see cref="Month"/>, left by the bulk referral paths beside the
/// dashboard's month markers). Written in the same transaction as the change.
/// </summary>
public sealed class SourceMetricsDirty : IOrganizationOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public int? SourceId { get; set; }
    public DateOnly? Month { get; set; }

    /// <summary>The sources (before and after) whose metrics a SaveChanges is about to change.</summary>
    internal static HashSet<int> SourcesChangedBy(ChangeTracker changes)
    {
        var sources = new HashSet<int>();
        void Mark<T>(string property, params string[] metricProperties) where T : class
        {
            foreach (var entry in changes.Entries<T>())
            {
                if (entry.State is EntityState.Added or EntityState.Deleted
                    || (entry.State == EntityState.Modified && metricProperties.Any(p => entry.Property(p).IsModified)))
                {
                    if (entry.State != EntityState.Added && entry.OriginalValues[property] is int before) sources.Add(before);
                    if (entry.State != EntityState.Deleted && entry.CurrentValues[property] is int after) sources.Add(after);
                }
            }
        }
        Mark<Referral>(nameof(Referral.SourceId), nameof(Referral.SourceId), nameof(Referral.ReceivedOn), nameof(Referral.Status), nameof(Referral.PatientId));
        Mark<Touchpoint>(nameof(Touchpoint.SourceId), nameof(Touchpoint.SourceId), nameof(Touchpoint.OccurredOn), nameof(Touchpoint.Method));
        Mark<ReferralOut>(nameof(ReferralOut.ToSourceId), nameof(ReferralOut.ToSourceId), nameof(ReferralOut.SentOn));
        foreach (var entry in changes.Entries<ReferralSource>().Where(e => e.State == EntityState.Added && e.Entity.Id > 0))
        {
            sources.Add(entry.Entity.Id);
        }
        return sources;
    }
}

internal sealed class SourceListMetricConfiguration : IEntityTypeConfiguration<SourceListMetric>
{
    public void Configure(EntityTypeBuilder<SourceListMetric> b)
    {
        b.ToTable("SourceListMetrics");
        b.HasKey(m => m.SourceId);
        b.Property(m => m.SourceId).ValueGeneratedNever();
        b.HasOne<ReferralSource>().WithOne().HasForeignKey<SourceListMetric>(m => m.SourceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId);
        // One index per sort and direction: the list orders by the metric, then by source id
        // ascending, so "descending" needs its own (metric DESC, id ASC) index to be a plain range.
        foreach (var metric in new[] { nameof(SourceListMetric.ActivePatients), nameof(SourceListMetric.Referrals90d), nameof(SourceListMetric.Referrals12m),
                     nameof(SourceListMetric.ReferBacks12m), nameof(SourceListMetric.LastTouchDay), nameof(SourceListMetric.LastReferBackDay) })
        {
            string[] columns = [nameof(SourceListMetric.OrganizationId), metric, nameof(SourceListMetric.SourceId)];
            b.HasIndex(columns, $"IX_SourceListMetrics_{metric}_Up");
            b.HasIndex(columns, $"IX_SourceListMetrics_{metric}_Down").IsDescending(false, true, false);
        }
    }
}

internal sealed class SourceListStateConfiguration : IEntityTypeConfiguration<SourceListState>
{
    public void Configure(EntityTypeBuilder<SourceListState> b)
    {
        b.ToTable("SourceListStates");
        b.HasKey(s => s.OrganizationId);
        b.Property(s => s.OrganizationId).ValueGeneratedNever();
        b.HasOne<Organization>().WithOne().HasForeignKey<SourceListState>(s => s.OrganizationId);
    }
}

internal sealed class SourceMetricsDirtyConfiguration : IEntityTypeConfiguration<SourceMetricsDirty>
{
    public void Configure(EntityTypeBuilder<SourceMetricsDirty> b)
    {
        b.ToTable("SourceMetricsDirty");
        b.HasIndex(m => m.OrganizationId);
        b.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId);
    }
}
