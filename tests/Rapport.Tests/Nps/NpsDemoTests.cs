using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Demo;
using Rapport.Nps;
using Rapport.Organizations;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Nps;

public sealed partial class NpsDemoTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_practice_has_a_survey_history_whose_score_differs_by_clinic_and_therapist_and_shows_on_its_pages(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, TestContext.Current.CancellationToken);
        }
        int organizationId, houseId = 0;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            organizationId = (await scope.ServiceProvider.GetRequiredService<OrganizationService>().FindBySlugAsync("riverside"))!.Id;
        }
        var (overall, byClinic, byTherapist, house) = await app.InOrganizationAsync(organizationId, async sp =>
        {
            var results = sp.GetRequiredService<NpsResults>();
            houseId = (await sp.GetRequiredService<SourceQueries>().ResolveAsync(Formats.NpiWithCheckDigit("198765432")))!.Value;
            return (await results.SummaryAsync(new NpsFilter()), await results.ByAsync(NpsGrouping.Clinic, new NpsFilter()),
                await results.ByAsync(NpsGrouping.Therapist, new NpsFilter()), await results.ForSourceAsync(houseId));
        });

        Assert.True(overall.N >= 200, $"{overall.N} answers");
        Assert.InRange(overall.ResponseRate!.Value, 30, 55);
        Assert.Equal(3, byClinic.Count);
        Assert.True(byClinic.Max(c => c.Nps)!.Value - byClinic.Min(c => c.Nps)!.Value >= 20, "clinics differ");
        var rated = byTherapist.Where(t => t.N >= 20).ToList();
        Assert.True(rated.Max(t => t.Nps)!.Value - rated.Min(t => t.Nps)!.Value >= 20, "therapists differ");
        Assert.True(house.N > 0, "Dr. House's patients answered");

        using var client = await app.SignedInClientAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
        var home = await client.GetStringAsync("/");
        Assert.Matches(HomeNps(), home);
        var sourcePage = await client.GetStringAsync($"/Sources/{houseId}");
        Assert.Contains("data-testid=\"source-nps-value\"", sourcePage, StringComparison.Ordinal);
        foreach (var page in new[] { "/Nps", "/Nps?By=Therapist", "/Nps?By=Month&Category=Detractor", "/Nps/FollowUps", "/Nps/FollowUps?closed=true",
                     "/Nps/Settings", "/Nps/Import", "/Nps/Invitations" })
        {
            using var response = await client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode}");
        }
    }

    [GeneratedRegex("data-testid=\"home-nps-value\">-?[0-9]")]
    private static partial Regex HomeNps();
}
