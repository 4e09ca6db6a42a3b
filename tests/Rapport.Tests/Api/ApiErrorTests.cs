using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.ApiKeys;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class ApiErrorTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Bad_input_answers_400_problem_naming_the_field(string database)
    {
        var (app, org, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;

        var (_, badNpi, response) = await client.SendAsync(HttpMethod.Post, "/api/v1/sources", new { npi = "1234567890", lastName = "House" });
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, badNpi);
        Assert.Contains("not a valid NPI", badNpi.GetProperty("errors").GetProperty("npi")[0].GetString(), StringComparison.Ordinal);

        var sourceId = await client.CreateSourceAsync();
        var patientId = await client.CreatePatientAsync("MRN-1");
        var tomorrow = TestClock.Today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (_, future, futureResponse) = await client.SendAsync(HttpMethod.Post, "/api/v1/referrals",
            new { patientId, sourceId, clinicId = org.ClinicId, receivedOn = tomorrow });
        ApiTestKit.AssertProblem(futureResponse, HttpStatusCode.BadRequest, future);
        Assert.True(future.GetProperty("errors").TryGetProperty("receivedOn", out _), future.ToString());

        var (_, badEnum, enumResponse) = await client.SendAsync(HttpMethod.Post, "/api/v1/touchpoints",
            $$"""{"sourceId":{{sourceId}},"occurredOn":"{{ApiTestKit.Today}}","method":"Pigeon"}""");
        ApiTestKit.AssertProblem(enumResponse, HttpStatusCode.BadRequest, badEnum);
        Assert.Contains("InPerson", badEnum.GetProperty("errors").GetProperty("method")[0].GetString(), StringComparison.Ordinal);

        var (_, malformed, malformedResponse) = await client.SendAsync(HttpMethod.Post, "/api/v1/sources", "{\"lastName\": ");
        ApiTestKit.AssertProblem(malformedResponse, HttpStatusCode.BadRequest, malformed);
        Assert.Contains("not valid JSON", malformed.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (_, badSort, sortResponse) = await client.SendAsync(HttpMethod.Get, "/api/v1/sources?sort=Charm");
        ApiTestKit.AssertProblem(sortResponse, HttpStatusCode.BadRequest, badSort);
        Assert.True(badSort.GetProperty("errors").TryGetProperty("sort", out _), badSort.ToString());

        var (_, badDate, dateResponse) = await client.SendAsync(HttpMethod.Get, "/api/v1/referrals?receivedFrom=yesterday");
        ApiTestKit.AssertProblem(dateResponse, HttpStatusCode.BadRequest, badDate);

        var (_, missing, missingResponse) = await client.SendAsync(HttpMethod.Get, "/api/v1/sources/999999");
        ApiTestKit.AssertProblem(missingResponse, HttpStatusCode.NotFound, missing);
        var (_, missingPut, missingPutResponse) = await client.SendAsync(HttpMethod.Put, "/api/v1/sources/999999", new { lastName = "Nobody" });
        ApiTestKit.AssertProblem(missingPutResponse, HttpStatusCode.NotFound, missingPut);
        var (_, noRoute, noRouteResponse) = await client.SendAsync(HttpMethod.Get, "/api/v1/nothing-here");
        ApiTestKit.AssertProblem(noRouteResponse, HttpStatusCode.NotFound, noRoute);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Missing_wrong_or_revoked_key_answers_401(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Summit Physical Therapy");

        using var anonymous = app.AnonymousClient();
        var (_, noKey, noKeyResponse) = await anonymous.SendAsync(HttpMethod.Get, "/api/v1/sources");
        ApiTestKit.AssertProblem(noKeyResponse, HttpStatusCode.Unauthorized, noKey);

        using var wrong = app.ApiClient("rk_" + new string('0', 64));
        var (_, wrongKey, wrongResponse) = await wrong.SendAsync(HttpMethod.Get, "/api/v1/sources");
        ApiTestKit.AssertProblem(wrongResponse, HttpStatusCode.Unauthorized, wrongKey);

        using var valid = app.ApiClient(org.ApiKey);
        await valid.GetOkAsync("/api/v1/sources");
        await app.InOrganizationAsync(org.Id, async services =>
        {
            var keys = services.GetRequiredService<ApiKeyService>();
            foreach (var key in await keys.ListAsync())
            {
                await keys.RevokeAsync(key.Id);
            }
            return 0;
        });
        var (revoked, _, _) = await valid.SendAsync(HttpMethod.Get, "/api/v1/sources");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked);
        var (revokedPost, _, _) = await valid.SendAsync(HttpMethod.Post, "/api/v1/sources", new { lastName = "House" });
        Assert.Equal(HttpStatusCode.Unauthorized, revokedPost);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task OpenApi_document_is_served_and_lists_the_resources(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        using var client = app.AnonymousClient();
        var document = await client.GetOkAsync("/api/v1/openapi.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/sources", "/api/v1/sources/{id}", "/api/v1/sources/by-npi/{npi}", "/api/v1/patients",
                     "/api/v1/referrals", "/api/v1/touchpoints", "/api/v1/referbacks", "/api/v1/clinics" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }
        var delete = paths.GetProperty("/api/v1/sources/{id}").GetProperty("delete");
        Assert.Contains("never hard-deleted", delete.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }
}
