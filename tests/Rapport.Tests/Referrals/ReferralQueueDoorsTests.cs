using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Exports;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;
using Sylvan.Data.Csv;

namespace Rapport.Tests.Referrals;

/// <summary>The queue's doors: the page, the API, the CLI and the download list the same rows in the same order, and change them alike.</summary>
public sealed class ReferralQueueDoorsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Page_api_cli_and_download_give_the_same_received_rows_and_the_bulk_change_is_all_or_nothing(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database, now: ReferralQueueTests.Monday);
        var org = await app.CreateOrganizationAsync("Queue PT");
        var ids = await app.InOrganizationAsync(org.Id, sp => ReferralQueueTests.SeedStagesAsync(sp, org.ClinicId));
        int[] expected = [ids["wednesday"], ids["saturday"], ids["thursday"]];
        var clock = TestClock.Argument(ReferralQueueTests.Monday);

        using var api = app.ApiClient(org.ApiKey);
        var listed = await api.GetFromJsonAsync<JsonElement>("/api/v1/referrals?stage=received", ct);
        var items = listed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(expected, items.Select(i => i.GetProperty("id").GetInt32()));
        var first = items[0];
        Assert.Equal(("Received", "Received", 5, true), (first.GetProperty("stage").GetString(), first.GetProperty("status").GetString(),
            first.GetProperty("ageDays").GetInt32(), first.GetProperty("overdueToSchedule").GetBoolean()));
        Assert.Equal("Lisa Cuddy, MD", first.GetProperty("sourceName").GetString());  // the list's existing fields stay
        Assert.Equal("2026-06-17", first.GetProperty("receivedOn").GetString());
        Assert.Equal(3, listed.GetProperty("total").GetInt32());
        Assert.Equal(1, listed.GetProperty("overdueCount").GetInt32());
        var inCare = await api.GetFromJsonAsync<JsonElement>("/api/v1/referrals?stage=in-care", ct);
        Assert.Equal(ids["inCare"], inCare.GetProperty("items")[0].GetProperty("id").GetInt32());
        using (var badStage = await api.GetAsync("/api/v1/referrals?stage=waiting", ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badStage.StatusCode);
        }

        var cliJson = await Infrastructure.Cli.RunAsync(app.Database, "referrals", "list", "--stage", "received", "--format", "json", clock);
        Assert.True(cliJson.ExitCode == 0, cliJson.Stderr);
        Assert.Equal(expected, JsonDocument.Parse(cliJson.Stdout).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()));
        var cliCsv = await Infrastructure.Cli.RunAsync(app.Database, "referrals", "list", "--stage", "received", "--format", "csv", clock);
        Assert.True(cliCsv.ExitCode == 0, cliCsv.Stderr);
        Assert.Equal(expected, CsvIds(cliCsv.Stdout.TrimStart('\uFEFF')));

        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var page = new HtmlParser().ParseDocument(await browser.GetStringAsync("/Referrals", ct));
        Assert.Equal(expected, page.QuerySelectorAll("table.queue tr[data-referral-id]").Select(tr => int.Parse(tr.GetAttribute("data-referral-id")!, CultureInfo.InvariantCulture)));
        var overdueRow = page.QuerySelector($"tr[data-referral-id='{ids["wednesday"]}']")!;
        Assert.Contains("Overdue to schedule", overdueRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("5 days · 3 business days", overdueRow.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Overdue to schedule", page.QuerySelector($"tr[data-referral-id='{ids["thursday"]}']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("3", page.QuerySelector("a[data-stage='received'] .count")!.TextContent, StringComparison.Ordinal);

        var download = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var export = sp.GetServices<IListExport>().Single(x => x.Kind == "referrals");
            Assert.Equal("Referral", export.PatientEntityType);
            var sheet = await export.BuildAsync(new Dictionary<string, string?> { ["stage"] = "received" }, ct);
            await Assert.ThrowsAsync<Common.ValidationException>(() => export.BuildAsync(new Dictionary<string, string?> { ["receivedFrom"] = "last week" }, ct));
            return sheet.Rows.Select(r => (int)r[0]!).ToList();
        });
        Assert.Equal(expected, download);

        // The API refuses a batch with one bad row and changes nothing; the CLI says the same.
        using var refused = await api.PostAsJsonAsync("/api/v1/referrals/status",
            new { referralIds = expected, status = "Scheduled", on = "2026-06-19" }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Contains($"Referral {ids["saturday"]} (received 2026-06-20)", problem.GetProperty("errors").GetProperty("referralIds")[0].GetString(), StringComparison.Ordinal);
        var cliRefused = await Infrastructure.Cli.RunAsync(app.Database, "referrals", "set-status", ids["saturday"].ToString(CultureInfo.InvariantCulture), "--status", "scheduled", "--on", "2026-06-19", clock);
        Assert.Equal(2, cliRefused.ExitCode);
        Assert.Contains($"referralIds: Referral {ids["saturday"]} (received 2026-06-20): Scheduled date (2026-06-19) cannot be before", cliRefused.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, (await api.GetFromJsonAsync<JsonElement>("/api/v1/referrals?stage=received", ct)).GetProperty("total").GetInt32());

        using var moved = await api.PostAsJsonAsync("/api/v1/referrals/status", new { referralIds = new[] { ids["wednesday"] }, status = "Scheduled" }, ct);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var cliLost = await Infrastructure.Cli.RunAsync(app.Database, "referrals", "set-status", ids["thursday"].ToString(CultureInfo.InvariantCulture), "--status", "lost", "--lost-reason", "no-show", clock);
        Assert.True(cliLost.ExitCode == 0, cliLost.Stderr);
        var after = await api.GetFromJsonAsync<JsonElement>("/api/v1/referrals?stage=received", ct);
        Assert.Equal([ids["saturday"]], after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()));
        var lost = await api.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{ids["thursday"]}", ct);
        Assert.Equal(("Lost", "Did not attend (no-show)"), (lost.GetProperty("status").GetString(), lost.GetProperty("lostReason").GetString()));
    }

    [Fact]
    public async Task The_front_desk_moves_a_referral_from_received_to_scheduled_in_the_queue()
    {
        var ct = TestContext.Current.CancellationToken;
        var (playwright, chromium) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = chromium;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite, now: ReferralQueueTests.Monday);
        var org = await app.CreateOrganizationAsync("Queue PT");
        var ids = await app.InOrganizationAsync(org.Id, async sp =>
        {
            await sp.GetRequiredService<UserDirectory>().AddAsync("desk@queue.test", RapportApp.Password, Roles.FrontDesk, "Dana Desk");
            return await ReferralQueueTests.SeedStagesAsync(sp, org.ClinicId);
        });
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots", "referral-queue");
        Directory.CreateDirectory(folder);

        foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
        {
            await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            await new RapportPages(page, app.BaseAddress).SignInAsync("desk@queue.test", RapportApp.Password);
            await page.GotoAsync(new Uri(app.BaseAddress, "/Referrals").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= width, $"/Referrals scrolls sideways at {width} px");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"queue-{width}.png"), FullPage = true });
            await page.GotoAsync(new Uri(app.BaseAddress, "/Referrals/New").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= width, $"/Referrals/New scrolls sideways at {width} px");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"intake-{width}.png"), FullPage = true });
        }

        await using var desk = await chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var tab = await desk.NewPageAsync();
        await new RapportPages(tab, app.BaseAddress).SignInAsync("desk@queue.test", RapportApp.Password);
        await tab.GotoAsync(new Uri(app.BaseAddress, "/Referrals").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        var thursday = ids["thursday"];
        await tab.Locator($"#pick-{thursday}").CheckAsync();
        Assert.Equal("Scheduled", await tab.Locator("#status").InputValueAsync());
        Assert.Equal("2026-06-22", await tab.Locator("#on").InputValueAsync());
        Assert.False(await tab.Locator("#lostReason").IsVisibleAsync());
        await tab.Locator("#apply-status").ClickAsync();
        await tab.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("1 referral moved to Scheduled on 2026-06-22.", await tab.Locator("p.notice").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await tab.Locator($"tr[data-referral-id='{thursday}']").CountAsync());

        await tab.Locator("a[data-stage='scheduled']").ClickAsync();
        await tab.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal("page", await tab.Locator("a[data-stage='scheduled']").GetAttributeAsync("aria-current"));
        var row = tab.Locator($"tr[data-referral-id='{thursday}']");
        Assert.True(await row.IsVisibleAsync());
        Assert.Contains("Scheduled", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("2", await tab.Locator("a[data-stage='scheduled'] .count").InnerTextAsync(), StringComparison.Ordinal);
    }

    private static List<int> CsvIds(string csv)
    {
        using var reader = CsvDataReader.Create(new StringReader(csv));
        var ids = new List<int>();
        while (reader.Read())
        {
            ids.Add(int.Parse(reader.GetString(reader.GetOrdinal("Id")), CultureInfo.InvariantCulture));
        }
        return ids;
    }
}
