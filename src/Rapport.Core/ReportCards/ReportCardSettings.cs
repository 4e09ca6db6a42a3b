using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Common;
using Rapport.Data;
using Rapport.Documents;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.ReportCards;

/// <summary>A practice's report card settings; absent means the defaults.</summary>
public sealed class ReportCardSettings : IOrganizationOwned
{
    public const int DefaultMinimumCellSize = 5;
    public const int MaxLogoBytes = 512 * 1024;

    public int Id { get; set; }
    public int OrganizationId { get; set; }
    /// <summary>A figure from fewer patients than this is printed as "fewer than N" and compared with nothing.</summary>
    public int MinimumCellSize { get; set; } = DefaultMinimumCellSize;
    public PaperSize Paper { get; set; } = PaperSize.Letter;
    /// <summary>The practice's logo for the letterhead, PNG or JPEG.</summary>
    public byte[]? Logo { get; set; }
}

public sealed record ReportCardSettingsInput(int? MinimumCellSize, PaperSize? Paper);

public sealed class ReportCardSettingsService(RapportDbContext db)
{
    public async Task<ReportCardSettings> GetAsync(CancellationToken cancellationToken = default) =>
        await db.Set<ReportCardSettings>().AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new ReportCardSettings();

    public async Task SaveAsync(ReportCardSettingsInput input, CancellationToken cancellationToken = default)
    {
        var problems = new Problems();
        if (input.MinimumCellSize is not { } minimum || minimum < 1 || minimum > 50)
        {
            problems.Add("minimumCellSize", "The minimum cell size must be a whole number from 1 to 50.");
        }
        problems.ThrowIfAny();
        var settings = await TrackedAsync(cancellationToken);
        settings.MinimumCellSize = input.MinimumCellSize!.Value;
        settings.Paper = input.Paper ?? PaperSize.Letter;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Stores a PNG or JPEG logo (checked by its signature); null removes it.</summary>
    public async Task SetLogoAsync(byte[]? image, CancellationToken cancellationToken = default)
    {
        if (image is not null)
        {
            if (image.Length > ReportCardSettings.MaxLogoBytes)
            {
                throw new ValidationException("logo", $"The logo is {image.Length / 1024:N0} KB; the limit is {ReportCardSettings.MaxLogoBytes / 1024} KB.");
            }
            if (!IsPng(image) && !IsJpeg(image))
            {
                throw new ValidationException("logo", "The logo must be a PNG or JPEG image.");
            }
        }
        var settings = await TrackedAsync(cancellationToken);
        settings.Logo = image;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<ReportCardSettings> TrackedAsync(CancellationToken cancellationToken)
    {
        var settings = await db.Set<ReportCardSettings>().FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new ReportCardSettings();
            db.Add(settings);
        }
        return settings;
    }

    private static bool IsPng(byte[] data) => data.Length > 8 && data[0] == 0x89 && data[1] == 0x50 && data[2] == 0x4E && data[3] == 0x47;

    private static bool IsJpeg(byte[] data) => data.Length > 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
}

internal sealed class ReportCardSettingsConfiguration : IEntityTypeConfiguration<ReportCardSettings>
{
    public void Configure(EntityTypeBuilder<ReportCardSettings> b)
    {
        b.ToTable("ReportCardSettings");
        b.Property(s => s.Paper).HasConversion<string>().HasMaxLength(10);
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
        b.HasIndex(s => s.OrganizationId).IsUnique();
    }
}
