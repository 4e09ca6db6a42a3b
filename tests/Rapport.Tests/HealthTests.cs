using System.Net;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests;

public sealed class HealthTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Healthz_answers_200_when_the_database_is_reachable(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        using var client = app.AnonymousClient();
        using var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Empty_database_leads_to_first_run_setup(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        using var client = app.AnonymousClient();
        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Setup", response.Headers.Location?.OriginalString);
    }
}
