using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Common;
using Rapport.Registry;
using Rapport.Sources;

namespace Rapport.Api;

/// <summary>
/// What the NPI registry said when a source got its NPI (POST/PUT /sources): <c>status</c> (Found,
/// Deactivated, Missing, NotFound, NoRegistry), <c>message</c>, <c>deactivatedOn</c> and <c>missingSince</c>
/// (yyyy-MM-dd or null) and <c>filled</c>, the fields taken from the registry because they were blank.
/// </summary>
public sealed record RegistryNotice(RegistryStatus Status, string Message, DateOnly? DeactivatedOn, DateOnly? MissingSince, IReadOnlyList<string> Filled)
{
    public static RegistryNotice? From(RegistryFill? fill) => fill is null ? null
        : new RegistryNotice(fill.Lookup.Status, fill.Lookup.Message, fill.Lookup.DeactivatedOn, fill.Lookup.MissingSince, fill.Filled);
}

/// <summary>A registry row as the file has it (names in capitals), with its taxonomy's NUCC name and group.</summary>
public sealed record RegistryProviderResponse(
    string Npi, RegistryEntityType? EntityType, string? BusinessName, string? LastName, string? FirstName, string? MiddleName,
    string? NamePrefix, string? NameSuffix, string? Credential, string? TaxonomyCode, string? TaxonomyName, string? TaxonomyGroup,
    string? AddressLine1, string? AddressLine2, string? City, string? State, string? PostalCode, string? Phone, string? Fax, string? Gender,
    DateOnly? EnumerationDate, DateOnly? LastUpdateDate, DateOnly? DeactivationDate, DateOnly? ReactivationDate, DateOnly? MissingSince,
    double? Latitude, double? Longitude)
{
    public static RegistryProviderResponse From(RegistryProvider p)
    {
        var nucc = NuccTaxonomy.Find(p.TaxonomyCode);
        return new RegistryProviderResponse(p.Npi, p.EntityType, p.BusinessName, p.LastName, p.FirstName, p.MiddleName, p.NamePrefix, p.NameSuffix,
            p.Credential, p.TaxonomyCode, nucc?.DisplayName, nucc?.Group, p.AddressLine1, p.AddressLine2, p.City, p.State, p.PostalCode, p.Phone, p.Fax,
            p.Gender, p.EnumerationDate, p.LastUpdateDate, p.DeactivationDate, p.ReactivationDate, p.MissingSince, p.Latitude, p.Longitude);
    }
}

/// <summary>
/// GET /registry/{npi} (and <c>rapport registry show NPI --format json</c>): the registry's status of the
/// NPI, its row, and <c>source</c>: the fields a new source with this NPI is filled with.
/// </summary>
public sealed record RegistryLookupResponse(
    string Npi, RegistryStatus Status, string Message, DateOnly? DeactivatedOn, DateOnly? MissingSince,
    RegistryProviderResponse? Provider, RegistrySourceFields? Source)
{
    public static RegistryLookupResponse From(RegistryLookupResult r) =>
        new(r.Npi, r.Status, r.Message, r.DeactivatedOn, r.MissingSince, r.Provider is null ? null : RegistryProviderResponse.From(r.Provider), r.Fields);
}

public static class RegistryApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/{npi}", async Task<Results<Ok<RegistryLookupResponse>, ProblemHttpResult>> (string npi, RegistryLookup registry, CancellationToken ct) =>
            {
                if (!Formats.IsValidNpi(npi))
                {
                    throw new ValidationException("npi", $"'{npi}' is not a valid NPI: ten digits whose last digit is the Luhn check digit (with the 80840 prefix).");
                }
                var result = await registry.FindAsync(npi, ct);
                return result.Provider is null
                    ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: result.Message,
                        extensions: new Dictionary<string, object?> { ["registryStatus"] = result.Status.ToString() })
                    : TypedResults.Ok(RegistryLookupResponse.From(result));
            })
            .WithSummary("Look an NPI up in the NPI registry: its status, its row and the fields a new source with it is filled with")
            .WithDescription("status is Found, Deactivated (deactivatedOn set) or Missing (missingSince: the first full registry file it was absent from). "
                + "An NPI the registry does not have is 404; with no registry imported at all the problem's detail says so. An invalid NPI is 400.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
