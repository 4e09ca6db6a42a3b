using Rapport.Tenancy;

namespace Rapport.Patients;

/// <summary>How a patient found the practice.</summary>
public enum AcquisitionChannel
{
    Physician,
    DirectAccess,
    WebSearch,
    Website,
    FriendOrFamily,
    PastPatient,
    Event,
    SocialMedia,
    Employer,
    Insurer,
    Other,
}

/// <summary>Minimal PHI: only what referral tracking needs.</summary>
public sealed class Patient : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    /// <summary>The EMR's medical record number or other external id; unique within an organization.</summary>
    public required string ExternalId { get; set; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public DateOnly? BirthDate { get; set; }
    public string? Sex { get; set; }
    public string? Zip { get; set; }
    public string? Payer { get; set; }
    /// <summary>Only used to invite the patient to the loyalty (NPS) survey.</summary>
    public string? Email { get; set; }
    /// <summary>US phone, stored as "(555) 123-4567" so every screen and export reads alike; for the front desk's calls.</summary>
    public string? Phone { get; set; }
    public AcquisitionChannel? AcquisitionChannel { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ArchivedAt { get; set; }

    public string DisplayName => $"{LastName}, {FirstName}";
}
