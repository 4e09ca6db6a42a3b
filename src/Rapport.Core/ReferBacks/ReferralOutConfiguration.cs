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
        b.HasIndex(r => new { r.ToSourceId, r.SentOn });
        // The dashboard's refer-backs this month, practice-wide.
        b.HasIndex(r => new { r.OrganizationId, r.SentOn });
        b.HasIndex(r => r.PatientId);
    }
}
