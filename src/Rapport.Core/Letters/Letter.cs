using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;
using Rapport.Referrals;
using Rapport.Tenancy;

namespace Rapport.Letters;

/// <summary>The closing-the-loop letters an episode of care owes its referring physician.</summary>
public enum LetterKind { Evaluation, Progress, Discharge }

/// <summary>How a letter left the practice.</summary>
public enum LetterDelivery { Email, Fax, Mail }

/// <summary>
/// One letter about one episode (referral) to the episode's referring source: a draft while
/// <see cref="SentAt"/> is null (at most one per episode and kind), then a record of what went, how
/// and when. The clinician's own words for the letter (plan and goals, progress, recommendations)
/// are <see cref="Notes"/>; everything else in it is composed from the episode when it is printed.
/// </summary>
public sealed class Letter : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int ReferralId { get; set; }
    public Referral? Referral { get; set; }
    public LetterKind Kind { get; set; }
    /// <summary>Markdown from the clinician, printed where the template says <c>{{Notes}}</c>.</summary>
    [Common.MultiLineText]
    public string? Notes { get; set; }
    /// <summary>The source it went to (the episode's referring source at the time).</summary>
    public int? SourceId { get; set; }
    /// <summary>The episode's visit count when the letter went: progress letters follow the visits since the last one.</summary>
    public int? VisitCount { get; set; }
    public DateOnly? SentOn { get; set; }
    public DateTime? SentAt { get; set; }
    public LetterDelivery? Delivery { get; set; }
    public string? SentBy { get; set; }
    /// <summary>The e-mail that carries it, when sent by e-mail; its delivery state is the outbox's.</summary>
    public long? OutboxMessageId { get; set; }
    /// <summary>The touchpoint logged on the source for this send.</summary>
    public int? TouchpointId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An organization's letter rules; absent means the defaults.</summary>
public sealed class LetterSettings : IOrganizationOwned
{
    public const int DefaultOverdueAfterDays = 7;
    public const int DefaultLookbackDays = 60;

    public int Id { get; set; }
    public int OrganizationId { get; set; }
    /// <summary>A letter is due from its event (evaluation, the progress visit, discharge) and overdue this many days later.</summary>
    public int OverdueAfterDays { get; set; } = DefaultOverdueAfterDays;
    /// <summary>Events older than this are no longer chased (the letter can still be sent on request).</summary>
    public int LookbackDays { get; set; } = DefaultLookbackDays;

    public LetterRules ToRules() => new(OverdueAfterDays, LookbackDays);
}

internal sealed class LetterConfiguration : IEntityTypeConfiguration<Letter>
{
    public void Configure(EntityTypeBuilder<Letter> b)
    {
        b.ToTable("Letters");
        b.Property(l => l.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(l => l.Delivery).HasConversion<string>().HasMaxLength(8);
        b.Property(l => l.Notes).HasMaxLength(8000);
        b.Property(l => l.SentBy).HasMaxLength(256);
        b.HasOne<Organization>().WithMany().HasForeignKey(l => l.OrganizationId);
        b.HasOne(l => l.Referral).WithMany().HasForeignKey(l => l.ReferralId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Sources.ReferralSource>().WithMany().HasForeignKey(l => l.SourceId).OnDelete(DeleteBehavior.SetNull);
        // One episode's letters; a source's or the practice's recent sends for the due lists.
        b.HasIndex(l => new { l.ReferralId, l.Kind });
        b.HasIndex(l => new { l.OrganizationId, l.SentOn });
    }
}

internal sealed class LetterSettingsConfiguration : IEntityTypeConfiguration<LetterSettings>
{
    public void Configure(EntityTypeBuilder<LetterSettings> b)
    {
        b.ToTable("LetterSettings");
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
        b.HasIndex(s => s.OrganizationId).IsUnique();
    }
}
