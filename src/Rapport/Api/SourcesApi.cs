using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Common;
using Rapport.Sources;

namespace Rapport.Api;

public static class SourcesApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (SourceQueries queries, string? search, SourceStatus? status, string? specialty, int? clinicId,
            SourceSort? sort, bool? descending, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(new SourceListQuery
            {
                Search = search, Status = status, Specialty = specialty, ClinicId = clinicId,
                Sort = sort ?? SourceSort.Name, Descending = descending ?? false, Page = page ?? 1, PageSize = pageSize ?? 50,
            }, ct)));

        group.MapGet("/{id:int}", async Task<Results<Ok<SourceSummary>, NotFound>> (int id, SourceQueries queries, CancellationToken ct) =>
            await queries.SummaryAsync(id, ct) is { } summary ? TypedResults.Ok(summary) : TypedResults.NotFound());
    }
}
