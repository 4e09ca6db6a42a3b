using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rapport.Organizations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> b)
    {
        b.Property(o => o.Slug).HasMaxLength(64);
        b.Property(o => o.Name).HasMaxLength(200);
        b.Property(o => o.TimeZoneId).HasMaxLength(64).HasDefaultValue("UTC");
        b.HasIndex(o => o.Slug).IsUnique();
    }
}

internal sealed class ClinicConfiguration : IEntityTypeConfiguration<Clinic>
{
    public void Configure(EntityTypeBuilder<Clinic> b)
    {
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.AddressLine).HasMaxLength(200);
        b.Property(c => c.City).HasMaxLength(100);
        b.Property(c => c.State).HasMaxLength(2);
        b.Property(c => c.Zip).HasMaxLength(10);
        b.Property(c => c.Phone).HasMaxLength(32);
        b.Property(c => c.Fax).HasMaxLength(32);
        b.Property(c => c.Niche).HasMaxLength(200);
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId);
        b.HasIndex(c => new { c.OrganizationId, c.Name }).IsUnique();
    }
}
