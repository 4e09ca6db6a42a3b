using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Touchpoints;

namespace Rapport.Api;

public static class TouchpointsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (TouchpointService touchpoints, int? sourceId, string? method, DateOnly? from, DateOnly? to,
            int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await touchpoints.ListAsync(new TouchpointListQuery
            {
                SourceId = sourceId,
                Method = ApiQuery.Enum<TouchMethod>(method, "method"),
                From = from,
                To = to,
                Page = page ?? 1,
                PageSize = pageSize ?? 50,
            }, ct)))
            .WithSummary("List touchpoints (contacts with sources), newest first")
            .WithDescription("from and to are inclusive dates (yyyy-MM-dd); method is a TouchMethod name, case-insensitive.")
            .ProducesValidationProblem();

        group.MapGet("/{id:int}", async Task<Results<Ok<TouchpointSummary>, ProblemHttpResult>> (int id, TouchpointService touchpoints, CancellationToken ct) =>
            await touchpoints.GetAsync(id, ct) is { } touch ? TypedResults.Ok(touch) : ApiProblems.NotFound($"Touchpoint {id}"))
            .WithSummary("Get one touchpoint")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async Task<Created<TouchpointSummary>> (TouchpointInput input, TouchpointService touchpoints, CancellationToken ct) =>
            {
                // API keys belong to the practice, not to a user, so there is no user to credit; byName carries who it was.
                var touch = await touchpoints.CreateAsync(input, byUserId: null, ct);
                return TypedResults.Created($"{ApiEndpoints.Prefix}/touchpoints/{touch.Id}", (await touchpoints.GetAsync(touch.Id, ct))!);
            })
            .WithSummary("Log a touchpoint with a source")
            .ProducesValidationProblem();

        group.MapPut("/{id:int}", async Task<Ok<TouchpointSummary>> (int id, TouchpointInput input, TouchpointService touchpoints, CancellationToken ct) =>
            {
                await touchpoints.UpdateAsync(id, input, ct);
                return TypedResults.Ok((await touchpoints.GetAsync(id, ct))!);
            })
            .WithSummary("Replace a touchpoint")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id:int}", async Task<NoContent> (int id, TouchpointService touchpoints, CancellationToken ct) =>
            {
                await touchpoints.DeleteAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a touchpoint")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
