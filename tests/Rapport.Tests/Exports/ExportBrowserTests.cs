using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.ApiKeys;
using Rapport.Demo;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;

namespace Rapport.Tests.Exports;

/// <summary>Issue 13, done-when: the sources list filtered on screen, downloaded with its Excel link, equals the API under the same filter.</summary>
public sealed class ExportBrowserTests
{
    [Fact]
    public async Task The_sources_list_filtered_on_screen_downloads_as_xlsx_equal_to_the_api()
    {
        var ct = TestContext.Current.CancellationToken;
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        string apiKey;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, ct);
            apiKey = (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("exports", "tests")).Secret;
        }

        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var pages = new RapportPages(page, app.BaseAddress);
        await pages.SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
        await page.GotoAsync(new Uri(app.BaseAddress, "/Sources").ToString());
        await page.SelectOptionAsync("#status", "Active");
        await page.ClickAsync("form.filters button[type='submit']");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("status=Active"));
        // Sorted by a metric as well, by clicking its column heading.
        await page.ClickAsync("#sources thead a[href*='sort=Referrals12m']");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("sort=Referrals12m"));

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("p.downloads a[data-format='xlsx']"));
        Assert.Matches(@"^rapport-sources-\d{4}-\d{2}-\d{2}\.xlsx$", download.SuggestedFilename);
        var file = ExportTestKit.ReadXlsx(await File.ReadAllBytesAsync((await download.PathAsync())!, ct));

        using var api = app.ApiClient(apiKey);
        var expected = (await api.GetOkAsync("/api/v1/sources?status=Active&sort=Referrals12m&pageSize=500")).GetProperty("items").EnumerateArray().ToList();
        Assert.True(expected.Count > 50, $"the demo has {expected.Count} active sources: more than one page, so the file is not just the page shown");
        Assert.Equal(expected.Count, file.Rows.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (row, source) = (file.Rows[i], expected[i]);
            Assert.Equal(source.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture), row["Id"]);
            Assert.Equal(source.GetProperty("name").GetString(), row["Name"]);
            Assert.Equal("Active", row["Status"]);
            Assert.Equal(source.GetProperty("referrals12m").GetInt32().ToString(CultureInfo.InvariantCulture), row["Referrals 12m"]);
            Assert.Equal(source.GetProperty("activePatients").GetInt32().ToString(CultureInfo.InvariantCulture), row["Active patients"]);
            Assert.Equal(source.GetProperty("daysSinceTouch") is { ValueKind: JsonValueKind.Number } days ? days.GetInt32().ToString(CultureInfo.InvariantCulture) : "", row["Days since touch"]);
        }
    }
}
