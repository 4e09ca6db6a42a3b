using Rapport.Tenancy;

namespace Rapport.Organizations;

/// <summary>A practice: the tenant. Everything else belongs to exactly one.</summary>
public sealed class Organization
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    /// <summary>
    /// The practice's IANA time zone (e.g. "America/Chicago"): its calendar dates — today, this
    /// month, due dates — are read on this clock. Stored instants stay UTC. See PracticeClock.
    /// </summary>
    public string TimeZoneId { get; set; } = "UTC";
    public DateTime CreatedAt { get; set; }
    /// <summary>Administrators must use two-step sign-in (TOTP); one without it is sent to set it up first.</summary>
    public bool RequireTwoFactorForAdmins { get; set; }
}

/// <summary>A location of the practice.</summary>
public sealed class Clinic : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public required string Name { get; set; }
    public string? AddressLine { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? Zip { get; set; }
    public string? Phone { get; set; }
    /// <summary>Printed on letters and fax cover sheets as the number to fax back to.</summary>
    public string? Fax { get; set; }
    /// <summary>The clinic's niche, e.g. "orthopaedics, sports" — used to target prospects.</summary>
    public string? Niche { get; set; }
    public DateTime? ArchivedAt { get; set; }
}
