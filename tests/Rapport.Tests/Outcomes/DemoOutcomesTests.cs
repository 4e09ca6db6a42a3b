using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Data;
using Rapport.Demo;
using Rapport.Outcomes;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Outcomes;

public sealed class DemoOutcomesTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_practice_shows_time_to_MCID_for_hip_replacements_and_results_per_source(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        int organizationId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, TestContext.Current.CancellationToken)).Created);
            organizationId = await scope.ServiceProvider.GetRequiredService<RapportDbContext>().Organizations.Select(o => o.Id).SingleAsync(TestContext.Current.CancellationToken);
        }
        var (byProcedure, bySource, forms) = await app.InOrganizationAsync(organizationId, async sp =>
        {
            var results = sp.GetRequiredService<OutcomeResults>();
            var db = sp.GetRequiredService<RapportDbContext>();
            return (await results.CohortAsync(new CohortQuery { Instrument = "hoos-jr", By = CohortSlice.Procedure }),
                await results.CohortAsync(new CohortQuery { Instrument = "hoos-jr", By = CohortSlice.Source }),
                await db.Set<OutcomeAssessment>().Select(a => new { a.Instrument, a.Timepoint, a.Score, a.Scorable }).ToListAsync());
        });
        var hips = byProcedure.Groups.Single(g => g.Group == "Total hip arthroplasty");
        Assert.False(hips.Suppressed);
        Assert.True(hips.N >= 10, $"only {hips.N} hip replacement episodes");
        Assert.NotNull(hips.TimeToMcid!.MedianDays);
        Assert.NotNull(hips.TimeToMcid.MedianLower);
        Assert.NotNull(hips.TimeToMcid.MedianUpper);
        Assert.InRange(hips.TimeToMcid.MedianDays!.Value, 7, 90);
        Assert.True(hips.MeanChange!.Value > 8);
        Assert.Contains(bySource.Groups, g => !g.Suppressed);
        Assert.True(bySource.Groups.Count > 1);
        // Every timepoint is there, some discharged episodes lack a discharge form, and every instrument family appears.
        Assert.Contains(forms, f => f.Timepoint == Timepoint.Interim);
        Assert.Contains(forms, f => f.Timepoint == Timepoint.Discharge);
        foreach (var code in new[] { "hoos-jr", "koos-jr", "lefs", "odi", "ndi", "quickdash" })
        {
            Assert.Contains(forms, f => f.Instrument == code);
        }
        Assert.All(forms.Where(f => f.Scorable), f => Assert.NotNull(f.Score));
    }
}
