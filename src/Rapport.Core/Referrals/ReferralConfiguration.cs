using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;

namespace Rapport.Referrals;

internal sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>
{
    public void Configure(EntityTypeBuilder<Referral> b)
    {
        b.Property(r => r.ExternalId).HasMaxLength(64);
        b.Property(r => r.Therapist).HasMaxLength(100);
        b.Property(r => r.LostReason).HasMaxLength(200);
        b.Property(r => r.DiagnosisCodes).HasMaxLength(200);
        b.Property(r => r.BodyRegion).HasMaxLength(40);
        b.Property(r => r.Procedure).HasMaxLength(100);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.PayerCategory).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.AcquisitionChannel).HasConversion<string>().HasMaxLength(20);
        b.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId);
        b.HasOne(r => r.Patient).WithMany().HasForeignKey(r => r.PatientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(r => r.Source).WithMany().HasForeignKey(r => r.SourceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(r => r.Campaign).WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(r => r.CampaignId);
        b.HasOne(r => r.Clinic).WithMany().HasForeignKey(r => r.ClinicId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.OrganizationId, r.ExternalId }).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        // Per-source windows (90 days, 12 months, 24-month chart, the health snapshot's first
        // referral and dates). The organization filter every query carries is in the index, so a
        // per-source look-up reads no table row.
        b.HasIndex(r => new { r.SourceId, r.ReceivedOn, r.OrganizationId });
        b.HasIndex(r => new { r.SourceId, r.Status });
        // Practice-wide monthly volume and date-range lists; covering for the health snapshot's
        // counts of a few days by source and clinic.
        b.HasIndex(r => new { r.OrganizationId, r.ReceivedOn, r.SourceId, r.ClinicId });
        b.HasIndex(r => r.PatientId);
        b.HasIndex(r => r.ClinicId);
    }
}
