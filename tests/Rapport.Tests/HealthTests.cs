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

    [Fact]
    public async Task Healthz_answers_503_when_the_SQLite_file_is_gone_and_does_not_create_an_empty_one()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        using var client = app.AnonymousClient();
        using (var before = await client.GetAsync("/healthz", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.Database.ConnectionString).DataSource;
        foreach (var path in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
        {
            File.Delete(path);
        }
        using var after = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        Assert.False(File.Exists(file), "The health check created an empty database file.");
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
