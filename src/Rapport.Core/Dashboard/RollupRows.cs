using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.Dashboard;

// The dashboard reads only these small pre-aggregated rows, never a scan of the referrals (see
// DashboardRollups for how they are kept current). Every rollup row is keyed by the month a
// referral was received, so a referral's change touches only the rows of its received month.
// ClinicId 0 holds the practice-wide figure (all clinics), so a page never sums across clinics.

/// <summary>Referrals received in a month at a clinic through one acquisition channel, and how many of them were evaluated.</summary>
public sealed class ReferralMonthStat : IOrganizationOwned
{
    public int OrganizationId { get; set; }
    /// <summary>0 for all clinics.</summary>
    public int ClinicId { get; set; }
    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; set; }
    /// <summary>An <see cref="Patients.AcquisitionChannel"/> name; a referral without one counts as Physician when it has a source, DirectAccess when not.</summary>
    public required string Channel { get; set; }
    public int Received { get; set; }
    public int Evaluated { get; set; }
}

/// <summary>A histogram of days from received to evaluated, by received month: the median comes out exact without reading referrals.</summary>
public sealed class EvaluationLagStat : IOrganizationOwned
{
    /// <summary>Longer waits are counted in this last bucket ("a year or more").</summary>
    public const int MaxLagDays = 365;

    public int OrganizationId { get; set; }
    public int ClinicId { get; set; }
    public DateOnly Month { get; set; }
    public int LagDays { get; set; }
    public int Count { get; set; }
}

/// <summary>Referrals from one source received in a month (per clinic and, under ClinicId 0, at all clinics).</summary>
public sealed class SourceMonthStat : IOrganizationOwned
{
    public int OrganizationId { get; set; }
    public int ClinicId { get; set; }
    public int SourceId { get; set; }
    public DateOnly Month { get; set; }
    public int Received { get; set; }
}

/// <summary>
/// A source's referrals in a calendar year: indexed by count so the top sources of any date range
/// can be found by reading only the head of a few years' rankings (see DashboardService.TopSourcesAsync).
/// </summary>
public sealed class SourceYearStat : IOrganizationOwned
{
    public int OrganizationId { get; set; }
    public int ClinicId { get; set; }
    public int Year { get; set; }
    public int SourceId { get; set; }
    public int Received { get; set; }
}

/// <summary>
/// "This month's rollup rows are stale": written in the same transaction as the referral change
/// that made them stale. Duplicates are harmless; the next dashboard read recomputes the month
/// and removes the markers it read.
/// </summary>
public sealed class RollupDirtyMonth : IOrganizationOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public DateOnly Month { get; set; }
}

internal sealed class ReferralMonthStatConfiguration : IEntityTypeConfiguration<ReferralMonthStat>
{
    public void Configure(EntityTypeBuilder<ReferralMonthStat> b)
    {
        b.ToTable("ReferralMonthStats");
        b.HasKey(s => new { s.OrganizationId, s.ClinicId, s.Month, s.Channel });
        b.Property(s => s.Channel).HasMaxLength(20);
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
    }
}

internal sealed class EvaluationLagStatConfiguration : IEntityTypeConfiguration<EvaluationLagStat>
{
    public void Configure(EntityTypeBuilder<EvaluationLagStat> b)
    {
        b.ToTable("EvaluationLagStats");
        b.HasKey(s => new { s.OrganizationId, s.ClinicId, s.Month, s.LagDays });
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
    }
}

internal sealed class SourceMonthStatConfiguration : IEntityTypeConfiguration<SourceMonthStat>
{
    public void Configure(EntityTypeBuilder<SourceMonthStat> b)
    {
        b.ToTable("SourceMonthStats");
        // Source first: the dashboard reads the months of a handful of sources (totals, sparklines).
        b.HasKey(s => new { s.OrganizationId, s.ClinicId, s.SourceId, s.Month });
        // Month first: a month's rows are replaced, and a year's are summed, when it is recomputed;
        // covering, because the health snapshot reads every source's count of each month. (Not the
        // ranking below: with ClinicId before Month, SQLite's planner takes a range of months at
        // ClinicId 0, which holds half the rows, for cheap, and chose it over the key for the
        // dashboard's few sources.)
        b.HasIndex(s => new { s.OrganizationId, s.Month, s.ClinicId, s.SourceId, s.Received });
        // A month's ranking, read from the top when the range covers only part of a year.
        b.HasIndex(s => new { s.OrganizationId, s.ClinicId, s.Month, s.Received });
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
    }
}

internal sealed class SourceYearStatConfiguration : IEntityTypeConfiguration<SourceYearStat>
{
    public void Configure(EntityTypeBuilder<SourceYearStat> b)
    {
        b.ToTable("SourceYearStats");
        b.HasKey(s => new { s.OrganizationId, s.ClinicId, s.Year, s.SourceId });
        // The ranking: the head of a year's list is read in descending order.
        b.HasIndex(s => new { s.OrganizationId, s.ClinicId, s.Year, s.Received });
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
    }
}

internal sealed class RollupDirtyMonthConfiguration : IEntityTypeConfiguration<RollupDirtyMonth>
{
    public void Configure(EntityTypeBuilder<RollupDirtyMonth> b)
    {
        b.ToTable("RollupDirtyMonths");
        b.HasIndex(m => m.OrganizationId);
        b.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId);
    }
}
