using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Prospects;
using Rapport.Sources;

namespace Rapport.Api;

/// <summary>The score's parts in points (they add up to <see cref="ProspectResponse.Score"/>, give or take rounding).</summary>
public sealed record ProspectScoreParts(double Fit, double Distance, double Group, double Colleagues);

public sealed record ProspectResponse(
    int Rank, string Npi, string Name, string? Credential, string? TaxonomyCode, string Specialty, string Group,
    string Address, string? Phone, string? Fax, double DistanceMiles, int GroupSize, IReadOnlyList<string> ReferringColleagues,
    double Score, ProspectScoreParts ScoreParts)
{
    public static ProspectResponse From(ProspectRow r) => new(r.Rank, r.Npi, r.Name, r.Credential, r.TaxonomyCode, r.Specialty, r.Group, r.Address,
        Common.Formats.NormalizePhone(r.Phone) ?? r.Phone, Common.Formats.NormalizePhone(r.Fax) ?? r.Fax, r.DistanceMiles, r.GroupSize, r.ReferringColleagues,
        r.Score.Total, new ProspectScoreParts(Points(ProspectScore.FitWeight * r.Score.Fit), Points(ProspectScore.ProximityWeight * r.Score.Proximity),
            Points(ProspectScore.GroupWeight * r.Score.Group), Points(ProspectScore.ColleaguesWeight * r.Score.Colleagues)));

    private static double Points(double weighted) => Math.Round(100 * weighted, 1);
}

public sealed record ProspectListResponse(
    int ClinicId, string Clinic, string? ClinicZip, IReadOnlyList<string> Specialties, string? Preset, double RadiusMiles, int Total,
    IReadOnlyList<ProspectResponse> Rows, string? Note)
{
    public static ProspectListResponse From(ProspectResult result, int? limit) => new(result.ClinicId, result.ClinicName, result.ClinicZip, result.Specialties,
        result.Preset, result.RadiusMiles, result.Rows.Count, [.. result.Rows.Take(limit ?? int.MaxValue).Select(ProspectResponse.From)], result.Note);
}

/// <summary>POST /api/v1/prospects: add a registry physician as a source with status Prospect.</summary>
public sealed record ProspectAddRequest(string? Npi, int? ClinicId, string? OwnerUserId, int? TouchCadenceDays);

public static class ProspectsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async Task<Ok<ProspectListResponse>> (ProspectSearch search, string? clinic, string[]? specialty, string? radius, int? limit,
                CancellationToken ct) =>
            {
                if (limit is < 1)
                {
                    throw new Common.ValidationException("limit", "The limit must be at least 1.");
                }
                var result = await search.SearchAsync(new ProspectQuery
                {
                    Clinic = clinic,
                    Specialties = ProspectQuery.SplitSpecialties(specialty ?? []),
                    RadiusMiles = ProspectQuery.ParseRadius(radius),
                }, ct);
                return TypedResults.Ok(ProspectListResponse.From(result, limit));
            })
            .WithSummary("Prospects for a clinic: registry physicians of the specialty groups (specialty repeated; default: the clinic's niche preset) "
                + "within radius miles (default 10, 1–100) who are not sources yet, best score first (docs/prospects.md)")
            .ProducesValidationProblem();

        group.MapPost("/", async Task<Created<SourceDetailsResponse>> (ProspectAddRequest request, ProspectIntake intake, SourceQueries queries, CancellationToken ct) =>
            {
                if (request.ClinicId is not { } clinicId)
                {
                    throw new Common.ValidationException("clinicId", "The clinic is required.");
                }
                var source = await intake.AddAsync(new ProspectAddInput
                {
                    Npi = request.Npi ?? "", ClinicId = clinicId, OwnerUserId = request.OwnerUserId, TouchCadenceDays = request.TouchCadenceDays,
                }, ct);
                return TypedResults.Created($"{ApiEndpoints.Prefix}/sources/{source.Id}",
                    SourceDetailsResponse.From((await queries.DetailsAsync(source.Id, cancellationToken: ct))!));
            })
            .WithSummary("Add a registry physician as a source with status Prospect (filled from the registry); 409 when the NPI is already a source")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }
}
