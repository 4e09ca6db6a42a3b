using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;

namespace Rapport.ReferBacks;

internal sealed class ReferralOutConfiguration : IEntityTypeConfiguration<ReferralOut>
{
    public void Configure(EntityTypeBuilder<ReferralOut> b)
    {
        b.ToTable("ReferralsOut");
        b.Property(r => r.Reason).HasMaxLength(200);
        b.Property(r => r.Notes).HasMaxLength(4000);
        b.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId);
        b.HasOne(r => r.Patient).WithMany().HasForeignKey(r => r.PatientId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(r => r.ToSource).WithMany().HasForeignKey(r => r.ToSourceId).OnDelete(DeleteBehavior.Cascade);
        // A source's refer-backs by date; its last one (health snapshot) without reading rows.
        b.HasIndex(r => new { r.ToSourceId, r.SentOn, r.OrganizationId });
        // The dashboard's refer-backs this month, practice-wide or for one clinic's sources.
        b.HasIndex(r => new { r.OrganizationId, r.SentOn, r.ToSourceId });
        b.HasIndex(r => r.PatientId);
    }
}
