using System.Net;
using Rapport.Nps;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Nps;

public sealed class SurveyPageTests
{
    [Fact]
    public async Task Unknown_links_get_a_polite_page_and_the_survey_is_rate_limited()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var client = app.AnonymousClient();

        using var unknown = await client.GetAsync($"/s/{SurveyInvitations.NewToken(org.Id)}");
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("We could not find this survey", await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 35; i++)
        {
            using var response = await client.GetAsync("/s/garbage");
            statuses.Add(response.StatusCode);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
    }
}
