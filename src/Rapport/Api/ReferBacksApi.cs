using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.ReferBacks;

namespace Rapport.Api;

public static class ReferBacksApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (ReferBackService referBacks, int? sourceId, int? patientId, DateOnly? from, DateOnly? to,
            int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await referBacks.ListAsync(new ReferBackListQuery
            {
                SourceId = sourceId,
                PatientId = patientId,
                From = from,
                To = to,
                Page = page ?? 1,
                PageSize = pageSize ?? 50,
            }, ct)))
            .WithSummary("List refer-backs (patients the practice sent to a physician), newest first")
            .WithDescription("from and to are inclusive dates (yyyy-MM-dd).");

        group.MapGet("/{id:int}", async Task<Results<Ok<ReferBackSummary>, ProblemHttpResult>> (int id, ReferBackService referBacks, CancellationToken ct) =>
            await referBacks.GetAsync(id, ct) is { } referBack ? TypedResults.Ok(referBack) : ApiProblems.NotFound($"Refer-back {id}"))
            .WithSummary("Get one refer-back")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async Task<Created<ReferBackSummary>> (ReferBackInput input, ReferBackService referBacks, CancellationToken ct) =>
            {
                var referBack = await referBacks.CreateAsync(input, ct);
                return TypedResults.Created($"{ApiEndpoints.Prefix}/referbacks/{referBack.Id}", (await referBacks.GetAsync(referBack.Id, ct))!);
            })
            .WithSummary("Record a refer-back to a source")
            .ProducesValidationProblem();

        group.MapPut("/{id:int}", async Task<Ok<ReferBackSummary>> (int id, ReferBackInput input, ReferBackService referBacks, CancellationToken ct) =>
            {
                await referBacks.UpdateAsync(id, input, ct);
                return TypedResults.Ok((await referBacks.GetAsync(id, ct))!);
            })
            .WithSummary("Replace a refer-back")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id:int}", async Task<NoContent> (int id, ReferBackService referBacks, CancellationToken ct) =>
            {
                await referBacks.DeleteAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a refer-back")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
