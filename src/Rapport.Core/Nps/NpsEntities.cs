using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;
using Rapport.Referrals;
using Rapport.Tenancy;

namespace Rapport.Nps;

/// <summary>A practice's survey settings; one row per organization, created on first save.</summary>
public sealed class NpsSettings : IOrganizationOwned
{
    public const string DefaultSubject = "How likely are you to recommend {PracticeName}?";
    public const string DefaultBody =
        "Hi {FirstName},\n\nThank you for choosing {PracticeName}. One question, one click: how likely are you to recommend us to a friend or colleague?\n\n{SurveyLink}\n\nThe link works once and until {ExpiresOn}.\n\n{PracticeName}";

    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public bool InviteAtDischarge { get; set; } = true;
    /// <summary>Also invite once an episode reaches this many visits (null: only at discharge).</summary>
    public int? InviteAfterVisits { get; set; }
    public int ExpiryDays { get; set; } = 30;
    /// <summary>Offered to promoters after they answer (e.g. the practice's Google review page).</summary>
    public string? ReviewUrl { get; set; }
    public string Subject { get; set; } = DefaultSubject;
    [Common.MultiLineText]
    public string Body { get; set; } = DefaultBody;
}

public enum InvitationTrigger { Discharge, Visits, Manual }

public enum InvitationStatus { NoAddress, Queued, Sent, Failed, Answered, Expired }

/// <summary>
/// One survey invitation for one episode. Only the SHA-256 of its token is stored: the link in the
/// patient's mailbox is the only copy of the token.
/// </summary>
public sealed class SurveyInvitation : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public required string TokenHash { get; set; }
    public int PatientId { get; set; }
    public int? ReferralId { get; set; }
    public int ClinicId { get; set; }
    public string? Therapist { get; set; }
    public int? SourceId { get; set; }
    public PayerCategory? PayerCategory { get; set; }
    public InvitationTrigger Trigger { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    /// <summary>The patient had no e-mail address: recorded so the gap shows, nothing was sent.</summary>
    public bool NoAddress { get; set; }
    public long? OutboxMessageId { get; set; }
    public DateTime? AnsweredAt { get; set; }
}

public enum ResponseOrigin { Survey, Import }

/// <summary>
/// A 0–10 answer. Clinic, therapist, source and payer are copied from the episode when the answer
/// arrives, so results group by them without joins and stay as they were at the time.
/// </summary>
public sealed class NpsResponse : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int? InvitationId { get; set; }
    public int? ReferralId { get; set; }
    public int? ClinicId { get; set; }
    public string? Therapist { get; set; }
    public int? SourceId { get; set; }
    public PayerCategory? PayerCategory { get; set; }
    public int Score { get; set; }
    [Common.MultiLineText]
    public string? Comment { get; set; }
    /// <summary>The patient agreed that the comment may be quoted to their physician, without their name.</summary>
    public bool ShareWithPhysician { get; set; }
    public DateOnly RespondedOn { get; set; }
    public DateTime CreatedAt { get; set; }
    public ResponseOrigin Origin { get; set; }
    /// <summary>The other survey tool's id; re-importing the same file does not duplicate.</summary>
    public string? ExternalId { get; set; }
}

/// <summary>Every detractor answer opens one for the clinic's manager; closed with a note of what was done.</summary>
public sealed class DetractorFollowUp : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int ResponseId { get; set; }
    public int? ClinicId { get; set; }
    public string? AssigneeUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    [Common.MultiLineText]
    public string? Note { get; set; }
}

internal sealed class NpsSettingsConfiguration : IEntityTypeConfiguration<NpsSettings>
{
    public void Configure(EntityTypeBuilder<NpsSettings> b)
    {
        b.ToTable("NpsSettings");
        b.Property(s => s.ReviewUrl).HasMaxLength(500);
        b.Property(s => s.Subject).HasMaxLength(200);
        b.Property(s => s.Body).HasMaxLength(4000);
        b.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId);
        b.HasIndex(s => s.OrganizationId).IsUnique();
    }
}

internal sealed class SurveyInvitationConfiguration : IEntityTypeConfiguration<SurveyInvitation>
{
    public void Configure(EntityTypeBuilder<SurveyInvitation> b)
    {
        b.ToTable("SurveyInvitations");
        b.Property(i => i.TokenHash).HasMaxLength(64);
        b.Property(i => i.Therapist).HasMaxLength(100);
        b.Property(i => i.PayerCategory).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Trigger).HasConversion<string>().HasMaxLength(10);
        b.HasOne<Organization>().WithMany().HasForeignKey(i => i.OrganizationId);
        b.HasOne<Patients.Patient>().WithMany().HasForeignKey(i => i.PatientId);
        b.HasOne<Referral>().WithMany().HasForeignKey(i => i.ReferralId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(i => i.TokenHash).IsUnique();
        b.HasIndex(i => new { i.OrganizationId, i.ReferralId, i.Trigger });
        b.HasIndex(i => new { i.OrganizationId, i.CreatedAt });
    }
}

internal sealed class NpsResponseConfiguration : IEntityTypeConfiguration<NpsResponse>
{
    public void Configure(EntityTypeBuilder<NpsResponse> b)
    {
        b.ToTable("NpsResponses", t => t.HasCheckConstraint("CK_NpsResponses_Score", "\"Score\" >= 0 AND \"Score\" <= 10"));
        b.Property(r => r.Therapist).HasMaxLength(100);
        b.Property(r => r.Comment).HasMaxLength(2000);
        b.Property(r => r.ExternalId).HasMaxLength(100);
        b.Property(r => r.PayerCategory).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Origin).HasConversion<string>().HasMaxLength(10);
        b.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId);
        // One answer per invitation, whatever a double submit or two nodes do.
        b.HasOne<SurveyInvitation>().WithMany().HasForeignKey(r => r.InvitationId);
        b.HasIndex(r => r.InvitationId).IsUnique();
        b.HasIndex(r => new { r.OrganizationId, r.ExternalId }).IsUnique();
        b.HasIndex(r => new { r.OrganizationId, r.RespondedOn });
        b.HasIndex(r => new { r.OrganizationId, r.SourceId });
    }
}

internal sealed class DetractorFollowUpConfiguration : IEntityTypeConfiguration<DetractorFollowUp>
{
    public void Configure(EntityTypeBuilder<DetractorFollowUp> b)
    {
        b.ToTable("DetractorFollowUps");
        b.Property(f => f.AssigneeUserId).HasMaxLength(450);
        b.Property(f => f.ClosedBy).HasMaxLength(256);
        b.Property(f => f.Note).HasMaxLength(2000);
        b.HasOne<Organization>().WithMany().HasForeignKey(f => f.OrganizationId);
        b.HasOne<NpsResponse>().WithMany().HasForeignKey(f => f.ResponseId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => f.ResponseId).IsUnique();
        b.HasIndex(f => new { f.OrganizationId, f.ClosedAt });
    }
}
