using Rapport.Tenancy;

namespace Rapport.Sources;

public enum SourceStatus { Prospect, Active, Dormant, DoNotContact }

/// <summary>A physician or other referrer the practice receives patients from (or hopes to).</summary>
public sealed class ReferralSource : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    /// <summary>National Provider Identifier; unique within an organization when present.</summary>
    public string? Npi { get; set; }
    public string? FirstName { get; set; }
    /// <summary>Surname of a person, or the whole name of a group or facility.</summary>
    public required string LastName { get; set; }
    public string? Credential { get; set; }
    /// <summary>NUCC Health Care Provider Taxonomy code, e.g. 207X00000X.</summary>
    public string? TaxonomyCode { get; set; }
    /// <summary>Readable specialty, kept beside the code so lists can filter and sort on it.</summary>
    public string? Specialty { get; set; }
    public string? PracticeName { get; set; }
    public string? AddressLine { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? Zip { get; set; }
    public string? Phone { get; set; }
    public string? Fax { get; set; }
    public string? Email { get; set; }
    public Touchpoints.TouchMethod? PreferredContactMethod { get; set; }
    public string? OwnerUserId { get; set; }
    /// <summary>The clinic that mainly works with this source, for filtering the list by clinic.</summary>
    public int? ClinicId { get; set; }
    public SourceStatus Status { get; set; } = SourceStatus.Active;
    /// <summary>Desired days between touches; null means the organization default.</summary>
    public int? TouchCadenceDays { get; set; }
    /// <summary>
    /// Whether the practice can refer this source's patients back to it (a surgeon, a primary care
    /// physician) or not (an emergency department, a chiropractor): the refer-back gap is only raised
    /// where a refer-back is possible. Null follows the practice's setting for the source's specialty
    /// (<see cref="Health.HealthSettings.NoReferBackSpecialties"/>).
    /// </summary>
    public bool? ExpectsReferBacks { get; set; }
    /// <summary>Comma-separated free tags.</summary>
    public string? Tags { get; set; }
    /// <summary>When the practice started working with the source ("added"): touch overdue and the trend history count from it.</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>
    /// Created by an import that did not say when the practice started working with the source
    /// (no added_on): its <see cref="CreatedAt"/> is only the moment of that import, so a referrals
    /// import that brings an earlier referral moves it back to that referral's day, as if the
    /// practice had always used Rapport. Cleared when an added_on date is imported.
    /// </summary>
    public bool AddedOnFromReferrals { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ArchivedAt { get; set; }

    public string DisplayName => SourceNames.Display(FirstName, LastName, Credential);
}

public static class SourceNames
{
    public static string Display(string? firstName, string lastName, string? credential)
    {
        var name = string.IsNullOrWhiteSpace(firstName) ? lastName : $"{firstName} {lastName}";
        return string.IsNullOrWhiteSpace(credential) ? name : $"{name}, {credential}";
    }

    private static readonly HashSet<string> DoctorCredentials = new(StringComparer.OrdinalIgnoreCase)
        { "MD", "DO", "DPM", "DC", "DDS", "DMD", "OD", "PhD", "PsyD", "DPT", "MBBS" };

    /// <summary>
    /// How a letter or report card greets the source: "Dr. House" for a person holding a doctoral
    /// credential; the full name otherwise (a nurse practitioner, a PA, a group without a first name).
    /// </summary>
    public static string Salutation(string? firstName, string lastName, string? credential)
    {
        var credentials = (credential ?? "").Split([',', ' ', '.'], StringSplitOptions.RemoveEmptyEntries);
        return !string.IsNullOrWhiteSpace(firstName) && credentials.Any(DoctorCredentials.Contains)
            ? $"Dr. {lastName}"
            : Display(firstName, lastName, null);
    }
}
