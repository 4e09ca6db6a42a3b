using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Api;

/// <summary>
/// One source on the wire (API and `rapport sources show --format json`): the list summary, its
/// profile, 24 months of referral counts and the latest touches and refer-backs.
/// </summary>
public sealed record SourceDetailsResponse(
    int Id,
    string? Npi,
    string Name,
    string? Specialty,
    SourceStatus Status,
    int ActivePatients,
    int Referrals90d,
    int Referrals12m,
    DateOnly? LastTouchAt,
    TouchMethod? LastTouchMethod,
    int? DaysSinceTouch,
    int ReferBacks12m,
    DateOnly? LastReferBackAt,
    string? FirstName,
    string LastName,
    string? Credential,
    string? TaxonomyCode,
    string? PracticeName,
    string? AddressLine,
    string? City,
    string? State,
    string? Zip,
    string? Phone,
    string? Fax,
    string? Email,
    TouchMethod? PreferredContactMethod,
    string? OwnerUserId,
    string? OwnerName,
    int? ClinicId,
    string? ClinicName,
    int? TouchCadenceDays,
    bool? ExpectsReferBacks,
    string? Tags,
    bool Archived,
    IReadOnlyList<MonthlyReferralCount> MonthlyReferrals,
    IReadOnlyList<TouchLogEntry> RecentTouches,
    IReadOnlyList<ReferBackEntry> RecentReferBacks)
{
    private const int RecentCount = 20;

    /// <summary>Only in the answer to POST and PUT, when the source got a new NPI: what the NPI registry said and filled (see <see cref="RegistryNotice"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RegistryNotice? Registry { get; init; }

    public static SourceDetailsResponse From(SourceDetails details)
    {
        var (p, m) = (details.Profile, details.Metrics);
        return new SourceDetailsResponse(m.Id, m.Npi, m.Name, m.Specialty, m.Status, m.ActivePatients, m.Referrals90d, m.Referrals12m,
            m.LastTouchAt, m.LastTouchMethod, m.DaysSinceTouch, m.ReferBacks12m, m.LastReferBackAt,
            p.FirstName, p.LastName, p.Credential, p.TaxonomyCode, p.PracticeName, p.AddressLine, p.City, p.State, p.Zip, p.Phone, p.Fax, p.Email,
            p.PreferredContactMethod, p.OwnerUserId, details.OwnerName, p.ClinicId, details.ClinicName, p.TouchCadenceDays, p.ExpectsReferBacks, p.Tags, m.Archived,
            details.MonthlyReferrals.Select(c => new MonthlyReferralCount($"{c.Year:D4}-{c.Month:D2}", c.Count, c.Partial)).ToList(),
            details.Touches.Take(RecentCount).ToList(), details.ReferBacks.Take(RecentCount).ToList());
    }
}

/// <summary>Referrals received in one calendar month, <c>YYYY-MM</c>; <paramref name="Partial"/> for the month so far (to today).</summary>
public sealed record MonthlyReferralCount(string Month, int Count, bool Partial);

public static class SourcesApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (SourceQueries queries, string? search, string? status, string? specialty, int? clinicId,
            string? sort, bool? descending, bool? includeArchived, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(new SourceListQuery
            {
                Search = search,
                Status = ApiQuery.Enum<SourceStatus>(status, "status"),
                Specialty = specialty,
                ClinicId = clinicId,
                IncludeArchived = includeArchived ?? false,
                Sort = ApiQuery.Enum<SourceSort>(sort, "sort") ?? SourceSort.Name,
                Descending = descending ?? false,
                Page = page ?? 1,
                PageSize = pageSize ?? 50,
            }, ct)))
            .WithSummary("List referral sources with their metrics")
            .WithDescription("Filters: search (name, NPI or practice), status, specialty, clinicId, includeArchived. "
                + "sort is a metric name (Name, ActivePatients, Referrals90d, Referrals12m, LastTouchAt, DaysSinceTouch, ReferBacks12m, LastReferBackAt, ...), "
                + "case-insensitive; descending=true reverses it. Archived sources are left out unless includeArchived=true.")
            .ProducesValidationProblem();

        group.MapGet("/{id:int}", async Task<Results<Ok<SourceDetailsResponse>, ProblemHttpResult>> (int id, SourceQueries queries, CancellationToken ct) =>
            await queries.DetailsAsync(id, cancellationToken: ct) is { } details
                ? TypedResults.Ok(SourceDetailsResponse.From(details))
                : ApiProblems.NotFound($"Source {id}"))
            .WithSummary("Get one source: metrics, profile and 24 months of referral counts")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/by-npi/{npi}", async Task<Results<Ok<SourceDetailsResponse>, ProblemHttpResult>> (string npi, SourceQueries queries, CancellationToken ct) =>
            await FindByNpiAsync(queries, npi, ct) is { } details
                ? TypedResults.Ok(SourceDetailsResponse.From(details))
                : ApiProblems.NotFound($"A source with NPI {npi}"))
            .WithSummary("Get one source by its NPI")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async Task<Created<SourceDetailsResponse>> (SourceInput input, SourceService sources, SourceQueries queries, CancellationToken ct) =>
            {
                var saved = await sources.CreateWithRegistryAsync(input, ct);
                return TypedResults.Created($"{ApiEndpoints.Prefix}/sources/{saved.Source.Id}",
                    await DetailsAsync(queries, saved.Source.Id, ct) with { Registry = RegistryNotice.From(saved.Registry) });
            })
            .WithSummary("Create a source")
            .WithDescription("With an NPI the NPI registry has, blank fields are filled from it (lastName is then not required); the answer's "
                + "registry object says what was filled and whether the NPI is deactivated or missing from the registry.")
            .ProducesValidationProblem();

        group.MapPut("/{id:int}", async Task<Ok<SourceDetailsResponse>> (int id, SourceInput input, SourceService sources, SourceQueries queries, CancellationToken ct) =>
            {
                var saved = await sources.UpdateWithRegistryAsync(id, input, ct);
                return TypedResults.Ok(await DetailsAsync(queries, id, ct) with { Registry = RegistryNotice.From(saved.Registry) });
            })
            .WithSummary("Replace a source's profile (absent fields are cleared; an absent status is kept)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id:int}", async Task<NoContent> (int id, SourceService sources, CancellationToken ct) =>
            {
                await sources.SetArchivedAsync(id, archived: true, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Archive a source (sources are never hard-deleted; history is kept and POST …/unarchive restores it)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:int}/unarchive", async Task<NoContent> (int id, SourceService sources, CancellationToken ct) =>
            {
                await sources.SetArchivedAsync(id, archived: false, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Restore an archived source")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<SourceDetails?> FindByNpiAsync(SourceQueries queries, string npi, CancellationToken ct)
    {
        // ResolveAsync also accepts ids; this route promises an NPI, so anything else is simply not found.
        if (npi.Length != 10 || !npi.All(char.IsAsciiDigit) || await queries.ResolveAsync(npi, ct) is not { } id)
        {
            return null;
        }
        return await queries.DetailsAsync(id, cancellationToken: ct);
    }

    private static async Task<SourceDetailsResponse> DetailsAsync(SourceQueries queries, int id, CancellationToken ct) =>
        SourceDetailsResponse.From((await queries.DetailsAsync(id, cancellationToken: ct))!);
}
