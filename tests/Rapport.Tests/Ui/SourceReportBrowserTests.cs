using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Demo;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

/// <summary>
/// The referral source report of the demo practice in Chromium: at 1280 px the eleven columns fit without a
/// sideways scroll, on a 390 px phone the rows are cards (no sideways scroll either), a header sorts, and the
/// screenshots are saved for a person to look at.
/// </summary>
public sealed class SourceReportBrowserTests
{
    [Fact]
    public async Task The_report_fits_1280_px_and_a_390_px_phone_and_sorts_by_a_header()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots", "source-report");
        Directory.CreateDirectory(folder);
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, ct);
        }

        foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            await new RapportPages(page, app.BaseAddress).SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
            await page.GotoAsync(new Uri(app.BaseAddress, "/Reports/Sources").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

            Assert.Equal("May 2026 · all clinics", (await page.Locator("#report-period").InnerTextAsync()).Trim());
            var rows = await page.Locator("#source-report tbody tr").CountAsync();
            Assert.True(rows > 20, $"only {rows} rows");
            Assert.Contains("Gregory House, MD", await page.Locator("#source-report tbody").InnerTextAsync());
            var documentWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(documentWidth <= width, $"the page is {documentWidth} px wide at {width} px");
            if (width == 390)
            {
                // Cards: the column headers are hidden and each figure carries its own label.
                Assert.False(await page.Locator("#source-report thead").IsVisibleAsync());
                Assert.Equal("Referrals", await page.Locator("#source-report tbody tr").First.Locator("td[data-col=referrals]").GetAttributeAsync("data-label"));
            }
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"source-report-{width}.png"), FullPage = false });

            if (width == 1280)
            {
                // Sorting by visits, highest first: the figures run downwards.
                await page.Locator("#source-report thead a[data-sort=visits]").ClickAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                Assert.Contains("sort=-visits", page.Url, StringComparison.Ordinal);
                var visits = (await page.Locator("#source-report tbody td[data-col=visits]").AllInnerTextsAsync())
                    .Select(v => int.Parse(v.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(visits.OrderByDescending(v => v), visits);
                // Choosing the month so far says that it is compared like for like.
                await page.SelectOptionAsync("#period", "this-month");
                await page.ClickAsync("#report-filters button[type=submit]");
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                Assert.Contains("like for like", await page.Locator("#partial-note").InnerTextAsync(), StringComparison.Ordinal);
            }
        }
    }
}
