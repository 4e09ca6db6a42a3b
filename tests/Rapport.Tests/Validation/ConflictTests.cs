using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Patients;
using Rapport.Sources;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Validation;

/// <summary>
/// Concurrent creates of the same NPI or external id answered 500 from the unique index (issue 12, item 8).
/// A repeated key is a 409 naming the field and the value, whether the service's check or the database's
/// index (two requests racing past the check) finds it.
/// </summary>
public sealed class ConflictTests
{
    private const int Racers = 8;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Concurrent_creates_of_one_key_make_one_row_and_409s(string database)
    {
        var (app, org, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;
        var npi = ApiTestKit.NextNpi();
        var patientId = await client.CreatePatientAsync("MRN-RACE-0");

        await AssertOneWinsAsync(client, "/api/v1/sources", new { npi, lastName = "House" }, "npi", npi, $"A source with NPI {npi} already exists.");
        await AssertOneWinsAsync(client, "/api/v1/patients", new { externalId = "MRN-RACE", firstName = "Pat", lastName = "Ient" },
            "externalId", "MRN-RACE", "A patient with external id MRN-RACE already exists.");
        await AssertOneWinsAsync(client, "/api/v1/referrals", new { externalId = "REF-RACE", patientId, clinicId = org.ClinicId, receivedOn = ApiTestKit.Today },
            "externalId", "REF-RACE", "A referral with external id REF-RACE already exists.");

        // The same key in another practice is no conflict.
        var other = await app.CreateOrganizationAsync("Other PT");
        using var otherClient = app.ApiClient(other.ApiKey);
        await otherClient.PostCreatedAsync("/api/v1/sources", new { npi, lastName = "House" });
    }

    private static async Task AssertOneWinsAsync(HttpClient client, string path, object body, string field, string value, string message)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => client.SendAsync(HttpMethod.Post, path, body)));
        var statuses = answers.Select(a => (int)a.Status).Order().ToList();
        Assert.True(statuses.Count(s => s == 201) == 1 && statuses.Count(s => s == 409) == Racers - 1, $"{path}: {string.Join(", ", statuses)}");
        foreach (var (_, problem, response) in answers.Where(a => a.Status == HttpStatusCode.Conflict))
        {
            ApiTestKit.AssertProblem(response, HttpStatusCode.Conflict, problem);
            Assert.Equal(message, problem.GetProperty("detail").GetString());
            Assert.Equal(field, problem.GetProperty("field").GetString());
            Assert.Equal(value, problem.GetProperty("value").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }
    }

    /// <summary>The index itself, without the service's check in front: what two racers meet. Translated on both databases.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_unique_index_is_translated_to_a_conflict_naming_field_and_value(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Index PT");
        var npi = ApiTestKit.NextNpi();
        foreach (var attempt in new[] { 1, 2 })
        {
            var write = app.InOrganizationAsync(org.Id, async services =>
            {
                var db = services.GetRequiredService<RapportDbContext>();
                db.Sources.Add(new ReferralSource { LastName = $"House {attempt}", Npi = npi });
                return await db.SaveChangesAsync(Ct);
            });
            if (attempt == 1)
            {
                await write;
                continue;
            }
            var conflict = await Assert.ThrowsAsync<ConflictException>(() => write);
            Assert.Equal("npi", conflict.Field);
            Assert.Equal(npi, conflict.Value);
            Assert.Equal($"A source with NPI {npi} already exists.", conflict.Message);
        }
        var patient = await Assert.ThrowsAsync<ConflictException>(() => app.InOrganizationAsync(org.Id, async services =>
        {
            var db = services.GetRequiredService<RapportDbContext>();
            db.Patients.Add(new Patient { ExternalId = "MRN-1", FirstName = "A", LastName = "B" });
            db.Patients.Add(new Patient { ExternalId = "MRN-1", FirstName = "C", LastName = "D" });
            return await db.SaveChangesAsync(Ct);
        }));
        Assert.Equal(("externalId", "MRN-1"), (patient.Field, patient.Value));
    }

    /// <summary>A page shows the conflict on its field, like any other field problem.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_page_shows_a_repeated_npi_on_the_field(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Form PT");
        var npi = ApiTestKit.NextNpi();
        using var api = app.ApiClient(org.ApiKey);
        await api.CreateSourceAsync(npi: npi);
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var form = await browser.GetStringAsync("/Sources/New", Ct);
        using var response = await browser.PostAsync("/Sources/New", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.LastName"] = "Doppelganger",
            ["Input.Npi"] = npi,
            ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(form),
        }), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"A source with NPI {npi} already exists.", html, StringComparison.Ordinal);
    }
}
