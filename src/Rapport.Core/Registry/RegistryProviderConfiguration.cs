using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rapport.Registry;

internal sealed class RegistryProviderConfiguration : IEntityTypeConfiguration<RegistryProvider>
{
    public void Configure(EntityTypeBuilder<RegistryProvider> b)
    {
        b.ToTable("RegistryProviders");
        b.HasKey(p => p.Npi);
        // Lengths are the NPPES field sizes (the file's data dictionary), so no valid row is cut.
        b.Property(p => p.Npi).HasMaxLength(10);
        b.Property(p => p.EntityType).HasConversion<byte?>();
        b.Property(p => p.BusinessName).HasMaxLength(300);
        b.Property(p => p.LastName).HasMaxLength(100);
        b.Property(p => p.FirstName).HasMaxLength(100);
        b.Property(p => p.MiddleName).HasMaxLength(100);
        b.Property(p => p.NamePrefix).HasMaxLength(20);
        b.Property(p => p.NameSuffix).HasMaxLength(20);
        b.Property(p => p.Credential).HasMaxLength(100);
        b.Property(p => p.TaxonomyCode).HasMaxLength(10);
        b.Property(p => p.AddressLine1).HasMaxLength(300);
        b.Property(p => p.AddressLine2).HasMaxLength(300);
        b.Property(p => p.City).HasMaxLength(100);
        b.Property(p => p.State).HasMaxLength(40);
        b.Property(p => p.PostalCode).HasMaxLength(20);
        b.Property(p => p.Zip5).HasMaxLength(5);
        b.Property(p => p.CountryCode).HasMaxLength(2);
        b.Property(p => p.Phone).HasMaxLength(20);
        b.Property(p => p.Fax).HasMaxLength(20);
        b.Property(p => p.Gender).HasMaxLength(1);
        b.Property(p => p.AddressKey).HasMaxLength(320);
        b.Ignore(p => p.IsDeactivated);
        // Prospects: specialty codes, then a latitude band around the clinic; longitude filters the band.
        b.HasIndex(p => new { p.TaxonomyCode, p.Latitude, p.Longitude });
        // Group size at an address and colleagues of referring sources.
        b.HasIndex(p => p.AddressKey);
        // A state-scoped monthly file marks the NPIs of its scope it no longer lists.
        b.HasIndex(p => new { p.State, p.TaxonomyCode });
    }
}
