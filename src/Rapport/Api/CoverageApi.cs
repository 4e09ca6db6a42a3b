using Rapport.Registry;

namespace Rapport.Api;

public static class CoverageApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (CoverageService coverage, int? clinicId, double? radius, CancellationToken ct) =>
                TypedResults.Ok(await coverage.ReportAsync(clinicId, radius, ct)))
            .WithSummary("Coverage: per clinic and specialty group, the registry's physicians within the radius, how many refer, how many are prospects")
            .WithDescription("clinicId (default: every clinic) and radius in miles (default 10, at most 100). Definitions in docs/coverage.md: physicians are "
                + "individual, active NPIs of the registry whose ZIP internal point lies within the radius of the clinic's; referring = a source of this practice "
                + "with the NPI and a referral received in the last 12 months; prospects = such a source with status Prospect that is not referring; "
                + "neither = the rest, notYetSources = those without any source. Rows are sorted by sortRule.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
