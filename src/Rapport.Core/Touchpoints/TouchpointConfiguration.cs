using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;

namespace Rapport.Touchpoints;

internal sealed class TouchpointConfiguration : IEntityTypeConfiguration<Touchpoint>
{
    public void Configure(EntityTypeBuilder<Touchpoint> b)
    {
        b.Property(t => t.ExternalId).HasMaxLength(64);
        b.Property(t => t.Method).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Purpose).HasMaxLength(200);
        b.Property(t => t.Notes).HasMaxLength(4000);
        b.Property(t => t.ByName).HasMaxLength(100);
        b.Property(t => t.ByUserId).HasMaxLength(450);
        b.Property(t => t.Cost).HasPrecision(10, 2);
        b.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId);
        b.HasOne(t => t.Source).WithMany().HasForeignKey(t => t.SourceId).OnDelete(DeleteBehavior.Cascade);
        // A campaign's touches; deleting a campaign keeps its touches as everyday touches.
        b.HasOne(t => t.Campaign).WithMany().HasForeignKey(t => t.CampaignId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(t => new { t.CampaignId, t.OccurredOn, t.SourceId });
        b.HasIndex(t => new { t.OrganizationId, t.ExternalId }).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        // A source's touches by date, and its last touch and method (health snapshot) without reading rows.
        b.HasIndex(t => new { t.SourceId, t.OccurredOn, t.OrganizationId, t.Method });
        // The dashboard's touches this month by method, practice-wide or for one clinic's sources:
        // covering, so no row is read.
        b.HasIndex(t => new { t.OrganizationId, t.OccurredOn, t.Method, t.SourceId });
    }
}
