using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Rapport.Tests.Campaigns;

/// <summary>The same hand-computed figures of <see cref="CampaignHistory"/> at every door: page, API JSON, PDF (page and API) and CLI.</summary>
public sealed class CampaignResultsDoorsTests
{
    private static readonly string[] SameEverywhere = ["$377.75", "$1,964.00", "$188.88", "$94.44", "$5.20", "Ann Adams, MD", "Ben Brown, MD"];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Page_api_pdf_and_cli_show_the_same_numbers(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Campaign PT");
        var ids = await CampaignHistory.SeedAsync(app, org);
        using var api = app.ApiClient(org.ApiKey);

        var json = await api.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{ids.Fair}/results", ct);
        Assert.Equal(377.75m, json.GetProperty("actualCost").GetDecimal());
        Assert.Equal(1964.00m, json.GetProperty("estimatedRevenue").GetDecimal());
        Assert.Equal(188.88m, json.GetProperty("costPerNewReferringSource").GetDecimal());
        Assert.Equal(94.44m, json.GetProperty("costPerAttributedReferral").GetDecimal());
        Assert.Equal(5.20m, json.GetProperty("returnOnSpend").GetDecimal());
        Assert.Equal(4, json.GetProperty("referralsAttributed").GetInt32());
        Assert.Equal(90, json.GetProperty("attributionWindowDays").GetInt32());
        Assert.Equal(1, json.GetProperty("comparison").GetProperty("comparison").GetProperty("sources").GetInt32());
        Assert.Equal(4, json.GetProperty("visitsWithoutRate")[0].GetProperty("visits").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/campaigns/999999/results", ct)).StatusCode);

        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        var html = WebUtility.HtmlDecode(await admin.GetStringAsync($"/Campaigns/{ids.Fair}", ct));
        foreach (var figure in SameEverywhere)
        {
            Assert.Contains(figure, html, StringComparison.Ordinal);
        }
        Assert.Contains("at most 90 days before", html, StringComparison.Ordinal);
        Assert.Contains("Too small to compare", html, StringComparison.Ordinal);
        Assert.Contains("3 of 3 sources, 100% (95% CI 44–100%)", html, StringComparison.Ordinal);
        // Sources are named, patients never: the page holds no patient data.
        Assert.DoesNotContain("Campaign1", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/Campaigns/999999", ct)).StatusCode);

        foreach (var pdf in new[] { await api.GetByteArrayAsync($"/api/v1/campaigns/{ids.Fair}/results.pdf", ct), await admin.GetByteArrayAsync($"/Campaigns/{ids.Fair}/Pdf", ct) })
        {
            using var document = PdfDocument.Open(pdf);
            Assert.Equal(1, document.NumberOfPages);
            var text = string.Join(" ", document.GetPage(1).GetWords().Select(w => w.Text));
            foreach (var figure in SameEverywhere)
            {
                Assert.Contains(figure, text, StringComparison.Ordinal);
            }
            Assert.Contains("$5.20 back per $1", text, StringComparison.Ordinal);
            Assert.Contains("Self-pay 4", text, StringComparison.Ordinal);
        }

        var show = await Infrastructure.Cli.RunAsync(app.Database, "campaigns", "show", "spring health fair");
        Assert.True(show.ExitCode == 0, show.Stderr);
        foreach (var figure in SameEverywhere)
        {
            Assert.Contains(figure, show.Stdout, StringComparison.Ordinal);
        }
        var showJson = await Infrastructure.Cli.RunAsync(app.Database, "campaigns", "show", ids.Fair.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "json");
        Assert.Equal(5.20m, JsonDocument.Parse(showJson.Stdout).RootElement.GetProperty("returnOnSpend").GetDecimal());
        var csv = await Infrastructure.Cli.RunAsync(app.Database, "campaigns", "show", "Spring Health Fair", "--format", "csv");
        Assert.Contains("Cost per attributed referral,$94.44", csv.Stdout, StringComparison.Ordinal);
        var list = await Infrastructure.Cli.RunAsync(app.Database, "campaigns", "list", "--kind", "health-fair", "--year", "2026", "--format", "json");
        var row = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray());
        Assert.Equal((377.75m, 2, 4), (row.GetProperty("actualCost").GetDecimal(), row.GetProperty("newReferringSources").GetInt32(), row.GetProperty("referralsAttributed").GetInt32()));
        var listCsv = await Infrastructure.Cli.RunAsync(app.Database, "campaigns", "list", "--format", "csv");
        Assert.Contains("Spring Health Fair,HealthFair,2026-01-15,2026-01-15,,500.00,377.75,3,2,4,1964.00,5.20,no", listCsv.Stdout, StringComparison.Ordinal);
        var unknown = await Infrastructure.Cli.RunAsync(app.Database, "campaigns", "show", "Autumn Fair");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("No campaign is named \"Autumn Fair\"", unknown.Stdout + unknown.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_window_is_set_through_the_api_and_the_settings_page(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Campaign PT");
        var ids = await CampaignHistory.SeedAsync(app, org);
        using var api = app.ApiClient(org.ApiKey);

        Assert.Equal(90, (await api.GetOkAsync("/api/v1/settings/campaigns")).GetProperty("attributionWindowDays").GetInt32());
        var (status, body, _) = await api.SendAsync(HttpMethod.Put, "/api/v1/settings/campaigns", new { attributionWindowDays = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("attributionWindowDays", out _), body.ToString());
        (status, body, _) = await api.SendAsync(HttpMethod.Put, "/api/v1/settings/campaigns", new { attributionWindowDays = 130 });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(130, body.GetProperty("attributionWindowDays").GetInt32());
        Assert.Equal(5, (await api.GetOkAsync($"/api/v1/campaigns/{ids.Fair}/results")).GetProperty("referralsAttributed").GetInt32());

        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        var page = await admin.GetStringAsync("/Settings/Campaigns", ct);
        Assert.Contains("value=\"130\"", page, StringComparison.Ordinal);
        using var saved = await admin.PostAsync("/Settings/Campaigns", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["AttributionWindowDays"] = "60", ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(page),
        }), ct);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(60, (await api.GetOkAsync("/api/v1/settings/campaigns")).GetProperty("attributionWindowDays").GetInt32());
        var refused = await admin.PostAsync("/Settings/Campaigns", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["AttributionWindowDays"] = "800", ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(await admin.GetStringAsync("/Settings/Campaigns", ct)),
        }), ct);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("from 1 to 730", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}
