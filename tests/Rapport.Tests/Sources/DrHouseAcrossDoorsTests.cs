using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Rapport.ApiKeys;
using Rapport.Common;
using Rapport.Demo;
using Rapport.Tenancy;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sources;

/// <summary>
/// The source text's Dr. House, from the demo practice, reads the same through all three doors:
/// `rapport sources show`, the JSON API and the source page.
/// </summary>
public sealed class DrHouseAcrossDoorsTests
{
    private static readonly string HouseNpi = Formats.NpiWithCheckDigit("198765432");

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Cli_api_and_ui_show_the_same_metrics_for_Dr_House(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        string apiKey;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, TestContext.Current.CancellationToken);
            Assert.True(seeded.Created);
            apiKey = (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("doors", "tests")).Secret;
        }

        var cli = await Infrastructure.Cli.RunAsync(app.Database, "sources", "show", HouseNpi, "--format", "json");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        var fromCli = JsonDocument.Parse(cli.Stdout).RootElement;

        using var api = app.ApiClient(apiKey);
        var fromApi = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/sources/by-npi/{HouseNpi}", TestContext.Current.CancellationToken))!;

        string[] fields = ["id", "npi", "name", "activePatients", "referrals90d", "referrals12m", "lastTouchAt", "lastTouchMethod", "daysSinceTouch", "referBacks12m", "lastReferBackAt"];
        foreach (var field in fields)
        {
            Assert.Equal(fromApi.GetProperty(field).ToString(), fromCli.GetProperty(field).ToString());
        }
        Assert.Equal(JsonSerializer.Serialize(fromApi.GetProperty("monthlyReferrals")), JsonSerializer.Serialize(fromCli.GetProperty("monthlyReferrals")));

        // The story: a steady referrer, no touch for about four months, no refer-back for a little over two.
        Assert.Equal("Gregory House, MD", fromCli.GetProperty("name").GetString());
        Assert.InRange(fromCli.GetProperty("daysSinceTouch").GetInt32(), 115, 130);
        Assert.True(fromCli.GetProperty("activePatients").GetInt32() > 0);
        var lastReferBack = DateOnly.Parse(fromCli.GetProperty("lastReferBackAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(TestClock.Today.DayNumber - lastReferBack.DayNumber, 60, 75);

        using var browser = await app.SignedInClientAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
        var html = await browser.GetStringAsync($"/Sources/{fromCli.GetProperty("id").GetInt32()}", TestContext.Current.CancellationToken);
        var page = new HtmlParser().ParseDocument(html);
        string Tile(string label) => page.QuerySelectorAll(".tile")
            .Single(t => t.QuerySelector(".label")!.TextContent.StartsWith(label, StringComparison.Ordinal))
            .QuerySelector(".value")!.TextContent.Trim();
        Assert.Equal(fromCli.GetProperty("activePatients").ToString(), Tile("active patients"));
        Assert.Equal(fromCli.GetProperty("referrals90d").ToString(), Tile("referrals, 90 days"));
        Assert.Equal(fromCli.GetProperty("referrals12m").ToString(), Tile("referrals, 12 months"));
        Assert.Equal(fromCli.GetProperty("daysSinceTouch").ToString(), Tile("days since touch"));
        Assert.Equal(fromCli.GetProperty("referBacks12m").ToString(), Tile("refer-backs, 12 months"));
        Assert.Contains(page.QuerySelectorAll(".tile .label"), l => l.TextContent.Contains("(In person)", StringComparison.Ordinal));
    }
}
