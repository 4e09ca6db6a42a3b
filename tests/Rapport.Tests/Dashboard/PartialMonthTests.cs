using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.ReportCards;
using Rapport.Touchpoints;

namespace Rapport.Tests.Dashboard;

/// <summary>
/// On 2 December the month has barely begun: the dashboard, the source page, the API and the report
/// cards show December as "to date" and compare it only with the same days of November.
/// </summary>
public sealed partial class PartialMonthTests
{
    /// <summary>The 2nd of the month, in the afternoon (UTC, the test practice's zone).</summary>
    public static readonly DateTimeOffset SecondOfDecember = new(2026, 12, 2, 17, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 12, 2);

    /// <summary>
    /// Dr. Chase sends 5 referrals in each of the 23 complete months and 1 so far in December; Dr. Foreman
    /// 3 a month and none yet in December; one web-search patient came on 2 Nov. Touches: 2 on 1–2 Dec, 3 on 1–2 Nov and 6 later in November.
    /// Refer-backs: 1 on 2 Dec, 2 on 1–2 Nov, 4 later in November.
    /// </summary>
    internal static async Task<(RapportApp App, TestOrganization Org, int Chase)> StartAsync(string database)
    {
        var app = await RapportApp.StartAsync(database, now: SecondOfDecember);
        var org = await app.CreateOrganizationAsync("Partial Practice");
        var chase = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var sources = sp.GetRequiredService<SourceService>();
            var chase = await sources.CreateAsync(new SourceInput { Npi = Formats.NpiWithCheckDigit("111111111"), FirstName = "Robert", LastName = "Chase", Credential = "MD" });
            var foreman = await sources.CreateAsync(new SourceInput { Npi = Formats.NpiWithCheckDigit("222222222"), FirstName = "Eric", LastName = "Foreman", Credential = "MD" });
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "MRN1", FirstName = "Pat", LastName = "Ient" });
            var referrals = sp.GetRequiredService<ReferralService>();
            for (var back = 1; back <= 23; back++)
            {
                var month = new DateOnly(2026, 12, 1).AddMonths(-back);
                for (var i = 0; i < 5; i++)
                {
                    await referrals.CreateAsync(new ReferralInput { PatientId = patient.Id, SourceId = chase.Id, ClinicId = org.ClinicId, ReceivedOn = month.AddDays(3 + i) });
                }
                for (var i = 0; i < 3; i++)
                {
                    await referrals.CreateAsync(new ReferralInput { PatientId = patient.Id, SourceId = foreman.Id, ClinicId = org.ClinicId, ReceivedOn = month.AddDays(10 + i) });
                }
            }
            await referrals.CreateAsync(new ReferralInput { PatientId = patient.Id, SourceId = chase.Id, ClinicId = org.ClinicId, ReceivedOn = Today.AddDays(-1) });
            // The sources' referrals fall after the 3rd of each month; one direct-access referral on 2 Nov is the one to compare with.
            await referrals.CreateAsync(new ReferralInput { PatientId = patient.Id, ClinicId = org.ClinicId, ReceivedOn = new DateOnly(2026, 11, 2), AcquisitionChannel = AcquisitionChannel.WebSearch });

            var touches = sp.GetRequiredService<TouchpointService>();
            foreach (var (day, count) in new[] { (new DateOnly(2026, 12, 1), 1), (Today, 1), (new DateOnly(2026, 11, 1), 2), (new DateOnly(2026, 11, 2), 1), (new DateOnly(2026, 11, 20), 6) })
            {
                for (var i = 0; i < count; i++)
                {
                    await touches.CreateAsync(new TouchpointInput { SourceId = chase.Id, OccurredOn = day, Method = TouchMethod.Phone });
                }
            }
            var referBacks = sp.GetRequiredService<ReferBackService>();
            foreach (var (day, count) in new[] { (Today, 1), (new DateOnly(2026, 11, 2), 2), (new DateOnly(2026, 11, 15), 4) })
            {
                for (var i = 0; i < count; i++)
                {
                    await referBacks.CreateAsync(new ReferBackInput { ToSourceId = chase.Id, SentOn = day });
                }
            }
            return chase.Id;
        });
        return (app, org, chase);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Dashboard_on_the_2nd_marks_December_to_date_says_so_far_and_no_sparkline_ends_on_it(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, org, _) = await StartAsync(database);
        await using var _app = app;
        var client = await app.SignedInClientAsync(org.AdminEmail);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/", ct));

        // Tiles: "so far in December", each beside the same days of November.
        Assert.Equal(("1", "referrals received so far in December", "1–2 Nov: 1"), Tile(html, "referrals-month"));
        Assert.Equal(("2", "touches so far in December", "1–2 Nov: 3"), Tile(html, "touches-month"));
        Assert.Equal(("1", "refer-backs so far in December", "1–2 Nov: 2"), Tile(html, "referbacks-month"));
        Assert.DoesNotContain("touches in December", html, StringComparison.Ordinal);
        Assert.Contains("compared with the same days of last month (1–2 Dec against 1–2 Nov)", html, StringComparison.Ordinal);
        Assert.Contains("referrals received, Jan 2025 – Dec 2026 (to 2nd)</span>", html, StringComparison.Ordinal);

        // The chart's table and data: December is the one partial month, labelled "to 2nd" and drawn hatched.
        Assert.Single(PartialRows().Matches(html));
        Assert.Contains("<tr class=\"partial\"><td class=\"nowrap\">Dec 2026 (to 2nd)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td class=\"nowrap\">Nov 2026</td>", html, StringComparison.Ordinal);
        Assert.Contains("Hatched: <strong>Dec 2026 (to 2nd)</strong>", html, StringComparison.Ordinal);
        using var chartData = JsonDocument.Parse(Regex.Match(html, "<script type=\"application/json\" id=\"dashboard-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value);
        Assert.Equal(23, chartData.RootElement.GetProperty("partialIndex").GetInt32());
        var labels = chartData.RootElement.GetProperty("months").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Equal("Dec 2026 (to 2nd)", labels[^1]);
        Assert.Equal("Nov 2026", labels[^2]);

        Assert.Contains("<th>Trend <span class=\"th-note\">○ Dec to 2nd</span></th>", html, StringComparison.Ordinal);
        // Every sparkline's line ends at November (x = 120 × 22/23); December is a hollow dot at the end.
        var sparklines = Sparklines().Matches(html);
        Assert.Equal(2, sparklines.Count);
        foreach (Match sparkline in sparklines)
        {
            var points = PolylinePoints().Match(sparkline.Value).Groups[1].Value.Split(' ');
            Assert.Equal(23, points.Length);
            Assert.Equal((120.0 * 22 / 23).ToString("0.#", CultureInfo.InvariantCulture), points[^1].Split(',')[0]);
            Assert.Matches("<circle class=\"partial\" cx=\"120\" cy=\"[0-9.]+\" r=\"2.5\"><title>Dec 2026 \\(to 2nd\\): [0-9]+ so far</title></circle>", sparkline.Value);
        }
        // Chase's line is flat at his steady 5 a month, not plunging to December's 1.
        var chase = sparklines.Cast<Match>().Single(m => m.Value.Contains("Robert Chase", StringComparison.Ordinal)).Value;
        Assert.Single(PolylinePoints().Match(chase).Groups[1].Value.Split(' ').Select(p => p.Split(',')[1]).Distinct());

        // A range that ends with November has no partial month.
        var november = WebUtility.HtmlDecode(await client.GetStringAsync("/?from=2026-01&to=2026-11", ct));
        Assert.Empty(PartialRows().Matches(november));
        Assert.DoesNotContain("id=\"partial-note\"", november, StringComparison.Ordinal);
        Assert.DoesNotContain("<circle class=\"partial\"", november, StringComparison.Ordinal);
        Assert.Contains("referrals received, Jan 2026 – Nov 2026</span>", november, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Api_marks_only_the_current_month_partial_in_the_dashboard_and_the_source(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, org, chase) = await StartAsync(database);
        await using var _app = app;
        using var api = app.ApiClient(org.ApiKey);

        var dashboard = await api.GetFromJsonAsync<JsonElement>("/api/v1/dashboard", ct);
        Assert.Equal(24, dashboard.GetProperty("months").GetArrayLength());
        var periods = dashboard.GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(24, periods.Count);
        Assert.Equal(["2026-12-01"], periods.Where(p => p.GetProperty("partial").GetBoolean()).Select(p => p.GetProperty("month").GetString()));
        Assert.Equal("2026-12-02", periods[^1].GetProperty("through").GetString());
        Assert.Equal("2026-11-30", periods[^2].GetProperty("through").GetString());
        Assert.Equal(dashboard.GetProperty("months").EnumerateArray().Select(m => m.GetString()), periods.Select(p => p.GetProperty("month").GetString()));
        var monthToDate = dashboard.GetProperty("monthToDate");
        Assert.Equal(("2026-12-02", "2026-11-01", "2026-11-02"),
            (monthToDate.GetProperty("through").GetString(), monthToDate.GetProperty("previousFrom").GetString(), monthToDate.GetProperty("previousThrough").GetString()));
        Assert.Equal((1, 1, 2, 3, 1, 2),
            (monthToDate.GetProperty("referrals").GetInt32(), monthToDate.GetProperty("previousReferrals").GetInt32(),
             monthToDate.GetProperty("touches").GetInt32(), monthToDate.GetProperty("previousTouches").GetInt32(),
             monthToDate.GetProperty("referBacks").GetInt32(), monthToDate.GetProperty("previousReferBacks").GetInt32()));
        // The existing fields are kept.
        Assert.Equal(2, dashboard.GetProperty("touchesThisMonth")[0].GetProperty("touches").GetInt32());
        Assert.Equal(1, dashboard.GetProperty("referBacksThisMonth").GetInt32());

        var past = await api.GetFromJsonAsync<JsonElement>("/api/v1/dashboard?from=2026-01-01&to=2026-11-30", ct);
        Assert.All(past.GetProperty("periods").EnumerateArray(), p => Assert.False(p.GetProperty("partial").GetBoolean()));

        var source = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{chase}", ct);
        var months = source.GetProperty("monthlyReferrals").EnumerateArray().ToList();
        Assert.Equal(24, months.Count);
        Assert.Equal(["2026-12"], months.Where(m => m.GetProperty("partial").GetBoolean()).Select(m => m.GetProperty("month").GetString()));
        Assert.Equal((1, 5), (months[^1].GetProperty("count").GetInt32(), months[^2].GetProperty("count").GetInt32()));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Source_page_chart_hatches_the_current_month_and_labels_it_to_date(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, org, chase) = await StartAsync(database);
        await using var _app = app;
        var client = await app.SignedInClientAsync(org.AdminEmail);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/Sources/{chase}", ct));

        Assert.Contains("<pattern id=\"partial-hatch\"", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "class=\"bar partial\""));
        Assert.Equal(23, Regex.Count(html, "class=\"bar\""));
        Assert.Contains("<title>Dec 2026 (to 2nd): 1 so far</title>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"year partial\">to 2nd</text>", html, StringComparison.Ordinal);
        Assert.Contains("Hatched: <strong>Dec 2026 (to 2nd)</strong>, the month so far, not a complete month.", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Report_card_for_a_period_that_is_not_over_is_labelled_to_date(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, org, chase) = await StartAsync(database);
        await using var _app = app;
        using var api = app.ApiClient(org.ApiKey);

        // The default, the last 12 months, ends today.
        var lastYear = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{chase}/report-card", ct);
        Assert.True(lastYear.GetProperty("partial").GetBoolean());
        Assert.Equal("3 Dec 2025 – 2 Dec 2026 (to date)", lastYear.GetProperty("periodText").GetString());
        Assert.Contains("This period is not over", lastYear.GetProperty("partialNote").GetString(), StringComparison.Ordinal);
        // A quarter that runs past today.
        var quarter = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{chase}/report-card?from=2026-10-01&to=2026-12-31", ct);
        Assert.Equal("1 Oct 2026 – 31 Dec 2026 (to date: 2 Dec 2026)", quarter.GetProperty("periodText").GetString());
        // A period that is over is not labelled.
        var november = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{chase}/report-card?from=2026-11-01&to=2026-11-30", ct);
        Assert.False(november.GetProperty("partial").GetBoolean());
        Assert.Equal("1 Nov 2026 – 30 Nov 2026", november.GetProperty("periodText").GetString());
        Assert.Equal(JsonValueKind.Null, november.GetProperty("partialNote").ValueKind);

        var pdf = await api.GetByteArrayAsync($"/api/v1/sources/{chase}/report-card.pdf?from=2026-10-01&to=2026-12-31", ct);
        var text = ReportCardTests.PdfText(pdf, out _);
        Assert.Contains("(to date: 2 Dec 2026)", text, StringComparison.Ordinal);
        Assert.Contains("This period is not over: its figures run to 2 December 2026 (to date)", text, StringComparison.Ordinal);
        var complete = ReportCardTests.PdfText(await api.GetByteArrayAsync($"/api/v1/sources/{chase}/report-card.pdf?from=2026-11-01&to=2026-11-30", ct), out _);
        Assert.DoesNotContain("to date", complete, StringComparison.Ordinal);
    }

    private static (string Value, string Label, string Compare) Tile(string html, string id)
    {
        var match = Regex.Match(html, $"<div class=\"tile\" id=\"{id}\"><span class=\"value\">([^<]*)</span><span class=\"label\">([^<]*)</span><span class=\"compare\"[^>]*>([^<]*)</span></div>");
        Assert.True(match.Success, $"tile {id} is on the page");
        return (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
    }

    [GeneratedRegex("<tr class=\"partial\">")]
    private static partial Regex PartialRows();

    [GeneratedRegex("<svg class=\"sparkline\".*?</svg>", RegexOptions.Singleline)]
    private static partial Regex Sparklines();

    [GeneratedRegex("<polyline points=\"([^\"]*)\"")]
    private static partial Regex PolylinePoints();
}
