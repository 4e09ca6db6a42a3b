using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Organizations;
using Rapport.Referrals;
using Rapport.Tenancy;

namespace Rapport.Outcomes;

public enum Timepoint { Intake, Interim, Discharge, FollowUp }

/// <summary>
/// One completed outcome form for an episode of care (a referral) at a timepoint. The answers are
/// kept as given; raw, score and scorable are always computed by the instrument catalogue on save,
/// never taken from input.
/// </summary>
public sealed class OutcomeAssessment : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int ReferralId { get; set; }
    public Referral? Referral { get; set; }
    /// <summary>Catalogue code, lower case (e.g. "hoos-jr").</summary>
    public string Instrument { get; set; } = "";
    public Timepoint Timepoint { get; set; }
    public DateOnly AssessedOn { get; set; }
    /// <summary>Item answers in order, comma-separated, blank for a missing item ("4,3,,2").</summary>
    public string Answers { get; set; } = "";
    /// <summary>PSFS: the activities the patient named, one per line, in item order.</summary>
    public string? ItemNames { get; set; }
    /// <summary>The visit of the episode at which the form was taken, when the clinician records it.</summary>
    public int? VisitNumber { get; set; }
    public double? Raw { get; set; }
    public double? Score { get; set; }
    public bool Scorable { get; set; }
    /// <summary>Who entered it (user e-mail, "api:…", "cli:…", "import").</summary>
    public string? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class OutcomeAssessmentConfiguration : IEntityTypeConfiguration<OutcomeAssessment>
{
    public void Configure(EntityTypeBuilder<OutcomeAssessment> b)
    {
        b.ToTable("OutcomeAssessments");
        b.Property(a => a.Instrument).HasMaxLength(24);
        b.Property(a => a.Timepoint).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Answers).HasMaxLength(200);
        b.Property(a => a.ItemNames).HasMaxLength(1000);
        b.Property(a => a.CreatedBy).HasMaxLength(256);
        b.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId);
        b.HasOne(a => a.Referral).WithMany().HasForeignKey(a => a.ReferralId).OnDelete(DeleteBehavior.Cascade);
        // The episode page and re-imports read one episode's forms; cohorts read one instrument's.
        b.HasIndex(a => new { a.ReferralId, a.Instrument, a.AssessedOn });
        b.HasIndex(a => new { a.OrganizationId, a.Instrument });
    }
}
