using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;

namespace Rapport.Campaigns;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.ToTable("Campaigns");
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(c => c.OwnerUserId).HasMaxLength(450);
        b.Property(c => c.Budget).HasPrecision(12, 2);
        b.Property(c => c.TargetSpecialties).HasMaxLength(500);
        b.Property(c => c.Notes).HasMaxLength(4000);
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId);
        b.HasMany(c => c.Clinics).WithOne().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Costs).WithOne().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Targets).WithOne().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.OrganizationId, c.Name }).IsUnique();
        b.HasIndex(c => new { c.OrganizationId, c.StartsOn });
    }
}

internal sealed class CampaignClinicConfiguration : IEntityTypeConfiguration<CampaignClinic>
{
    public void Configure(EntityTypeBuilder<CampaignClinic> b)
    {
        b.ToTable("CampaignClinics");
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId);
        b.HasOne(c => c.Clinic).WithMany().HasForeignKey(c => c.ClinicId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.CampaignId, c.ClinicId }).IsUnique();
        b.HasIndex(c => c.ClinicId);
    }
}

internal sealed class CampaignCostConfiguration : IEntityTypeConfiguration<CampaignCost>
{
    public void Configure(EntityTypeBuilder<CampaignCost> b)
    {
        b.ToTable("CampaignCosts");
        b.Property(c => c.Description).HasMaxLength(200);
        b.Property(c => c.Amount).HasPrecision(12, 2);
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId);
        b.HasIndex(c => c.CampaignId);
    }
}

internal sealed class CampaignTargetConfiguration : IEntityTypeConfiguration<CampaignTarget>
{
    public void Configure(EntityTypeBuilder<CampaignTarget> b)
    {
        b.ToTable("CampaignTargets");
        b.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId);
        b.HasOne(c => c.Source).WithMany().HasForeignKey(c => c.SourceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.CampaignId, c.SourceId }).IsUnique();
        b.HasIndex(c => c.SourceId);
    }
}

internal sealed class CampaignSettingsConfiguration : IEntityTypeConfiguration<CampaignSettings>
{
    public void Configure(EntityTypeBuilder<CampaignSettings> b)
    {
        b.ToTable("CampaignSettings");
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
        b.HasIndex(s => s.OrganizationId).IsUnique();
    }
}
