using Rapport.Patients;
using Rapport.Tenancy;

namespace Rapport.Referrals;

public enum ReferralStatus { Received, Scheduled, Evaluated, Discharged, Lost }

public enum PayerCategory { Medicare, Medicaid, Commercial, WorkersComp, Auto, SelfPay, Other }

/// <summary>
/// An inbound referral, which is also one episode of care. The status is derived from the
/// timeline dates (see <see cref="ReferralTimeline"/>) and stored so lists can index on it.
/// </summary>
public sealed class Referral : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    /// <summary>The id the EMR or spreadsheet uses; imports upsert on it.</summary>
    public string? ExternalId { get; set; }
    public int PatientId { get; set; }
    public Patient? Patient { get; set; }
    /// <summary>Null for direct access (no referring physician).</summary>
    public int? SourceId { get; set; }
    public Sources.ReferralSource? Source { get; set; }
    public int ClinicId { get; set; }
    public Organizations.Clinic? Clinic { get; set; }
    public string? Therapist { get; set; }
    public DateOnly ReceivedOn { get; set; }
    public DateOnly? ScheduledOn { get; set; }
    public DateOnly? EvaluatedOn { get; set; }
    public DateOnly? DischargedOn { get; set; }
    public DateOnly? LostOn { get; set; }
    public string? LostReason { get; set; }
    public ReferralStatus Status { get; set; }
    /// <summary>ICD-10-CM codes, comma-separated.</summary>
    public string? DiagnosisCodes { get; set; }
    public string? BodyRegion { get; set; }
    public string? Procedure { get; set; }
    public PayerCategory? PayerCategory { get; set; }
    public AcquisitionChannel? AcquisitionChannel { get; set; }
    /// <summary>
    /// For a direct-access referral, the campaign the patient named at intake ("I saw you at the health fair"): it is
    /// attributed to that campaign. Physician referrals are attributed through their source's campaign touches instead.
    /// </summary>
    public int? CampaignId { get; set; }
    public Campaigns.Campaign? Campaign { get; set; }
    public int VisitCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class ReferralTimeline
{
    /// <summary>The furthest step the dates prove; a lost referral stays lost.</summary>
    public static ReferralStatus StatusOf(DateOnly? scheduled, DateOnly? evaluated, DateOnly? discharged, DateOnly? lost) =>
        lost is not null ? ReferralStatus.Lost
        : discharged is not null ? ReferralStatus.Discharged
        : evaluated is not null ? ReferralStatus.Evaluated
        : scheduled is not null ? ReferralStatus.Scheduled
        : ReferralStatus.Received;
}
