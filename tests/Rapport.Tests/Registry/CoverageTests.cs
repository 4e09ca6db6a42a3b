using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Data;
using Rapport.Registry;
using Rapport.Sources;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Registry;

/// <summary>The coverage view (issue 14, item 5): exact counts per clinic and specialty group, the radius edge and the 12-month window.</summary>
public sealed class CoverageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Ortho = "207X00000X";
    private static readonly string Sports = SpecialtyCatalog.FirstOf("Sports medicine").TaxonomyCode;

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Counts_physicians_referring_prospects_and_neither_within_the_radius_and_the_window(string database)
    {
        var (app, org, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;
        var centre = ZipCentroids.Find("68847")!.Value;
        await app.InOrganizationAsync(org.Id, async services =>
        {
            var db = services.GetRequiredService<RapportDbContext>();
            (await db.Clinics.SingleAsync(c => c.Id == org.ClinicId, Ct)).Zip = "68847";
            return await db.SaveChangesAsync(Ct);
        });
        var today = TestClock.Today;
        var since = today.AddMonths(-12);
        var n = Enumerable.Range(0, 11).Select(_ => LookupTestKit.NextNpi()).ToArray();
        var organization = LookupTestKit.Physician(n[5], Ortho, centre, 1);
        organization.EntityType = RegistryEntityType.Organization;
        var deactivated = LookupTestKit.Physician(n[6], Ortho, centre, 1);
        deactivated.DeactivationDate = new DateOnly(2025, 1, 1);
        await LookupTestKit.AddAsync(app,
            LookupTestKit.Physician(n[0], Ortho, centre, 2),       // referring: 3 referrals in the window
            LookupTestKit.Physician(n[1], Ortho, centre, 4.5),     // referring: 1 in the window, 1 older
            LookupTestKit.Physician(n[2], Ortho, centre, 9.99),    // a prospect, just inside 10 miles
            LookupTestKit.Physician(n[3], Ortho, centre, 7),       // not a source
            LookupTestKit.Physician(n[4], Ortho, centre, 10.01),   // referring, but just outside 10 miles
            organization, deactivated,                              // neither counts: not an active individual
            LookupTestKit.Physician(n[7], Sports, centre, 3),      // a source whose only referral is a day before the window
            LookupTestKit.Physician(n[8], Sports, centre, 3),      // referral exactly 12 months ago: outside the window
            LookupTestKit.Physician(n[9], Sports, centre, 3));     // referral on the window's first day: referring

        async Task<int> SourceAsync(string npi, string status = "Active") =>
            (await client.PostCreatedAsync("/api/v1/sources", new { npi, lastName = "Doe", status })).GetProperty("id").GetInt32();
        var patients = 0;
        async Task ReferAsync(int sourceId, DateOnly receivedOn)
        {
            var patient = await client.CreatePatientAsync($"P{++patients}");
            await client.PostCreatedAsync("/api/v1/referrals", new { patientId = patient, sourceId, clinicId = org.ClinicId, receivedOn = receivedOn.ToString("yyyy-MM-dd") });
        }
        var o1 = await SourceAsync(n[0]);
        await ReferAsync(o1, today);
        await ReferAsync(o1, today.AddDays(-30));
        await ReferAsync(o1, since.AddDays(1));
        var o2 = await SourceAsync(n[1]);
        await ReferAsync(o2, today.AddDays(-100));
        await ReferAsync(o2, since.AddDays(-20));
        await SourceAsync(n[2], "Prospect");
        await ReferAsync(await SourceAsync(n[4]), today);
        await ReferAsync(await SourceAsync(n[7]), since.AddDays(-1));
        await ReferAsync(await SourceAsync(n[8]), since);
        await ReferAsync(await SourceAsync(n[9]), since.AddDays(1));

        var report = await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<CoverageService>().ReportAsync(null, null, Ct));
        Assert.Equal(10, report.RadiusMiles);
        Assert.Equal(since, report.ReferralsFrom);
        Assert.True(report.RegistryImported);
        var clinic = Assert.Single(report.Clinics);
        Assert.True(clinic.Located);
        Assert.Equal(SpecialtyCatalog.Categories.Count, clinic.Rows.Count);
        var ortho = clinic.Rows.Single(r => r.Group == "Orthopaedic surgery");
        Assert.Equal(new CoverageRow("Orthopaedic surgery", 4, 2, 1, 1, 1, 4, 2.0, 0.5), ortho);
        var sports = clinic.Rows.Single(r => r.Group == "Sports medicine");
        Assert.Equal(new CoverageRow("Sports medicine", 3, 1, 0, 2, 0, 1, 1.0, 0.333), sports);
        // Under-served first: most physicians not yet sources, then fewest referring.
        Assert.Equal("Orthopaedic surgery", clinic.Rows[0].Group);
        Assert.Equal("Sports medicine", clinic.Rows[^1].Group);
        Assert.All(clinic.Rows.Where(r => r.Group is not "Orthopaedic surgery" and not "Sports medicine"), r => Assert.Equal(0, r.Physicians));

        // A wider radius takes the physician at 10.01 miles in; a narrower one leaves the prospect at 9.99 out.
        var wide = (await client.GetOkAsync("/api/v1/coverage?radius=10.02")).GetProperty("clinics")[0].GetProperty("rows")
            .EnumerateArray().Single(r => r.GetProperty("group").GetString() == "Orthopaedic surgery");
        Assert.Equal((5, 3, 5), (wide.GetProperty("physicians").GetInt32(), wide.GetProperty("referring").GetInt32(), wide.GetProperty("referrals12m").GetInt32()));
        var narrow = (await client.GetOkAsync($"/api/v1/coverage?clinicId={org.ClinicId}&radius=9.98")).GetProperty("clinics")[0].GetProperty("rows")
            .EnumerateArray().Single(r => r.GetProperty("group").GetString() == "Orthopaedic surgery");
        Assert.Equal((3, 0), (narrow.GetProperty("physicians").GetInt32(), narrow.GetProperty("prospects").GetInt32()));

        var (badRadius, problem, response) = await client.SendAsync(HttpMethod.Get, "/api/v1/coverage?radius=0");
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, problem);
        Assert.Equal(HttpStatusCode.BadRequest, badRadius);
        var (unknownClinic, _, _) = await client.SendAsync(HttpMethod.Get, "/api/v1/coverage?clinicId=999999");
        Assert.Equal(HttpStatusCode.NotFound, unknownClinic);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_clinic_without_a_known_zip_says_so_and_the_page_links_each_niche_to_its_prospects(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Plains PT");
        var centre = ZipCentroids.Find("68847")!.Value;
        await LookupTestKit.AddAsync(app, LookupTestKit.Physician(LookupTestKit.NextNpi(), Ortho, centre, 1));
        var located = await app.InOrganizationAsync(org.Id, async services =>
        {
            var db = services.GetRequiredService<RapportDbContext>();
            db.Clinics.Add(new Rapport.Organizations.Clinic { Name = "Unmapped", Zip = "00000" });
            (await db.Clinics.SingleAsync(c => c.Id == org.ClinicId, Ct)).Zip = "68847";
            await db.SaveChangesAsync(Ct);
            return await services.GetRequiredService<CoverageService>().ReportAsync(null, 25, Ct);
        });
        var unmapped = located.Clinics.Single(c => c.ClinicName == "Unmapped");
        Assert.False(unmapped.Located);
        Assert.Empty(unmapped.Rows);
        Assert.Contains("00000", unmapped.Note);

        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var html = await browser.GetStringAsync($"/Coverage?clinic={org.ClinicId}&radius=25", Ct);
        Assert.Contains($"href=\"/Prospects?clinic={org.ClinicId}&amp;specialty=Orthopaedic%20surgery&amp;radius=25\"", html);
        Assert.Contains("data-col=\"physicians\" data-label=\"Physicians\" class=\"num\">1</td>", html);
        Assert.DoesNotContain("has no Census ZIP code area", html);
        var all = await browser.GetStringAsync("/Coverage", Ct);
        Assert.Contains("has no Census ZIP code area", all);
        Assert.Contains(CoverageService.SortRule, all);
        Assert.Contains("href=\"/Coverage\"", await browser.GetStringAsync("/Reports/Sources", Ct));
    }
}
