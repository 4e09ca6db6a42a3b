using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Rapport.ApiKeys;
using Rapport.Common;
using Rapport.Demo;
using Rapport.Health;
using Rapport.Tests.Infrastructure;
using Sylvan.Data.Csv;

namespace Rapport.Tests.Health;

/// <summary>
/// The demo's Dr. House on the call list: his referrals/month at risk is what he has stopped
/// sending, within what he usually sends, and every door shows the same figure with its unit;
/// his alert says the rates and the adjusted p in plain words.
/// </summary>
public sealed partial class CallListNumbersDoorsTests
{
    private static readonly string HouseNpi = Formats.NpiWithCheckDigit("198765432");
    // As in AlertDoorsTests: whether his decline passes the false-discovery control depends on the day.
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 15, 0, 0, TimeSpan.Zero);
    private const string TodayIso = "2026-11-26";

    [GeneratedRegex(@"^Referrals fell from (\d+\.\d) to (\d+\.\d) a month over the last 4 months \(−\d+%, adjusted p (= \d\.\d{2,3}|< 0\.001)\), compared with the \d+ months before and allowing for the season\.$")]
    private static partial Regex DeclineSentence();

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Dr_House_referrals_a_month_at_risk_stay_within_his_usual_rate_at_every_door(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database, now: Now);
        string apiKey;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, ct)).Created);
            apiKey = (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("calls", "tests")).Secret;
        }
        using var api = app.ApiClient(apiKey);
        var clock = TestClock.Argument(Now);

        // His decline, in referrals a month: the rates in the sentence are the numbers' rates.
        var alerts = await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?asOf={TodayIso}", ct);
        var declining = alerts.GetProperty("alerts").EnumerateArray()
            .Single(a => a.GetProperty("kind").GetString() == "declining" && a.GetProperty("source").GetProperty("npi").GetString() == HouseNpi);
        var numbers = declining.GetProperty("numbers");
        var usual = numbers.GetProperty("expectedMonthly").GetDouble();
        var recent = numbers.GetProperty("recentMonthly").GetDouble();
        var sentence = DeclineSentence().Match(declining.GetProperty("reasons")[0].GetString()!);
        Assert.True(sentence.Success, declining.GetProperty("reasons")[0].GetString());
        Assert.Equal(usual, double.Parse(sentence.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(recent, double.Parse(sentence.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(PValueText.Format(numbers.GetProperty("adjustedPValue").GetDouble()), "p " + sentence.Groups[3].Value);
        var baselineMonthly = numbers.GetProperty("baselineCount").GetDouble() / numbers.GetProperty("baselineMonths").GetDouble();

        // The API's call: what he stopped sending, never more than he sends.
        var calls = await api.GetFromJsonAsync<JsonElement>($"/api/v1/calls?asOf={TodayIso}", ct);
        var house = calls.GetProperty("owners").EnumerateArray().SelectMany(g => g.GetProperty("calls").EnumerateArray())
            .Single(c => c.GetProperty("source").GetProperty("npi").GetString() == HouseNpi);
        var atRisk = house.GetProperty("referralsAtRisk").GetDouble();
        Assert.Equal(usual, house.GetProperty("expectedMonthly").GetDouble());
        Assert.Equal(recent, house.GetProperty("recentMonthly").GetDouble());
        Assert.Equal(Math.Round(usual - recent, 1), atRisk);
        Assert.InRange(atRisk, 0.1, usual);
        Assert.True(atRisk <= baselineMonthly, $"{atRisk} at risk against a baseline of {baselineMonthly:0.00} a month");
        var shown = atRisk.ToString("0.0", CultureInfo.InvariantCulture);

        // The CSV (CLI and page) says the same figure under a header with its unit.
        var cliCsv = await Infrastructure.Cli.RunAsync(app.Database, "calls", "--format", "csv", "--as-of", TodayIso, clock);
        Assert.True(cliCsv.ExitCode == 0, cliCsv.Stderr);
        Assert.Equal((shown, Usual: usual.ToString("0.0", CultureInfo.InvariantCulture)), HouseInCsv(cliCsv.Stdout));

        // The .ics says it with its unit.
        var ics = (await api.GetStringAsync($"/api/v1/calls/ics?asOf={TodayIso}", ct)).Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains($"{shown} referrals/month at risk (usually {usual.ToString("0.0", CultureInfo.InvariantCulture)})", ics, StringComparison.Ordinal);

        using var browser = await app.SignedInClientAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
        var page = new HtmlParser().ParseDocument(await browser.GetStringAsync("/CallList", ct));
        Assert.Contains(page.QuerySelectorAll("table.calls thead th"), th => th.InnerHtml == "Referrals/month<br>at risk");
        var houseId = house.GetProperty("source").GetProperty("id").GetInt32();
        var cell = page.QuerySelector($"table.calls tr[data-source-id='{houseId}'] td[data-at-risk]")!;
        Assert.Equal(shown, cell.GetAttribute("data-at-risk"));
        Assert.StartsWith($"{shown} of {usual.ToString("0.0", CultureInfo.InvariantCulture)} usual", cell.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains(declining.GetProperty("reasons")[0].GetString()!, page.QuerySelector($"table.calls tr[data-source-id='{houseId}']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HouseInCsv(cliCsv.Stdout), HouseInCsv(await browser.GetStringAsync("/CallList?handler=Csv", ct)));
    }

    private static (string AtRisk, string Usual) HouseInCsv(string csv)
    {
        using var reader = CsvDataReader.Create(new StringReader(csv));
        while (reader.Read())
        {
            if (reader.GetString(reader.GetOrdinal("npi")) == HouseNpi)
            {
                return (reader.GetString(reader.GetOrdinal("referralsPerMonthAtRisk")), reader.GetString(reader.GetOrdinal("usualReferralsPerMonth")));
            }
        }
        throw new InvalidOperationException("Dr. House is not on the call list CSV.");
    }
}
