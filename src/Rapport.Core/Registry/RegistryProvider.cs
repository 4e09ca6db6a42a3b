namespace Rapport.Registry;

/// <summary>Entity Type Code of the NPPES file: 1 an individual, 2 an organization.</summary>
public enum RegistryEntityType : byte { Individual = 1, Organization = 2 }

/// <summary>
/// One NPI of the public NPPES registry, as far as prospecting needs it. Public data shared by every
/// practice (not organization-owned): written only by <c>rapport import nppes</c> and the demo, read by
/// NPI lookup, prospects and coverage. Column numbers below are the dissemination file's (1-based,
/// see ../shared/REFERENCES.md "NPPES NPI data dissemination file").
/// </summary>
public sealed class RegistryProvider
{
    /// <summary>Column 1: ten digits with a Luhn check digit (prefix 80840).</summary>
    public required string Npi { get; set; }
    /// <summary>Column 2. Null for a deactivated NPI: the file then carries only the NPI and the deactivation date.</summary>
    public RegistryEntityType? EntityType { get; set; }
    /// <summary>Column 5: an organization's legal business name.</summary>
    public string? BusinessName { get; set; }
    /// <summary>Columns 6–11: an individual's legal name and credential text as the provider typed it ("M.D.").</summary>
    public string? LastName { get; set; }
    public string? FirstName { get; set; }
    public string? MiddleName { get; set; }
    public string? NamePrefix { get; set; }
    public string? NameSuffix { get; set; }
    public string? Credential { get; set; }
    /// <summary>Columns 48–107: the taxonomy whose primary switch is Y (the first one when none is).</summary>
    public string? TaxonomyCode { get; set; }
    /// <summary>Columns 29–36: the practice location (not the mailing address).</summary>
    public string? AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    /// <summary>As in the file: five or nine digits, ZIP+4 without a hyphen.</summary>
    public string? PostalCode { get; set; }
    /// <summary>The first five digits of <see cref="PostalCode"/>; the key into the ZIP centroids.</summary>
    public string? Zip5 { get; set; }
    public string? CountryCode { get; set; }
    public string? Phone { get; set; }
    public string? Fax { get; set; }
    /// <summary>Column 42: M or F for individuals.</summary>
    public string? Gender { get; set; }
    /// <summary>Columns 37, 38, 40, 41 (MM/DD/YYYY in the file).</summary>
    public DateOnly? EnumerationDate { get; set; }
    public DateOnly? LastUpdateDate { get; set; }
    public DateOnly? DeactivationDate { get; set; }
    public DateOnly? ReactivationDate { get; set; }
    /// <summary>
    /// The Census ZCTA internal point of <see cref="Zip5"/> (Reference/NOTICE.md), stored on the row so a
    /// radius search is an index range on latitude, not a scan; null when the ZIP has no ZCTA.
    /// </summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>
    /// Upper-cased first address line and ZIP5 with punctuation and runs of spaces removed: the
    /// physicians sharing it practise together ("Dr. House's partners").
    /// </summary>
    public string? AddressKey { get; set; }
    /// <summary>
    /// A hash of every stored column from the file: an upsert whose hash is unchanged writes nothing,
    /// so re-importing the same file changes no row.
    /// </summary>
    public long ContentHash { get; set; }
    /// <summary>
    /// The first full (monthly) file this NPI was missing from, within the scope that file was imported
    /// with; cleared when it appears again. Weekly files never set it.
    /// </summary>
    public DateOnly? MissingSince { get; set; }
    /// <summary>When Rapport last added or changed the row (UTC).</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>Deactivated and not reactivated since.</summary>
    public bool IsDeactivated => DeactivationDate is { } off && (ReactivationDate is not { } on || on < off);
}
