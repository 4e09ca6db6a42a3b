using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Demo;
using Rapport.Tests.Dashboard;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

/// <summary>
/// The demo practice's dashboard on 2 December in Chromium, wide and on a phone: December's bars are
/// hatched, the note names it "Dec 2026 (to 2nd)", and the screenshots are saved for a person to look at.
/// </summary>
public sealed class PartialMonthBrowserTests
{
    [Fact]
    public async Task Dashboard_on_the_2nd_draws_the_month_so_far_hatched_at_desktop_and_phone_widths()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots", "partial-month");
        Directory.CreateDirectory(folder);
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite, now: PartialMonthTests.SecondOfDecember);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, ct);
        }

        foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            await new RapportPages(page, app.BaseAddress).SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
            await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

            Assert.True(await page.Locator("#partial-note").IsVisibleAsync());
            Assert.Contains("Dec 2026 (to 2nd)", await page.Locator("#partial-note").InnerTextAsync());
            Assert.Contains("so far in December", await page.Locator("#touches-month").InnerTextAsync());
            // Chart.js drew December's bar of every channel with a pattern, November's with a plain colour.
            var fills = await page.EvaluateAsync<string[]>("""
                () => {
                  const chart = Chart.getChart('channel-chart');
                  return chart.data.datasets.map((d, i) => {
                    const bars = chart.getDatasetMeta(i).data;
                    const last = bars[bars.length - 1].options.backgroundColor, before = bars[bars.length - 2].options.backgroundColor;
                    return (last instanceof CanvasPattern ? 'pattern' : 'colour') + '/' + (before instanceof CanvasPattern ? 'pattern' : 'colour');
                  });
                }
                """);
            Assert.NotEmpty(fills);
            Assert.All(fills, f => Assert.Equal("pattern/colour", f));
            Assert.Equal("Dec 2026 (to 2nd)", await page.EvaluateAsync<string>("() => Chart.getChart('channel-chart').data.labels.at(-1)"));

            var path = Path.Combine(folder, $"dashboard-2nd-of-december-{width}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {path}");
            Console.WriteLine($"Screenshot: {path}");

            var source = await page.Locator("#top-sources a").First.GetAttributeAsync("href");
            await page.GotoAsync(new Uri(app.BaseAddress, source!).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            Assert.Equal(1, await page.Locator("#monthly-chart rect.bar.partial").CountAsync());
            var sourcePath = Path.Combine(folder, $"source-2nd-of-december-{width}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = sourcePath, FullPage = true });
            TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {sourcePath}");
        }
    }
}
