using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Rapport.ApiKeys;
using Rapport.Audit;
using Rapport.Demo;
using Rapport.Exports;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using static Rapport.Tests.Exports.ExportTestKit;

namespace Rapport.Tests.Exports;

/// <summary>
/// The demo practice's alerts, call list, touches, letters due and NPS answers: each download holds the
/// rows its page (or the API) shows under the same filters, in the same order, and is audited once.
/// </summary>
public sealed partial class DemoListExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Alerts_calls_touches_letters_due_and_nps_responses_download_the_rows_of_their_pages()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        string apiKey;
        int organizationId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, Ct)).Created);
            apiKey = (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("exports", "tests")).Secret;
            organizationId = scope.ServiceProvider.GetRequiredService<Rapport.Tenancy.CurrentOrganization>().RequiredId;
        }
        using var api = app.ApiClient(apiKey);
        using var browser = await app.SignedInClientAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);

        async Task<List<string>> PageValuesAsync(string path, string selector, string attribute)
        {
            var page = await Forms.ParseAsync(await browser.GetAsync(path, Ct));
            return [.. page.QuerySelectorAll(selector).Select(e => e.GetAttribute(attribute)!)];
        }

        // Alerts: one row per source, the page's order, with the tier and kind filters (and "mine": the signed-in user's).
        foreach (var filter in new[] { "tier=alert", "tier=watch", "show=touch_overdue", "owner=me&all=true", "owner=unassigned" })
        {
            var shown = await PageValuesAsync($"/Alerts?{filter}", "table.alerts tbody tr[data-source-id]", "data-source-id");
            var before = await LastEventIdAsync(app, organizationId);
            var (file, _) = await DownloadAsync(browser, $"/Export/alerts?format=xlsx&{filter}");
            Assert.Equal(shown, file.Column("Source id"));
            Assert.True(filter.StartsWith("owner", StringComparison.Ordinal) || shown.Count > 0, $"the demo has no alerts for {filter}");
            var written = Assert.Single(await EventsSinceAsync(app, organizationId, before));
            Assert.Equal((AuditTrail.Exported, ExportService.AuditEntityType, "alerts"), (written.Action, written.EntityType, written.EntityId));
        }

        // The call list: the page's own CSV (kept) and the export hold the same calls and figures, in order.
        var callsCsv = ReadCsv(await browser.GetByteArrayAsync("/CallList?handler=Csv&all=true", Ct) is var raw && raw[0] == 0xEF ? raw : [0xEF, 0xBB, 0xBF, .. raw]);
        var (calls, _) = await DownloadAsync(browser, "/Export/calls?format=xlsx&all=true");
        Assert.NotEmpty(calls.Rows);
        Assert.Equal(callsCsv.Headers, calls.Headers);
        foreach (var column in new[] { "owner", "rank", "sourceId", "source", "purpose", "lastTouchOn", "thisWeek", "tier" })
        {
            Assert.Equal(callsCsv.Column(column), calls.Column(column));
        }
        Assert.Equal(callsCsv.Column("referralsPerMonthAtRisk").Select(Number), calls.Column("referralsPerMonthAtRisk").Select(Number));
        var (thisWeek, _) = await DownloadAsync(browser, "/Export/calls");
        Assert.All(thisWeek.Column("thisWeek"), v => Assert.Equal("yes", v));

        // Touches: the new /Touchpoints page and the API give the same touches, newest first.
        var touchFilter = "method=Lunch&from=" + TestClock.Today.AddMonths(-6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var onPage = await Forms.ParseAsync(await browser.GetAsync($"/Touchpoints?{touchFilter}", Ct));
        var pageIds = onPage.QuerySelectorAll("#touches tbody tr[data-touch-id]").Select(e => e.GetAttribute("data-touch-id")!).ToList();
        var total = int.Parse(TouchCount().Match(onPage.QuerySelector("main p.muted")!.TextContent).Groups[1].Value, CultureInfo.InvariantCulture);
        var (touches, _) = await DownloadAsync(browser, $"/Export/touches?format=xlsx&{touchFilter}");
        Assert.True(total > 0, "the demo has lunches in the last six months");
        Assert.Equal(total, touches.Rows.Count);
        Assert.Null(onPage.QuerySelector(".error-summary"));
        Assert.Equal(pageIds, touches.Column("Id").Take(pageIds.Count));
        // A second page is the file's next rows: the page number is not a filter of the download.
        var second = await Forms.ParseAsync(await browser.GetAsync("/Touchpoints?method=Lunch&page=2", Ct));
        var secondIds = second.QuerySelectorAll("#touches tbody tr[data-touch-id]").Select(e => e.GetAttribute("data-touch-id")!).ToList();
        Assert.Equal(50, secondIds.Count);
        var downloadLink = second.QuerySelector("p.downloads a[data-format='xlsx']")!.GetAttribute("href")!;
        Assert.DoesNotContain("page=", downloadLink, StringComparison.Ordinal);
        var (lunches, _) = await DownloadAsync(browser, downloadLink);
        Assert.Equal(secondIds, lunches.Column("Id").Skip(50).Take(50));
        var apiTouches = (await api.GetOkAsync($"/api/v1/touchpoints?{touchFilter}&pageSize=500")).GetProperty("items").EnumerateArray()
            .Select(t => t.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(apiTouches, touches.Column("Id"));
        Assert.All(touches.Column("Method"), m => Assert.Equal("Lunch", m));
        // By whom: the page's own choice of staff, the same touches in the file.
        var staff = onPage.QuerySelectorAll("select#by option[value]").Select(o => o.GetAttribute("value")!).Where(v => v.Length > 0).ToList();
        foreach (var by in staff)
        {
            var mine = await Forms.ParseAsync(await browser.GetAsync($"/Touchpoints?by={by}", Ct));
            var count = int.Parse(TouchCount().Match(mine.QuerySelector("main p.muted")!.TextContent).Groups[1].Value, CultureInfo.InvariantCulture);
            var (byFile, _) = await DownloadAsync(browser, $"/Export/touches?by={by}");
            Assert.Equal(count, byFile.Rows.Count);
        }

        // Letters due (patient data): the API's list, and one Exported event on Letter.
        var due = (await api.GetOkAsync("/api/v1/letters/due?overdueOnly=true")).EnumerateArray()
            .Select(d => $"{d.GetProperty("referralId").GetInt32()}/{d.GetProperty("kind").GetString()}").ToList();
        Assert.NotEmpty(due);
        var lettersBefore = await LastEventIdAsync(app, organizationId);
        var (letters, _) = await DownloadAsync(browser, "/Export/letters-due?format=xlsx&OverdueOnly=true");
        Assert.Equal(due, letters.Rows.Select(r => $"{r["Referral id"]}/{r["Letter"]}"));
        var disclosed = Assert.Single(await EventsSinceAsync(app, organizationId, lettersBefore));
        Assert.Equal((AuditTrail.Exported, "Letter", $"{due.Count} rows; letters-due as xlsx; OverdueOnly=true"), (disclosed.Action, disclosed.EntityType, disclosed.Summary));

        // NPS answers: every detractor's answer; those with a comment are the API's comments, newest first.
        var comments = (await api.GetOkAsync("/api/v1/nps/comments?category=Detractor")).EnumerateArray()
            .Select(c => c.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(comments);
        var (answers, _) = await DownloadAsync(browser, "/Export/nps-responses?format=xlsx&Category=Detractor");
        Assert.Equal(comments, answers.Rows.Where(r => r["Comment"].Length > 0).Select(r => r["Id"]));
        Assert.All(answers.Column("Score"), s => Assert.InRange(int.Parse(s, CultureInfo.InvariantCulture), 0, 6));
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*(\d+) touch")]
    private static partial Regex TouchCount();
}
