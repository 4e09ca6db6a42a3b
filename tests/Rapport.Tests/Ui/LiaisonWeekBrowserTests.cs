using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Demo;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

/// <summary>
/// The liaison's week in a real browser on the demo practice (issue 13, items 6 and 7): logging a
/// call from the call list comes back to the list with the row done; the call list, alerts and
/// sources pages fit a 390 px phone; the sources table's metrics fit 1280 px.
/// </summary>
public sealed class LiaisonWeekBrowserTests
{
    private static async Task<RapportApp> DemoAsync()
    {
        var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, TestContext.Current.CancellationToken)).Created);
        return app;
    }

    private static async Task<RapportPages> SignedInAsync(IBrowser browser, RapportApp app, int width)
    {
        var page = new RapportPages(await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } }), app.BaseAddress);
        await page.SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
        return page;
    }

    [Fact]
    public async Task A_liaison_logs_a_call_from_the_call_list_and_is_back_on_the_list_with_the_row_done()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await DemoAsync();
        var pages = await SignedInAsync(browser, app, 1280);
        var page = pages.Page;

        await page.GotoAsync(new Uri(app.BaseAddress, "/CallList").ToString());
        var row = page.Locator("table.calls tr[data-done='false']:has(a.log-touch)").First;
        var sourceId = await row.GetAttributeAsync("data-source-id");
        var purpose = (await row.Locator("td[data-label='Purpose']").InnerTextAsync()).Split('\n')[0].Trim();
        await row.Locator("a.log-touch").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/Touchpoints/New\?"));

        // Prefilled: the source, today on the practice clock, the call's purpose and a method.
        Assert.Equal(sourceId, await page.InputValueAsync("input[name='Input.SourceId']"));
        Assert.Equal(TestClock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await page.InputValueAsync("#Input_OccurredOn"));
        Assert.Equal(purpose, await page.InputValueAsync("#Input_Purpose"));
        Assert.NotEqual("", await page.InputValueAsync("#Input_Method"));
        await page.ClickAsync("#touch-form button[type='submit']");

        await page.WaitForURLAsync(new Uri(app.BaseAddress, $"/CallList#call-{sourceId}").ToString());
        var done = page.Locator($"tr#call-{sourceId}");
        Assert.Equal("true", await done.GetAttributeAsync("data-done"));
        Assert.Contains("touched today", await done.Locator("[data-testid='done']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Touch logged.", (await page.Locator(".notice").InnerTextAsync()).Trim());
    }

    [Fact]
    public async Task The_call_list_alerts_and_sources_fit_a_phone_and_the_sources_metrics_fit_1280_px()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await DemoAsync();

        var phone = (await SignedInAsync(browser, app, 390)).Page;
        foreach (var (path, rows) in new[] { ("/CallList", "table.calls tbody tr"), ("/Alerts", "table.alerts tbody tr"), ("/Sources", "#sources tbody tr") })
        {
            await phone.GotoAsync(new Uri(app.BaseAddress, path).ToString());
            Assert.True(await phone.Locator(rows).CountAsync() > 0, $"{path} shows no rows");
            Assert.True(await phone.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, $"{path} scrolls sideways at 390 px");
            // Cards: the first row's actions (or its last figure) are on screen, not beyond the right edge.
            var box = await phone.Locator(rows).First.Locator("td").Last.BoundingBoxAsync();
            Assert.True(box is not null && box.X + box.Width <= 390, $"{path}: the first card's last cell ends beyond 390 px");
        }

        var desktop = (await SignedInAsync(browser, app, 1280)).Page;
        await desktop.GotoAsync(new Uri(app.BaseAddress, "/Sources").ToString());
        Assert.True(await desktop.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 1280);
        Assert.True(await desktop.EvaluateAsync<bool>("(() => { const s = document.querySelector('#sources').parentElement; return s.scrollWidth <= s.clientWidth; })()"),
            "the sources table scrolls sideways inside its box at 1280 px");
        foreach (var column in new[] { "active-patients", "last-touch", "days-since-touch", "refer-backs-12m", "referrals-90d", "referrals-12m" })
        {
            var cell = await desktop.Locator($"#sources tbody tr td[data-col='{column}']").First.BoundingBoxAsync();
            Assert.True(cell is not null && cell.X + cell.Width <= 1280, $"{column} is not visible at 1280 px");
        }
    }
}
