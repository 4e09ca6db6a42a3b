using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;

namespace Rapport.Sources;

internal sealed class ReferralSourceConfiguration : IEntityTypeConfiguration<ReferralSource>
{
    public void Configure(EntityTypeBuilder<ReferralSource> b)
    {
        b.ToTable("ReferralSources");
        b.Property(s => s.Npi).HasMaxLength(10);
        b.Property(s => s.FirstName).HasMaxLength(100);
        b.Property(s => s.LastName).HasMaxLength(200);
        b.Property(s => s.Credential).HasMaxLength(40);
        b.Property(s => s.TaxonomyCode).HasMaxLength(10);
        b.Property(s => s.Specialty).HasMaxLength(200);
        b.Property(s => s.PracticeName).HasMaxLength(200);
        b.Property(s => s.AddressLine).HasMaxLength(200);
        b.Property(s => s.City).HasMaxLength(100);
        b.Property(s => s.State).HasMaxLength(2);
        b.Property(s => s.Zip).HasMaxLength(10);
        b.Property(s => s.Phone).HasMaxLength(32);
        b.Property(s => s.Fax).HasMaxLength(32);
        b.Property(s => s.Email).HasMaxLength(254);
        b.Property(s => s.OwnerUserId).HasMaxLength(450);
        b.Property(s => s.Tags).HasMaxLength(500);
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.PreferredContactMethod).HasConversion<string>().HasMaxLength(16);
        // A default so rows written with an explicit column list (the demo's bulk loader) need not name it.
        b.Property(s => s.AddedOnFromReferrals).HasDefaultValue(false);
        b.Ignore(s => s.DisplayName);
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
        b.HasOne<Clinic>().WithMany().HasForeignKey(s => s.ClinicId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(s => new { s.OrganizationId, s.Npi }).IsUnique().HasFilter("\"Npi\" IS NOT NULL");
        b.HasIndex(s => new { s.OrganizationId, s.LastName, s.FirstName });
        b.HasIndex(s => new { s.OrganizationId, s.Status });
        // Covers the list's count (active sources, optionally one status) without reading the rows.
        b.HasIndex(s => new { s.OrganizationId, s.ArchivedAt, s.Status });
    }
}
