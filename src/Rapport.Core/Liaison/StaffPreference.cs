using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.Liaison;

/// <summary>
/// What one staff member's pages remember about them, and what a manager sets for them: the
/// weekly touch goal and the columns they chose for the sources table. One row per user, kept
/// apart from the Identity user so the account tables stay about signing in.
/// </summary>
public sealed class StaffPreference : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public required string UserId { get; set; }
    /// <summary>Touches a week the liaison aims for (set by an admin or manager); null = no goal.</summary>
    public int? WeeklyTouchGoal { get; set; }
    /// <summary>The sources table's optional columns this user shows, comma-separated keys (<see cref="Sources.SourceColumns"/>); null = the default set.</summary>
    public string? SourceColumns { get; set; }
}

internal sealed class StaffPreferenceConfiguration : IEntityTypeConfiguration<StaffPreference>
{
    public void Configure(EntityTypeBuilder<StaffPreference> b)
    {
        b.Property(p => p.UserId).HasMaxLength(450);
        b.Property(p => p.SourceColumns).HasMaxLength(400);
        b.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId);
        b.HasIndex(p => new { p.OrganizationId, p.UserId }).IsUnique();
    }
}
