using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;
using Rapport.Sources;
using Rapport.Tenancy;

namespace Rapport.Health;

/// <summary>An organization's alert thresholds; absent means the defaults of <see cref="HealthRules"/>.</summary>
public sealed class HealthSettings : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int RecentMonths { get; set; } = 4;
    public double DeclineThresholdPercent { get; set; } = 30;
    public double FalseDiscoveryRate { get; set; } = 0.175;
    public int LapsedMinimumDays { get; set; } = 30;
    public int ReciprocityGapDays { get; set; } = 60;
    public int TopReferrerCadenceDays { get; set; } = 30;
    public int OtherCadenceDays { get; set; } = 60;
    public int ProspectCadenceDays { get; set; } = 90;
    public double ConcentrationPercent { get; set; } = 25;
    public int NewReferrerDays { get; set; } = 30;
    /// <summary>
    /// How many calls the weekly list asks of one liaison: about three a working day is what a
    /// liaison who also visits offices gets through; the rest are listed as able to wait.
    /// </summary>
    public int CallsPerOwner { get; set; } = DefaultCallsPerOwner;
    public const int DefaultCallsPerOwner = 15;
    /// <summary>
    /// Yearly limit on non-monetary compensation to one physician (Stark law exception, 42 CFR
    /// 411.357(k)), adjusted each calendar year by CMS for inflation: $519 for 2025 (CMS, "Physician
    /// Self-Referral Law: CPI-U Updates", CY 2025). The practice updates it each January.
    /// </summary>
    public decimal NonMonetaryCapUsd { get; set; } = DefaultNonMonetaryCapUsd;

    public const decimal DefaultNonMonetaryCapUsd = 519m;

    /// <summary>
    /// Specialties (as written in <see cref="Sources.ReferralSource.Specialty"/>) whose patients the
    /// practice does not refer back (an emergency department, a chiropractor), one a line; their
    /// sources raise no refer-back gap unless a source says otherwise. Empty by default: nothing changes
    /// for a practice until it says so. A short list on the settings row rather than a table: it is
    /// read whole with the settings and never queried by itself.
    /// </summary>
    public string? NoReferBackSpecialties { get; set; }

    /// <summary><see cref="NoReferBackSpecialties"/> as a list, trimmed, blanks left out.</summary>
    public IReadOnlyList<string> NoReferBackSpecialtyList() => SpecialtyLines(NoReferBackSpecialties);

    /// <summary>Stored specialties, one a line, as a list: trimmed, blanks left out.</summary>
    public static IReadOnlyList<string> SpecialtyLines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether a source of this specialty is expected to receive refer-backs: yes unless the practice listed the specialty.</summary>
    public static bool SpecialtyExpectsReferBacks(string? specialty, IReadOnlyCollection<string> noReferBackSpecialties) =>
        specialty is null || !noReferBackSpecialties.Contains(specialty.Trim(), StringComparer.OrdinalIgnoreCase);

    public HealthRules ToRules() => new()
    {
        RecentMonths = RecentMonths,
        DeclineThresholdPercent = DeclineThresholdPercent,
        FalseDiscoveryRate = FalseDiscoveryRate,
        LapsedMinimumDays = LapsedMinimumDays,
        ReciprocityGapDays = ReciprocityGapDays,
        TopReferrerCadenceDays = TopReferrerCadenceDays,
        OtherCadenceDays = OtherCadenceDays,
        ProspectCadenceDays = ProspectCadenceDays,
        ConcentrationPercent = ConcentrationPercent,
        NewReferrerDays = NewReferrerDays,
    };
}

/// <summary>
/// Alerts are computed from the data on every request; only what people did about them is stored.
/// An acknowledgement holds while the evidence (<see cref="Fingerprint"/>) is unchanged; a snooze until its date.
/// </summary>
public sealed class AlertAcknowledgement : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int SourceId { get; set; }
    public required string Kind { get; set; }
    public string? Fingerprint { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public DateOnly? SnoozedUntil { get; set; }
    public string? By { get; set; }
}

internal sealed class HealthSettingsConfiguration : IEntityTypeConfiguration<HealthSettings>
{
    public void Configure(EntityTypeBuilder<HealthSettings> b)
    {
        b.ToTable("HealthSettings");
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
        b.HasIndex(s => s.OrganizationId).IsUnique();
        b.Property(s => s.NonMonetaryCapUsd).HasPrecision(10, 2);
        b.Property(s => s.NoReferBackSpecialties).HasMaxLength(4000);
    }
}

internal sealed class AlertAcknowledgementConfiguration : IEntityTypeConfiguration<AlertAcknowledgement>
{
    public void Configure(EntityTypeBuilder<AlertAcknowledgement> b)
    {
        b.ToTable("AlertAcknowledgements");
        b.Property(a => a.Kind).HasMaxLength(32);
        b.Property(a => a.Fingerprint).HasMaxLength(64);
        b.Property(a => a.By).HasMaxLength(256);
        b.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId);
        b.HasOne<ReferralSource>().WithMany().HasForeignKey(a => a.SourceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.OrganizationId, a.SourceId, a.Kind }).IsUnique();
    }
}
