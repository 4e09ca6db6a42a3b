namespace Rapport.Tenancy;

/// <summary>
/// The organization every query of this scope is limited to. The web app sets it from the
/// signed-in user's claim or the API key; the CLI from <c>--org</c>. Left unset, the global
/// query filters match no row at all, so forgetting to set it fails closed.
/// </summary>
public sealed class CurrentOrganization
{
    public int? Id { get; private set; }

    /// <summary>Who is acting (a user's e-mail, "api:&lt;key name&gt;", "cli"), for the audit trail.</summary>
    public string? Actor { get; set; }

    public int RequiredId => Id ?? throw new InvalidOperationException("No organization is selected for this operation.");

    public void Set(int organizationId)
    {
        if (Id is { } existing && existing != organizationId)
        {
            throw new InvalidOperationException("The organization of a scope cannot change once set.");
        }
        Id = organizationId;
    }
}

/// <summary>Marks an entity that belongs to one organization (tenant).</summary>
public interface IOrganizationOwned
{
    int OrganizationId { get; set; }
}
