using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Patients;

namespace Rapport.Api;

public static class PatientsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (PatientService patients, string? search, bool? activeOnly, bool? includeArchived, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await patients.ListAsync(new PatientListQuery
            {
                Search = search,
                ActiveOnly = activeOnly ?? false,
                IncludeArchived = includeArchived ?? false,
                Page = page ?? 1,
                PageSize = pageSize ?? 50,
            }, ct)))
            .WithSummary("List patients")
            .WithDescription("search matches the name or the exact external id/MRN; activeOnly keeps patients with an evaluated, not discharged referral.");

        group.MapGet("/{id:int}", async Task<Results<Ok<PatientSummary>, ProblemHttpResult>> (int id, PatientService patients, CancellationToken ct) =>
            await patients.GetAsync(id, ct) is { } patient ? TypedResults.Ok(patient) : ApiProblems.NotFound($"Patient {id}"))
            .WithSummary("Get one patient")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async Task<Created<PatientSummary>> (PatientInput input, PatientService patients, CancellationToken ct) =>
            {
                var patient = await patients.CreateAsync(input, ct);
                return TypedResults.Created($"{ApiEndpoints.Prefix}/patients/{patient.Id}", (await patients.GetAsync(patient.Id, ct))!);
            })
            .WithSummary("Create a patient")
            .ProducesValidationProblem();

        group.MapPut("/{id:int}", async Task<Ok<PatientSummary>> (int id, PatientInput input, PatientService patients, CancellationToken ct) =>
            {
                await patients.UpdateAsync(id, input, ct);
                return TypedResults.Ok((await patients.GetAsync(id, ct))!);
            })
            .WithSummary("Replace a patient's details")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id:int}", async Task<NoContent> (int id, PatientService patients, CancellationToken ct) =>
            {
                await patients.SetArchivedAsync(id, archived: true, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Archive a patient (patients are not hard-deleted; their referrals stay in the metrics)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id:int}/unarchive", async Task<NoContent> (int id, PatientService patients, CancellationToken ct) =>
            {
                await patients.SetArchivedAsync(id, archived: false, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Restore an archived patient")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
