using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Dashboard;

public sealed class DashboardPageTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    /// <summary>Two clinics: Main has two referrals from Dr. Chase (one evaluated after 4 days), North one direct-access referral evaluated after 10.</summary>
    private static async Task<(RapportApp App, TestOrganization Org, int North)> StartAsync(string database)
    {
        var app = await RapportApp.StartAsync(database, b => b.Services.AddSingleton<TimeProvider>(
            new FakeTimeProvider(new DateTimeOffset(Today.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero))));
        var org = await app.CreateOrganizationAsync("Dashboard Practice");
        var north = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var north = await sp.GetRequiredService<OrganizationService>().SaveClinicAsync(null, new ClinicInput { Name = "North" });
            var chase = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput
            {
                Npi = Formats.NpiWithCheckDigit("111111111"), FirstName = "Robert", LastName = "Chase", Credential = "MD",
            });
            var patients = sp.GetRequiredService<PatientService>();
            var referrals = sp.GetRequiredService<ReferralService>();
            for (var i = 0; i < 3; i++)
            {
                var patient = await patients.CreateAsync(new PatientInput { ExternalId = $"MRN{i}", FirstName = "Pat", LastName = $"Ient{i}" });
                await referrals.CreateAsync(i < 2
                    ? new ReferralInput { PatientId = patient.Id, SourceId = chase.Id, ClinicId = org.ClinicId, ReceivedOn = Today.AddMonths(-i - 1), EvaluatedOn = i == 0 ? Today.AddMonths(-1).AddDays(4) : null }
                    : new ReferralInput { PatientId = patient.Id, ClinicId = north.Id, ReceivedOn = Today.AddDays(-20), EvaluatedOn = Today.AddDays(-10), AcquisitionChannel = AcquisitionChannel.WebSearch });
            }
            return north.Id;
        });
        return (app, org, north);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Home_page_shows_the_figures_and_the_clinic_filter_changes_them(string database)
    {
        var (app, org, north) = await StartAsync(database);
        await using var _ = app;
        var client = await app.SignedInClientAsync(org.AdminEmail);

        var all = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("<h1>Dashboard</h1>", all, StringComparison.Ordinal);
        Assert.Equal("3", Tile(all, "received"));
        Assert.Equal("67%", Tile(all, "conversion"));
        Assert.Equal("7", Tile(all, "median-days"));  // lags 4 and 10
        Assert.Contains("Robert Chase, MD</a></td>", all, StringComparison.Ordinal);
        Assert.Contains("id=\"channel-chart\"", all, StringComparison.Ordinal);
        Assert.Contains("/lib/chart.js/chart.umd.min.js", all, StringComparison.Ordinal);

        var northOnly = await client.GetStringAsync($"/?clinicId={north}", TestContext.Current.CancellationToken);
        Assert.Equal("1", Tile(northOnly, "received"));
        Assert.Equal("100%", Tile(northOnly, "conversion"));
        Assert.Equal("10", Tile(northOnly, "median-days"));
        Assert.DoesNotContain("Robert Chase", northOnly.Split("id=\"top-sources\"").ElementAtOrDefault(1) ?? "", StringComparison.Ordinal);

        // A range without the older referral; a bad month is reported, not a crash.
        var lastMonth = await client.GetStringAsync($"/?from={Today.AddMonths(-1):yyyy-MM}&to={Today:yyyy-MM}", TestContext.Current.CancellationToken);
        Assert.Equal("2", Tile(lastMonth, "received"));
        var bad = await client.GetAsync("/?from=2026-13", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("is not a month", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Api_returns_the_same_figures_as_json(string database)
    {
        var (app, org, north) = await StartAsync(database);
        await using var _ = app;
        var client = app.ApiClient(org.ApiKey);

        using var all = JsonDocument.Parse(await client.GetStringAsync("/api/v1/dashboard", TestContext.Current.CancellationToken));
        var root = all.RootElement;
        Assert.Equal(3, root.GetProperty("received").GetInt32());
        Assert.Equal(2, root.GetProperty("evaluated").GetInt32());
        Assert.Equal(7, root.GetProperty("medianDaysToEvaluation").GetDouble());
        Assert.Equal(24, root.GetProperty("months").GetArrayLength());
        Assert.Equal("2024-12-01", root.GetProperty("from").GetString());
        var web = root.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "WebSearch");
        Assert.Equal(1, web.GetProperty("total").GetInt32());
        var top = Assert.Single(root.GetProperty("topSources").EnumerateArray());
        Assert.Equal(("Robert Chase, MD", 2), (top.GetProperty("name").GetString(), top.GetProperty("referrals").GetInt32()));

        using var northOnly = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/dashboard?clinicId={north}&from=2026-11-01&to=2026-11-30", TestContext.Current.CancellationToken));
        Assert.Equal(1, northOnly.RootElement.GetProperty("received").GetInt32());
        Assert.Equal(1, northOnly.RootElement.GetProperty("months").GetArrayLength());

        var backwards = await client.GetAsync("/api/v1/dashboard?from=2026-06-01&to=2026-01-01", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("\"from\"", await backwards.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static string Tile(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"><span class=\"value\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"tile {id} is on the page");
        var valueStart = html.IndexOf('>', html.IndexOf("<span", start, StringComparison.Ordinal)) + 1;
        return html[valueStart..html.IndexOf("</span>", valueStart, StringComparison.Ordinal)];
    }
}
