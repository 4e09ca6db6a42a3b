using Rapport.Tenancy;

namespace Rapport.Audit;

/// <summary>Who read, exported or changed what, and when. Written centrally by the DbContext for changes.</summary>
public sealed class AuditEvent : IOrganizationOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public DateTime At { get; set; }
    public string? Actor { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? Summary { get; set; }
}
