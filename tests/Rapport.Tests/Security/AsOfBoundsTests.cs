using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Security;

/// <summary>
/// An as-of date whose windows fall off the calendar was a 500 (issue 12, item 8): it is a validation
/// problem naming <c>asOf</c> at every door that takes one, and an ordinary back-test date still works.
/// </summary>
public sealed class AsOfBoundsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task An_impossible_as_of_date_is_a_400_naming_it_at_every_door(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Bounds PT");
        using var api = app.ApiClient(org.ApiKey);
        foreach (var path in new[] { "/api/v1/alerts", "/api/v1/calls", "/api/v1/calls/csv", "/api/v1/letters/due" })
        {
            foreach (var day in new[] { "0001-01-01", "9999-12-31" })
            {
                using var response = await api.GetAsync($"{path}?asOf={day}", ct);
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}?asOf={day}: {(int)response.StatusCode}");
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                Assert.True(problem.GetProperty("errors").TryGetProperty("asOf", out _), $"{path}?asOf={day}: {problem}");
            }
            using var backTest = await api.GetAsync($"{path}?asOf=2025-03-31", ct);
            Assert.Equal(HttpStatusCode.OK, backTest.StatusCode);
        }
        var cli = await Infrastructure.Cli.RunAsync(app.Database, "alerts", "--format", "json", "--as-of", "0001-01-01");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("As-of date must be between", cli.Stdout + cli.Stderr, StringComparison.Ordinal);
    }
}
