using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;

namespace Rapport.Patients;

internal sealed class PatientConfiguration : IEntityTypeConfiguration<Patient>
{
    public void Configure(EntityTypeBuilder<Patient> b)
    {
        b.Property(p => p.ExternalId).HasMaxLength(64);
        b.Property(p => p.FirstName).HasMaxLength(100);
        b.Property(p => p.LastName).HasMaxLength(100);
        b.Property(p => p.Sex).HasMaxLength(1);
        b.Property(p => p.Zip).HasMaxLength(10);
        b.Property(p => p.Payer).HasMaxLength(100);
        b.Property(p => p.Email).HasMaxLength(254);
        b.Property(p => p.Phone).HasMaxLength(32);
        b.Property(p => p.AcquisitionChannel).HasConversion<string>().HasMaxLength(20);
        b.Ignore(p => p.DisplayName);
        b.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId);
        b.HasIndex(p => new { p.OrganizationId, p.ExternalId }).IsUnique();
        b.HasIndex(p => new { p.OrganizationId, p.LastName, p.FirstName });
    }
}
