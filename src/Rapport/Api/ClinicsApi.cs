using Rapport.Common;
using Rapport.Organizations;

namespace Rapport.Api;

public static class ClinicsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        // A practice has at most a few hundred clinics, so the list is one page, in the common list shape.
        group.MapGet("/", async (OrganizationService organizations, bool? includeArchived, CancellationToken ct) =>
            {
                var clinics = await organizations.ClinicsAsync(includeArchived ?? false, ct);
                return TypedResults.Ok(new Paged<ClinicSummary>(clinics, clinics.Count, 1, Math.Max(1, clinics.Count)));
            })
            .WithSummary("List the practice's clinics (locations)");
    }
}
