using Rapport.Tenancy;

namespace Rapport.ReferBacks;

/// <summary>The practice referring a patient back to (or on to) a physician: a refer-back.</summary>
public sealed class ReferralOut : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public int? PatientId { get; set; }
    public Patients.Patient? Patient { get; set; }
    public int ToSourceId { get; set; }
    public Sources.ReferralSource? ToSource { get; set; }
    public DateOnly SentOn { get; set; }
    public string? Reason { get; set; }
    [Common.MultiLineText]
    public string? Notes { get; set; }
    public DateTime CreatedAt { get; set; }
}
