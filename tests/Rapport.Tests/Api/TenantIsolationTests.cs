using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>An API key opens its own organization's rows and nothing else: other ids read as missing.</summary>
public sealed class TenantIsolationTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Another_organizations_rows_are_invisible_and_untouchable(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var orgA = await app.CreateOrganizationAsync("Alpha Rehab");
        var orgB = await app.CreateOrganizationAsync("Bravo Therapy");
        using var a = app.ApiClient(orgA.ApiKey);
        using var b = app.ApiClient(orgB.ApiKey);
        var today = ApiTestKit.Today;

        // The same NPI may exist in both practices: each keeps its own copy of a physician.
        var sharedNpi = ApiTestKit.NextNpi();
        await a.CreateSourceAsync("Cuddy", sharedNpi);
        var bSource = await b.CreateSourceAsync("Wilson", sharedNpi);
        var bPatient = await b.CreatePatientAsync("B-1");
        var bReferral = (await b.PostCreatedAsync("/api/v1/referrals", new { patientId = bPatient, sourceId = bSource, clinicId = orgB.ClinicId, receivedOn = today }))
            .GetProperty("id").GetInt32();
        var bTouch = (await b.PostCreatedAsync("/api/v1/touchpoints", new { sourceId = bSource, occurredOn = today, method = "Email" })).GetProperty("id").GetInt32();
        var bReferBack = (await b.PostCreatedAsync("/api/v1/referbacks", new { toSourceId = bSource, sentOn = today })).GetProperty("id").GetInt32();
        var bSourceBefore = await b.GetOkAsync($"/api/v1/sources/{bSource}");

        var foreign = new (string Path, object Body)[]
        {
            ($"/api/v1/sources/{bSource}", new { lastName = "Hijacked" }),
            ($"/api/v1/patients/{bPatient}", new { externalId = "X", firstName = "Hi", lastName = "Jacked" }),
            ($"/api/v1/referrals/{bReferral}", new { patientId = bPatient, clinicId = orgA.ClinicId, receivedOn = today }),
            ($"/api/v1/touchpoints/{bTouch}", new { sourceId = bSource, occurredOn = today, method = "Phone" }),
            ($"/api/v1/referbacks/{bReferBack}", new { toSourceId = bSource, sentOn = today }),
        };
        foreach (var (path, body) in foreign)
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete })
            {
                var (status, problem, response) = await a.SendAsync(method, path, method == HttpMethod.Put ? body : null);
                Assert.True(status == HttpStatusCode.NotFound, $"{method} {path} with A's key answered {(int)status}: {problem}");
                ApiTestKit.AssertProblem(response, HttpStatusCode.NotFound, problem);
            }
        }
        var (unarchive, _, _) = await a.SendAsync(HttpMethod.Post, $"/api/v1/sources/{bSource}/unarchive");
        Assert.Equal(HttpStatusCode.NotFound, unarchive);
        var (aByNpi, aSource, _) = await a.SendAsync(HttpMethod.Get, $"/api/v1/sources/by-npi/{sharedNpi}");
        Assert.Equal(HttpStatusCode.OK, aByNpi);
        Assert.NotEqual(bSource, aSource.GetProperty("id").GetInt32());

        // B's rows are unchanged, seen through B's key and through the services.
        var bSourceAfter = await b.GetOkAsync($"/api/v1/sources/{bSource}");
        Assert.Equal(bSourceBefore.ToString(), bSourceAfter.ToString());
        Assert.Equal("Ient" + "B-1", (await b.GetOkAsync($"/api/v1/patients/{bPatient}")).GetProperty("lastName").GetString());
        await b.GetOkAsync($"/api/v1/referrals/{bReferral}");
        Assert.Equal("Email", (await b.GetOkAsync($"/api/v1/touchpoints/{bTouch}")).GetProperty("method").GetString());
        await b.GetOkAsync($"/api/v1/referbacks/{bReferBack}");
        var serviceView = await app.InOrganizationAsync(orgB.Id, sp => sp.GetRequiredService<SourceQueries>().SummaryAsync(bSource));
        Assert.NotNull(serviceView);
        Assert.False(serviceView.Archived);
        Assert.Equal("Gregory Wilson, MD", serviceView.Name);

        // A's lists never show B's rows.
        foreach (var list in new[] { "/api/v1/sources?includeArchived=true", "/api/v1/patients?includeArchived=true", "/api/v1/referrals", "/api/v1/touchpoints", "/api/v1/referbacks", "/api/v1/clinics" })
        {
            var page = await a.GetOkAsync(list);
            var expected = list.Contains("sources", StringComparison.Ordinal) || list.Contains("clinics", StringComparison.Ordinal) ? 1 : 0;
            Assert.True(expected == page.GetProperty("total").GetInt32(), $"{list} with A's key: {page}");
        }
        Assert.Equal(orgA.ClinicId, (await a.GetOkAsync("/api/v1/clinics")).GetProperty("items")[0].GetProperty("id").GetInt32());

        // A cannot link its rows to B's: B's ids read as missing fields.
        var (linkStatus, link, linkResponse) = await a.SendAsync(HttpMethod.Post, "/api/v1/referrals",
            new { patientId = bPatient, sourceId = bSource, clinicId = orgB.ClinicId, receivedOn = today });
        Assert.Equal(HttpStatusCode.BadRequest, linkStatus);
        ApiTestKit.AssertProblem(linkResponse, HttpStatusCode.BadRequest, link);
        var errors = link.GetProperty("errors");
        Assert.True(errors.TryGetProperty("patientId", out _) && errors.TryGetProperty("sourceId", out _) && errors.TryGetProperty("clinicId", out _), link.ToString());
        var (touchLink, _, _) = await a.SendAsync(HttpMethod.Post, "/api/v1/touchpoints", new { sourceId = bSource, occurredOn = today, method = "Phone" });
        Assert.Equal(HttpStatusCode.BadRequest, touchLink);
        var (referBackLink, _, _) = await a.SendAsync(HttpMethod.Post, "/api/v1/referbacks", new { toSourceId = bSource, patientId = bPatient, sentOn = today });
        Assert.Equal(HttpStatusCode.BadRequest, referBackLink);
        Assert.Equal(1, (await b.GetOkAsync($"/api/v1/referrals?sourceId={bSource}")).GetProperty("total").GetInt32());
    }
}
