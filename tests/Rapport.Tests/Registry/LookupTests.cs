using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Data;
using Rapport.Imports;
using Rapport.Registry;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Registry;

/// <summary>NPI lookup and autofill (issue 14, item 3): one rule in SourceService, at the API, the import and the CLI.</summary>
public sealed class LookupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_registry_row_maps_onto_a_source_in_the_apps_conventions()
    {
        var fields = RegistryLookup.MapToSource(LookupTestKit.Wiebe("1679576722"));
        Assert.Equal("David", fields.FirstName);
        Assert.Equal("Wiebe", fields.LastName);
        Assert.Equal("MD", fields.Credential);
        Assert.Equal("207X00000X", fields.TaxonomyCode);
        Assert.Equal("Orthopaedic surgery", fields.Specialty);
        Assert.Equal("Orthopaedic Surgery Physician", fields.SpecialtyName);
        Assert.Null(fields.PracticeName);
        Assert.Equal("3500 Central Ave", fields.AddressLine);
        Assert.Equal("Kearney", fields.City);
        Assert.Equal("NE", fields.State);
        Assert.Equal("68847-2944", fields.Zip);
        Assert.Equal("(308) 865-2512", fields.Phone);
        Assert.Equal("(308) 865-2506", fields.Fax);

        var organization = RegistryLookup.MapToSource(new RegistryProvider
        {
            Npi = "1497758544", EntityType = RegistryEntityType.Organization, BusinessName = "CUMBERLAND COUNTY HOSPITAL SYSTEM, INC",
            TaxonomyCode = "251G00000X", AddressLine1 = "3418 VILLAGE DR", AddressLine2 = "SUITE 2", City = "FAYETTEVILLE", State = "NC", PostalCode = "28304",
        });
        Assert.Null(organization.FirstName);
        Assert.Equal("Cumberland County Hospital System, Inc", organization.LastName);
        Assert.Equal(organization.LastName, organization.PracticeName);
        Assert.Null(organization.Credential);
        Assert.Equal("3418 Village Dr, Suite 2", organization.AddressLine);
        Assert.Equal("28304", organization.Zip);
        // A code outside the PT referral catalogue keeps its NUCC name as the specialty.
        Assert.Equal("Community Based Hospice Care Agency", organization.Specialty);
    }

    [Theory]
    [InlineData("M.D.", "MD")]
    [InlineData("M. D.", "MD")]
    [InlineData("D.O.", "DO")]
    [InlineData("md, ph.d.", "MD, PhD")]
    [InlineData("P.A.-C", "PA-C")]
    [InlineData(" MA-CCC ", "MA-CCC")]
    [InlineData("M.D., ABC", "M.D., ABC")]
    public void Credentials_are_tidied_only_when_every_part_is_known(string typed, string expected) =>
        Assert.Equal(expected, RegistryLookup.TidyCredential(typed));

    [Theory]
    [InlineData("2940 N MCCORD RD", "2940 N McCord Rd")]
    [InlineData("425 E 25TH ST", "425 E 25th St")]
    [InlineData("O'NEIL-SMITH", "O'Neil-Smith")]
    [InlineData("68 ROCKLEDGE RD APT 1C", "68 Rockledge Rd Apt 1C")]
    [InlineData("Typed With Care", "Typed With Care")]
    public void Registry_capitals_become_title_case(string registry, string expected) =>
        Assert.Equal(expected, RegistryText.TitleCase(registry));

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_source_posted_with_only_an_npi_is_filled_from_the_registry_and_typed_values_win(string database)
    {
        var (app, _, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;
        var (wiebe, house, gone, missing) = (LookupTestKit.NextNpi(), LookupTestKit.NextNpi(), LookupTestKit.NextNpi(), LookupTestKit.NextNpi());
        var deactivated = new RegistryProvider { Npi = gone, DeactivationDate = new DateOnly(2024, 3, 1), UpdatedAt = TestClock.UtcNow };
        var stale = LookupTestKit.Wiebe(missing);
        stale.MissingSince = new DateOnly(2026, 5, 10);
        await LookupTestKit.AddAsync(app, LookupTestKit.Wiebe(wiebe), LookupTestKit.Wiebe(house), deactivated, stale);

        var created = await client.PostCreatedAsync("/api/v1/sources", new { npi = wiebe });
        Assert.Equal("David Wiebe, MD", created.GetProperty("name").GetString());
        Assert.Equal("Orthopaedic surgery", created.GetProperty("specialty").GetString());
        Assert.Equal("207X00000X", created.GetProperty("taxonomyCode").GetString());
        Assert.Equal("3500 Central Ave", created.GetProperty("addressLine").GetString());
        Assert.Equal("Kearney", created.GetProperty("city").GetString());
        Assert.Equal("NE", created.GetProperty("state").GetString());
        Assert.Equal("68847-2944", created.GetProperty("zip").GetString());
        Assert.Equal("(308) 865-2512", created.GetProperty("phone").GetString());
        Assert.Equal("(308) 865-2506", created.GetProperty("fax").GetString());
        var registry = created.GetProperty("registry");
        Assert.Equal("Found", registry.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, registry.GetProperty("deactivatedOn").ValueKind);
        Assert.Equal(["firstName", "lastName", "credential", "taxonomyCode", "addressLine", "city", "state", "zip", "phone", "fax"],
            registry.GetProperty("filled").EnumerateArray().Select(e => e.GetString()!).ToArray());
        // GET carries no registry object: it is the answer to a save only.
        Assert.False((await client.GetOkAsync($"/api/v1/sources/{created.GetProperty("id").GetInt32()}")).TryGetProperty("registry", out _));

        // What the user typed wins, field by field; a typed specialty keeps the registry's code out.
        var typed = await client.PostCreatedAsync("/api/v1/sources", new { npi = house, lastName = "House", phone = "609-555-0100", specialty = "Sports medicine" });
        Assert.Equal("David House, MD", typed.GetProperty("name").GetString());
        Assert.Equal("(609) 555-0100", typed.GetProperty("phone").GetString());
        Assert.Equal("Sports medicine", typed.GetProperty("specialty").GetString());
        Assert.Equal("(308) 865-2506", typed.GetProperty("fax").GetString());
        Assert.DoesNotContain("lastName", typed.GetProperty("registry").GetProperty("filled").EnumerateArray().Select(e => e.GetString()));

        // A deactivated NPI is allowed, with the date in the answer; its row has nothing to fill.
        var withDeactivated = await client.PostCreatedAsync("/api/v1/sources", new { npi = gone, lastName = "Gone" });
        Assert.Equal("Deactivated", withDeactivated.GetProperty("registry").GetProperty("status").GetString());
        Assert.Equal("2024-03-01", withDeactivated.GetProperty("registry").GetProperty("deactivatedOn").GetString());
        Assert.Contains("deactivated on 2024-03-01", withDeactivated.GetProperty("registry").GetProperty("message").GetString());

        var withMissing = await client.PostCreatedAsync("/api/v1/sources", new { npi = missing });
        Assert.Equal("Missing", withMissing.GetProperty("registry").GetProperty("status").GetString());
        Assert.Equal("2026-05-10", withMissing.GetProperty("registry").GetProperty("missingSince").GetString());
        Assert.Equal("David Wiebe, MD", withMissing.GetProperty("name").GetString());

        // Not in the registry and no name: the error says why the name could not be filled.
        var (status, problem, response) = await client.SendAsync(HttpMethod.Post, "/api/v1/sources", new { npi = LookupTestKit.NextNpi() });
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, problem);
        Assert.Contains("is not in the NPI registry", problem.GetProperty("errors").GetProperty("lastName")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, status);

        // Changing a source's NPI fills its blanks; keeping it does not.
        var id = created.GetProperty("id").GetInt32();
        var (kept, keptBody, _) = await client.SendAsync(HttpMethod.Put, $"/api/v1/sources/{id}", new { npi = wiebe, lastName = "Wiebe" });
        Assert.Equal(HttpStatusCode.OK, kept);
        Assert.Equal(JsonValueKind.Null, keptBody.GetProperty("fax").ValueKind);
        Assert.False(keptBody.TryGetProperty("registry", out _));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_registry_route_shows_the_row_and_the_source_fields(string database)
    {
        var (app, _, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;
        var npi = LookupTestKit.NextNpi();

        var (emptyStatus, empty, emptyResponse) = await client.SendAsync(HttpMethod.Get, $"/api/v1/registry/{npi}");
        ApiTestKit.AssertProblem(emptyResponse, HttpStatusCode.NotFound, empty);
        Assert.Contains("rapport import nppes", empty.GetProperty("detail").GetString());
        Assert.Equal("NoRegistry", empty.GetProperty("registryStatus").GetString());
        Assert.Equal(HttpStatusCode.NotFound, emptyStatus);

        await LookupTestKit.AddAsync(app, LookupTestKit.Wiebe(npi));
        var found = await client.GetOkAsync($"/api/v1/registry/{npi}");
        Assert.Equal("Found", found.GetProperty("status").GetString());
        Assert.Equal("WIEBE", found.GetProperty("provider").GetProperty("lastName").GetString());
        Assert.Equal("Orthopaedic Surgery Physician", found.GetProperty("provider").GetProperty("taxonomyName").GetString());
        Assert.Equal("Individual", found.GetProperty("provider").GetProperty("entityType").GetString());
        Assert.Equal("Wiebe", found.GetProperty("source").GetProperty("lastName").GetString());
        Assert.Equal("68847-2944", found.GetProperty("source").GetProperty("zip").GetString());

        var (unknownStatus, unknown, _) = await client.SendAsync(HttpMethod.Get, $"/api/v1/registry/{LookupTestKit.NextNpi()}");
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.Equal("NotFound", unknown.GetProperty("registryStatus").GetString());
        var (invalidStatus, invalid, _) = await client.SendAsync(HttpMethod.Get, "/api/v1/registry/1234567890");
        Assert.Equal(HttpStatusCode.BadRequest, invalidStatus);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("npi", out _));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_sources_import_fills_new_sources_from_the_registry_and_warns_of_deactivated_npis(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Plains PT");
        var (wiebe, gone, unknown) = (LookupTestKit.NextNpi(), LookupTestKit.NextNpi(), LookupTestKit.NextNpi());
        await LookupTestKit.AddAsync(app, LookupTestKit.Wiebe(wiebe),
            new RegistryProvider { Npi = gone, DeactivationDate = new DateOnly(2024, 3, 1), UpdatedAt = TestClock.UtcNow });

        var csv = $"""
            npi,last_name,phone
            {wiebe},,
            {gone},Gone,
            {unknown},,
            """;
        var result = await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<CsvImporter>()
            .ImportAsync(ImportKind.Sources, new StringReader(csv), "sources.csv", new ImportOptions { SkipInvalid = true }, null, Ct));

        Assert.Equal(2, result.Added);
        var error = Assert.Single(result.Errors);
        Assert.Equal((4, "last_name"), (error.Line, error.Column));
        Assert.Contains("not in the NPI registry", error.Message);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((3, "npi"), (warning.Line, warning.Column));
        Assert.Contains("deactivated on 2024-03-01", warning.Message);

        var filled = await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<RapportDbContext>().Sources.SingleAsync(s => s.Npi == wiebe, Ct));
        Assert.Equal(("David", "Wiebe", "MD", "Orthopaedic surgery", "(308) 865-2506"), (filled.FirstName, filled.LastName, filled.Credential, filled.Specialty, filled.Fax));
    }
}
