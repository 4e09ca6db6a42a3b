using Rapport.Tenancy;

namespace Rapport.ApiKeys;

/// <summary>A bearer key for the JSON API. Only a SHA-256 hash of the secret is stored.</summary>
public sealed class ApiKey : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the key, shown in lists so people can tell keys apart.</summary>
    public required string Prefix { get; set; }
    public required string SecretHash { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
