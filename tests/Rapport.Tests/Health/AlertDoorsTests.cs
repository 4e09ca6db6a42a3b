using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Rapport.ApiKeys;
using Rapport.Common;
using Rapport.Demo;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Health;

/// <summary>The demo's Dr. House raises the source text's three alerts, the same through the CLI, the API and the pages.</summary>
public sealed class AlertDoorsTests
{
    private static readonly string HouseNpi = Formats.NpiWithCheckDigit("198765432");

    // The demo is generated relative to "today", and whether Dr. House's decline passes the
    // false-discovery control depends on every other source that day; a fixed day keeps this test
    // about the doors, not the calendar.
    private static readonly DateOnly Today = new(2026, 11, 26);
    private static readonly string TodayIso = Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Dr_House_raises_declining_touch_overdue_and_reciprocity_gap_alike_in_cli_api_and_ui(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(Today.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero));
        await using var app = await RapportApp.StartAsync(database, b => b.Services.AddSingleton<TimeProvider>(time));
        string apiKey;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, ct)).Created);
            apiKey = (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("alerts", "tests")).Secret;
        }

        var cli = await Infrastructure.Cli.RunAsync(app.Database, "alerts", "--format", "json", "--as-of", TodayIso);
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        var fromCli = JsonDocument.Parse(cli.Stdout).RootElement;
        using var api = app.ApiClient(apiKey);
        var fromApi = await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?asOf={TodayIso}", ct);

        static Dictionary<string, JsonElement> HouseAlerts(JsonElement list) => list.GetProperty("alerts").EnumerateArray()
            .Where(a => a.GetProperty("source").GetProperty("npi").GetString() == HouseNpi)
            .ToDictionary(a => a.GetProperty("kind").GetString()!);
        var cliHouse = HouseAlerts(fromCli);
        var apiHouse = HouseAlerts(fromApi);
        Assert.Superset(new HashSet<string> { "declining", "touch_overdue", "reciprocity_gap" }, cliHouse.Keys.ToHashSet());
        Assert.Equal(cliHouse.Keys.Order(), apiHouse.Keys.Order());
        foreach (var kind in cliHouse.Keys)
        {
            Assert.Equal(JsonSerializer.Serialize(cliHouse[kind].GetProperty("reasons")), JsonSerializer.Serialize(apiHouse[kind].GetProperty("reasons")));
            Assert.Equal(JsonSerializer.Serialize(cliHouse[kind].GetProperty("numbers")), JsonSerializer.Serialize(apiHouse[kind].GetProperty("numbers")));
            Assert.Equal(cliHouse[kind].GetProperty("firstRaisedAt").GetString(), apiHouse[kind].GetProperty("firstRaisedAt").GetString());
        }
        var declining = cliHouse["declining"];
        Assert.StartsWith("Referrals fell ", declining.GetProperty("reasons")[0].GetString());
        Assert.True(declining.GetProperty("numbers").GetProperty("changePercent").GetDouble() <= -40);
        Assert.True(declining.GetProperty("numbers").GetProperty("adjustedPValue").GetDouble() <= 0.2);
        Assert.Matches(@"^Last touch 1\d\d days ago in person \(cadence 30\)\.$", cliHouse["touch_overdue"].GetProperty("reasons")[0].GetString());
        Assert.Matches(@"^Last refer-back [67]\d days ago\.$", cliHouse["reciprocity_gap"].GetProperty("reasons")[0].GetString());
        var houseId = declining.GetProperty("source").GetProperty("id").GetInt32();

        // The call list puts Dr. House first for his liaison, to share the outcomes report; CSV, API and .ics agree.
        var csv = await Infrastructure.Cli.RunAsync(app.Database, "calls", "--format", "csv", "--as-of", TodayIso);
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        var houseRow = csv.Stdout.Split('\n').Single(l => l.Contains(HouseNpi, StringComparison.Ordinal));
        Assert.Contains(",1," + houseId + "," + HouseNpi + ",", houseRow, StringComparison.Ordinal);
        Assert.Contains("Share outcomes report", houseRow, StringComparison.Ordinal);
        var calls = await api.GetFromJsonAsync<JsonElement>("/api/v1/calls", ct);
        var houseCall = calls.GetProperty("owners").EnumerateArray().SelectMany(g => g.GetProperty("calls").EnumerateArray())
            .Single(c => c.GetProperty("source").GetProperty("id").GetInt32() == houseId);
        // What he has stopped sending, in referrals a month: never more than he usually sends (CallListNumbersDoorsTests has the rest).
        Assert.InRange(houseCall.GetProperty("referralsAtRisk").GetDouble(), 0.1, houseCall.GetProperty("expectedMonthly").GetDouble());
        Assert.NotNull(houseCall.GetProperty("lastTouchOn").GetString());
        // His alerts' reasons are merged: the touch is mentioned once, with its cadence.
        var houseReasons = houseCall.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Matches(@"\(cadence 30\)\.$", Assert.Single(houseReasons, r => r.StartsWith("Last touch ", StringComparison.Ordinal)));
        // A liaison is asked for at most 15 calls a week (the default); the demo has more, listed as able to wait.
        var owners = calls.GetProperty("owners").EnumerateArray().ToList();
        Assert.Equal(15, calls.GetProperty("callsPerOwner").GetInt32());
        Assert.All(owners, g => Assert.InRange(g.GetProperty("calls").GetArrayLength(), 1, 15));
        var waiting = owners.Sum(g => g.GetProperty("later").GetArrayLength());
        Assert.True(waiting > 0);
        var allCsv = await Infrastructure.Cli.RunAsync(app.Database, "calls", "--format", "csv", "--all", "--as-of", TodayIso);
        Assert.Equal(csv.Stdout.Trim().Split('\n').Length + waiting, allCsv.Stdout.Trim().Split('\n').Length);
        var ics = await Infrastructure.Cli.RunAsync(app.Database, "calls", "--format", "ics", "--as-of", TodayIso);
        Assert.Contains("BEGIN:VTODO", ics.Stdout, StringComparison.Ordinal);
        Assert.Contains($"-{houseId}\r\n", ics.Stdout.Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        using (var browserForCalls = await app.SignedInClientAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword))
        {
            var callPage = new HtmlParser().ParseDocument(await browserForCalls.GetStringAsync("/CallList", ct));
            Assert.NotNull(callPage.QuerySelector($"table.calls tr[data-source-id='{houseId}']"));
            // His purpose is to share the outcomes report, and the row links to his report card.
            var cardLink = callPage.QuerySelector($"table.calls tr[data-source-id='{houseId}'] a[href='/Sources/{houseId}/ReportCard']");
            Assert.NotNull(cardLink);
            Assert.Equal(HttpStatusCode.OK, (await browserForCalls.GetAsync(cardLink.GetAttribute("href"), ct)).StatusCode);
            var download = await browserForCalls.GetAsync("/CallList?handler=Ics", ct);
            Assert.Equal("text/calendar", download.Content.Headers.ContentType?.MediaType);
            var csvDownload = await browserForCalls.GetAsync("/CallList?handler=Csv", ct);
            Assert.Equal("text/csv", csvDownload.Content.Headers.ContentType?.MediaType);
            Assert.Contains(HouseNpi, await csvDownload.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        // The page shows the same reasons, and logging a touch clears the touch-overdue alert.
        using var browser = await app.SignedInClientAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
        // The dashboard's open-alerts box (loaded after the page) names him with the same reasons.
        Assert.Contains("data-fragment=\"/Alerts?handler=Summary\"", await browser.GetStringAsync("/", ct), StringComparison.Ordinal);
        var summary = await browser.GetStringAsync("/Alerts?handler=Summary", ct);
        Assert.Contains("Gregory House, MD", summary, StringComparison.Ordinal);
        Assert.Contains(declining.GetProperty("reasons")[0].GetString()!, System.Net.WebUtility.HtmlDecode(summary), StringComparison.Ordinal);
        var page = new HtmlParser().ParseDocument(await browser.GetStringAsync("/Alerts", ct));
        // One row for him, naming all his kinds, with each reason once.
        var housePageRow = Assert.Single(page.QuerySelectorAll($"tr.alert[data-source-id='{houseId}']"));
        Assert.Superset(new HashSet<string> { "declining", "touch_overdue", "reciprocity_gap" }, housePageRow.GetAttribute("data-kinds")!.Split(' ').ToHashSet());
        var rowReasons = housePageRow.QuerySelectorAll("ul.reasons li").Select(li => li.TextContent).ToList();
        Assert.Equal(rowReasons.Distinct().Count(), rowReasons.Count);
        Assert.Contains(declining.GetProperty("reasons")[0].GetString()!, rowReasons);
        Assert.Matches(@"\(cadence 30\)\.$", Assert.Single(rowReasons, r => r.StartsWith("Last touch ", StringComparison.Ordinal)));
        Assert.Equal(page.QuerySelectorAll("tr.alert").Count, page.QuerySelectorAll("tr.alert").Select(r => r.GetAttribute("data-source-id")).Distinct().Count());
        // The kind filter shows the sources with that kind, with the count its link promised; the API filters alike (one declining alert a source).
        var decliningChip = page.QuerySelector("a.chip[data-kind='declining'] b")!.TextContent;
        var decliningPage = new HtmlParser().ParseDocument(await browser.GetStringAsync("/Alerts?show=declining", ct));
        var shownKinds = decliningPage.QuerySelectorAll("tr.alert").Select(r => r.GetAttribute("data-kinds")!.Split(' ')).ToList();
        Assert.All(shownKinds, k => Assert.Contains("declining", k));
        Assert.Equal(int.Parse(decliningChip, System.Globalization.CultureInfo.InvariantCulture), shownKinds.Count);
        var decliningApi = await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts?kind=declining", ct);
        Assert.Equal(shownKinds.Count, decliningApi.GetProperty("alerts").GetArrayLength());
        var touch = await api.PostAsJsonAsync("/api/v1/touchpoints", new { sourceId = houseId, occurredOn = Today, method = "Phone", purpose = "Check-in" }, ct);
        Assert.Equal(HttpStatusCode.Created, touch.StatusCode);
        var after = await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?sourceId={houseId}", ct);
        var kinds = after.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("kind").GetString()).ToList();
        Assert.DoesNotContain("touch_overdue", kinds);
        Assert.Contains("declining", kinds);

        // Acknowledged alerts leave the open list; a snooze hides until its date.
        var ack = await api.PostAsJsonAsync("/api/v1/alerts/acknowledge", new { sourceId = houseId, kind = "reciprocity_gap" }, ct);
        Assert.Equal(HttpStatusCode.NoContent, ack.StatusCode);
        var snooze = await api.PostAsJsonAsync("/api/v1/alerts/snooze", new { sourceId = houseId, kind = "declining", until = Today.AddDays(7) }, ct);
        Assert.Equal(HttpStatusCode.NoContent, snooze.StatusCode);
        var handled = await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?sourceId={houseId}", ct);
        Assert.DoesNotContain(handled.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("kind").GetString() is "reciprocity_gap" or "declining");
        var all = await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?sourceId={houseId}&includeHandled=true", ct);
        Assert.Equal("acknowledged", all.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "reciprocity_gap").GetProperty("status").GetString());

        // As of a year ago, before the halving, there was no decline.
        var past = await Infrastructure.Cli.RunAsync(app.Database, "alerts", "--format", "json", "--as-of", Today.AddMonths(-12).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(past.ExitCode == 0, past.Stderr);
        Assert.DoesNotContain(HouseAlerts(JsonDocument.Parse(past.Stdout).RootElement).Keys, k => k == "declining");

        var bad = await api.PostAsJsonAsync("/api/v1/alerts/snooze", new { sourceId = houseId, kind = "nonsense" }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
