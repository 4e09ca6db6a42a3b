using System.Net;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class SourcesApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Source_round_trip_create_get_update_list_archive_unarchive(string database)
    {
        var (app, _, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;
        var npi = ApiTestKit.NextNpi();

        var created = await client.PostCreatedAsync("/api/v1/sources", new
        {
            npi, firstName = "Gregory", lastName = "House", credential = "MD", taxonomyCode = "207X00000X",
            phone = "609-555-0100", email = "house@ppth.test", touchCadenceDays = 30, tags = "ortho,hip",
        });
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal(npi, created.GetProperty("npi").GetString());
        Assert.Equal("Gregory House, MD", created.GetProperty("name").GetString());
        Assert.Equal("Active", created.GetProperty("status").GetString());
        Assert.Equal("(609) 555-0100", created.GetProperty("phone").GetString());

        var fetched = await client.GetOkAsync($"/api/v1/sources/{id}");
        foreach (var field in new[] { "id", "npi", "name", "specialty", "status", "activePatients", "referrals90d", "referrals12m", "lastTouchAt",
                     "lastTouchMethod", "daysSinceTouch", "referBacks12m", "lastReferBackAt", "taxonomyCode", "phone", "fax", "email", "addressLine",
                     "practiceName", "ownerUserId", "clinicId", "touchCadenceDays", "tags", "archived", "monthlyReferrals" })
        {
            Assert.True(fetched.TryGetProperty(field, out _), $"GET /sources/{{id}} lacks '{field}': {fetched}");
        }
        Assert.Equal(24, fetched.GetProperty("monthlyReferrals").GetArrayLength());
        Assert.Equal(TestClock.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            fetched.GetProperty("monthlyReferrals")[23].GetProperty("month").GetString());
        Assert.Equal(30, fetched.GetProperty("touchCadenceDays").GetInt32());

        var byNpi = await client.GetOkAsync($"/api/v1/sources/by-npi/{npi}");
        Assert.Equal(id, byNpi.GetProperty("id").GetInt32());

        var (status, updated, _) = await client.SendAsync(HttpMethod.Put, $"/api/v1/sources/{id}",
            new { npi, firstName = "Gregory", lastName = "House", credential = "MD", practiceName = "Princeton-Plainsboro", status = "Dormant" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Princeton-Plainsboro", updated.GetProperty("practiceName").GetString());
        Assert.Equal("Dormant", updated.GetProperty("status").GetString());

        await client.CreateSourceAsync("Wilson");
        var list = await client.GetOkAsync("/api/v1/sources?search=princeton");
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetInt32());
        var sorted = await client.GetOkAsync("/api/v1/sources?sort=name&descending=true&pageSize=1");
        Assert.Equal(2, sorted.GetProperty("total").GetInt32());
        Assert.Equal(1, sorted.GetProperty("pageSize").GetInt32());
        Assert.Equal("Gregory Wilson, MD", sorted.GetProperty("items")[0].GetProperty("name").GetString());
        var secondPage = await client.GetOkAsync("/api/v1/sources?sort=NAME&descending=true&pageSize=1&page=2");
        Assert.Equal(2, secondPage.GetProperty("page").GetInt32());
        Assert.Equal(id, secondPage.GetProperty("items")[0].GetProperty("id").GetInt32());
        var (unknownNpi, _, _) = await client.SendAsync(HttpMethod.Get, $"/api/v1/sources/by-npi/{ApiTestKit.NextNpi()}");
        Assert.Equal(HttpStatusCode.NotFound, unknownNpi);
        Assert.Equal(1, (await client.GetOkAsync("/api/v1/sources?status=dormant")).GetProperty("total").GetInt32());

        var (deleted, _, _) = await client.SendAsync(HttpMethod.Delete, $"/api/v1/sources/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(1, (await client.GetOkAsync("/api/v1/sources")).GetProperty("total").GetInt32());
        Assert.True((await client.GetOkAsync($"/api/v1/sources/{id}")).GetProperty("archived").GetBoolean());
        Assert.Equal(2, (await client.GetOkAsync("/api/v1/sources?includeArchived=true")).GetProperty("total").GetInt32());

        var (unarchived, _, _) = await client.SendAsync(HttpMethod.Post, $"/api/v1/sources/{id}/unarchive");
        Assert.Equal(HttpStatusCode.NoContent, unarchived);
        Assert.False((await client.GetOkAsync($"/api/v1/sources/{id}")).GetProperty("archived").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Referrals_touchpoints_and_refer_backs_move_the_source_metrics(string database)
    {
        var (app, org, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;
        var sourceId = await client.CreateSourceAsync();
        var patientId = await client.CreatePatientAsync("MRN-1");
        var today = ApiTestKit.Today;

        var before = await client.GetOkAsync($"/api/v1/sources/{sourceId}");
        Assert.Equal(0, before.GetProperty("referrals90d").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, before.GetProperty("lastTouchAt").ValueKind);

        var touch = await client.PostCreatedAsync("/api/v1/touchpoints", new { sourceId, occurredOn = today, method = "Phone", purpose = "Check-in" });
        Assert.Equal("Phone", touch.GetProperty("method").GetString());
        var afterTouch = await client.GetOkAsync($"/api/v1/sources/{sourceId}");
        Assert.Equal("Phone", afterTouch.GetProperty("lastTouchMethod").GetString());
        Assert.Equal(today, afterTouch.GetProperty("lastTouchAt").GetString());
        Assert.Equal(0, afterTouch.GetProperty("daysSinceTouch").GetInt32());

        var referral = await client.PostCreatedAsync("/api/v1/referrals", new { patientId, sourceId, clinicId = org.ClinicId, receivedOn = today, payerCategory = "Medicare" });
        Assert.Equal("Received", referral.GetProperty("status").GetString());
        var afterReferral = await client.GetOkAsync($"/api/v1/sources/{sourceId}");
        Assert.Equal(1, afterReferral.GetProperty("referrals90d").GetInt32());
        Assert.Equal(1, afterReferral.GetProperty("referrals12m").GetInt32());
        Assert.Equal(0, afterReferral.GetProperty("activePatients").GetInt32());
        Assert.Equal(1, afterReferral.GetProperty("monthlyReferrals")[23].GetProperty("count").GetInt32());

        var referralId = referral.GetProperty("id").GetInt32();
        var (status, evaluated, _) = await client.SendAsync(HttpMethod.Put, $"/api/v1/referrals/{referralId}",
            new { patientId, sourceId, clinicId = org.ClinicId, receivedOn = today, evaluatedOn = today });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Evaluated", evaluated.GetProperty("status").GetString());
        Assert.Equal(1, (await client.GetOkAsync($"/api/v1/sources/{sourceId}")).GetProperty("activePatients").GetInt32());
        Assert.Equal(1, (await client.GetOkAsync($"/api/v1/patients?activeOnly=true")).GetProperty("total").GetInt32());
        Assert.Equal(1, (await client.GetOkAsync($"/api/v1/referrals?sourceId={sourceId}&status=evaluated&receivedFrom={today}&receivedTo={today}")).GetProperty("total").GetInt32());

        var referBack = await client.PostCreatedAsync("/api/v1/referbacks", new { toSourceId = sourceId, patientId, sentOn = today, reason = "Post-op follow-up" });
        Assert.Equal(sourceId, referBack.GetProperty("toSourceId").GetInt32());
        var afterReferBack = await client.GetOkAsync($"/api/v1/sources/{sourceId}");
        Assert.Equal(1, afterReferBack.GetProperty("referBacks12m").GetInt32());
        Assert.Equal(today, afterReferBack.GetProperty("lastReferBackAt").GetString());

        Assert.Equal(1, (await client.GetOkAsync($"/api/v1/touchpoints?sourceId={sourceId}&method=phone&from={today}")).GetProperty("total").GetInt32());
        Assert.Equal(1, (await client.GetOkAsync($"/api/v1/referbacks?sourceId={sourceId}&patientId={patientId}")).GetProperty("total").GetInt32());
        var clinics = await client.GetOkAsync("/api/v1/clinics");
        Assert.Equal(org.ClinicId, clinics.GetProperty("items")[0].GetProperty("id").GetInt32());

        // Deleting the facts takes the metrics back down.
        foreach (var path in new[] { $"/api/v1/touchpoints/{touch.GetProperty("id").GetInt32()}", $"/api/v1/referrals/{referralId}",
                     $"/api/v1/referbacks/{referBack.GetProperty("id").GetInt32()}" })
        {
            var (deleted, _, _) = await client.SendAsync(HttpMethod.Delete, path);
            Assert.Equal(HttpStatusCode.NoContent, deleted);
            var (gone, _, _) = await client.SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.NotFound, gone);
        }
        var after = await client.GetOkAsync($"/api/v1/sources/{sourceId}");
        Assert.Equal(0, after.GetProperty("referrals90d").GetInt32());
        Assert.Equal(0, after.GetProperty("activePatients").GetInt32());
        Assert.Equal(0, after.GetProperty("referBacks12m").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.GetProperty("lastTouchMethod").ValueKind);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Patient_round_trip_and_archive(string database)
    {
        var (app, _, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;
        var id = await client.CreatePatientAsync("MRN-7");
        var (status, updated, _) = await client.SendAsync(HttpMethod.Put, $"/api/v1/patients/{id}",
            new { externalId = "MRN-7", firstName = "Patricia", lastName = "Ient", acquisitionChannel = "Physician" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Patricia", updated.GetProperty("firstName").GetString());
        Assert.Equal("Physician", updated.GetProperty("acquisitionChannel").GetString());
        Assert.Equal(1, (await client.GetOkAsync("/api/v1/patients?search=patricia")).GetProperty("total").GetInt32());

        var (deleted, _, _) = await client.SendAsync(HttpMethod.Delete, $"/api/v1/patients/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(0, (await client.GetOkAsync("/api/v1/patients")).GetProperty("total").GetInt32());
        Assert.True((await client.GetOkAsync($"/api/v1/patients/{id}")).GetProperty("archived").GetBoolean());
    }
}
