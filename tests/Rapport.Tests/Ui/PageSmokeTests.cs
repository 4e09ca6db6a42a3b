using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Demo;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

/// <summary>Every page a user reaches from the menu opens on the demo practice, bare, without an error or a stray validation message.</summary>
public sealed class PageSmokeTests
{
    private static readonly string[] Pages =
    [
        "/", "/Sources", "/Sources/New", "/Patients", "/Referrals/New", "/Touchpoints/New", "/Touchpoints", "/ReferBacks/New",
        "/Alerts", "/CallList", "/Outcomes", "/Outcomes/Score", "/Nps", "/Nps/FollowUps",
        "/Settings/Clinics", "/Settings/Users", "/Settings/ApiKeys", "/Settings/Audit", "/Settings/Alerts",
        "/ReportCards", "/Settings/ReportCards", "/Settings/Templates", "/Settings/Templates/report-card-intro",
    ];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Menu_pages_open_cleanly_on_the_demo_practice(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, TestContext.Current.CancellationToken);
        }
        using var browser = await app.SignedInClientAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
        foreach (var path in Pages)
        {
            using var response = await browser.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.False(html.Contains("field is required", StringComparison.Ordinal), $"{path} shows a validation message before any input");
        }
    }
}
