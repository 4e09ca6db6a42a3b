using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Sources;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Validation;

/// <summary>
/// The probe's hostile inputs (issue 12, item 2) were stored on SQLite and answered 500 on PostgreSQL.
/// Each is a 400 naming the field at the API door, nothing is stored, and the same rules hold for a
/// C# caller (the services' checks) and for any code that writes an entity directly (the SaveChanges backstop).
/// </summary>
public sealed class FieldRulesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string Path, string Body, string Field, string Says)[] HostileInputs =
    [
        ("/api/v1/sources", """{"lastName":"{{LONG}}"}""", "lastName", "at most 200" ),
        ("/api/v1/sources", """{"lastName":"House","tags":"{{MEGABYTE}}"}""", "tags", "at most 500" ),
        ("/api/v1/sources", """{"lastName":"Ho\u0000use"}""", "lastName", "NUL" ),
        ("/api/v1/sources", """{"lastName":"House","city":"Spring\nfield"}""", "city", "one line" ),
        ("/api/v1/sources", """{"lastName":"Ho\ud800use"}""", "lastName", "string" ), // System.Text.Json refuses a lone surrogate itself
        ("/api/v1/sources", """{"lastName":"House","status":99}""", "status", "Active" ),
        ("/api/v1/sources", """{"lastName":"House","preferredContactMethod":"99"}""", "preferredContactMethod", "InPerson" ),
        ("/api/v1/touchpoints", """{"sourceId":{{SOURCE}},"occurredOn":"{{TODAY}}","method":77}""", "method", "InPerson" ),
        ("/api/v1/touchpoints", """{"sourceId":{{SOURCE}},"occurredOn":"0001-01-01","method":"InPerson"}""", "occurredOn", "1900-01-01" ),
        ("/api/v1/touchpoints", """{"sourceId":{{SOURCE}},"occurredOn":"{{TODAY}}","method":"InPerson","followUpOn":"9999-12-31"}""", "followUpOn", "between" ),
        ("/api/v1/touchpoints", """{"sourceId":{{SOURCE}},"occurredOn":"{{TODAY}}","method":"InPerson","notes":"a\u0007b"}""", "notes", "U+0007" ),
        ("/api/v1/patients", """{"externalId":"MRN-9","firstName":"Pat","lastName":"Ient","birthDate":"0001-01-01"}""", "birthDate", "1900" ),
        ("/api/v1/patients", """{"externalId":"MRN\u0000","firstName":"Pat","lastName":"Ient"}""", "externalId", "NUL" ),
        ("/api/v1/referrals", """{"patientId":{{PATIENT}},"clinicId":{{CLINIC}},"receivedOn":"{{TODAY}}","acquisitionChannel":-3}""", "acquisitionChannel", "Physician" ),
        ("/api/v1/referrals", """{"patientId":{{PATIENT}},"clinicId":{{CLINIC}},"receivedOn":"{{TODAY}}","therapist":"{{LONG}}"}""", "therapist", "at most 100" ),
        ("/api/v1/referrals", """{"patientId":{{PATIENT}},"clinicId":{{CLINIC}},"receivedOn":"{{TODAY}}","scheduledOn":"3000-01-01"}""", "scheduledOn", "between" ),
        ("/api/v1/referbacks", """{"toSourceId":{{SOURCE}},"sentOn":"{{TODAY}}","reason":"x\u0000"}""", "reason", "NUL" ),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_input_is_a_400_naming_the_field_and_nothing_is_stored(string database, string path, string body, string field, string says)
    {
        var (app, org, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;
        var sourceId = await client.CreateSourceAsync();
        var patientId = await client.CreatePatientAsync("MRN-1");
        var before = await CountRowsAsync(app, org.Id);

        var json = body.Replace("{{LONG}}", new string('x', 10_000), StringComparison.Ordinal)
            .Replace("{{MEGABYTE}}", new string('t', 1 << 20), StringComparison.Ordinal)
            .Replace("{{SOURCE}}", sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{PATIENT}}", patientId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{CLINIC}}", org.ClinicId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{TODAY}}", ApiTestKit.Today, StringComparison.Ordinal);
        var (_, problem, response) = await client.SendAsync(HttpMethod.Post, path, json);

        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, problem);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"{field} not named: {problem}");
        Assert.Contains(says, messages[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountRowsAsync(app, org.Id));
    }

    public static TheoryData<string, string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string, string>();
        foreach (var database in TestDatabases.Kinds)
        {
            foreach (var (path, body, field, says) in HostileInputs)
            {
                data.Add(database, path, body, field, says);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Edge_values_that_are_allowed_are_stored_as_sent(string database)
    {
        var (app, _, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;
        var longest = new string('L', 200);
        var (status, created, _) = await client.SendAsync(HttpMethod.Post, "/api/v1/sources",
            new { lastName = longest, firstName = "Zoë 😀", tags = new string('t', 500), preferredContactMethod = "Email" });
        Assert.True(status == HttpStatusCode.Created, created.ToString());
        var sourceId = created.GetProperty("id").GetInt32();
        var touch = await client.PostCreatedAsync("/api/v1/touchpoints",
            new { sourceId, occurredOn = "1900-01-01", method = "InPerson", notes = "line one\n\tline two\r\nline three" });
        var stored = await client.GetOkAsync($"/api/v1/touchpoints/{touch.GetProperty("id").GetInt32()}");
        Assert.Equal("line one\n\tline two\r\nline three", stored.GetProperty("notes").GetString());
        var source = await client.GetOkAsync($"/api/v1/sources/{sourceId}");
        Assert.Equal(longest, source.GetProperty("lastName").GetString());
        Assert.Equal("Zoë 😀", source.GetProperty("firstName").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_csharp_caller_and_a_direct_write_meet_the_same_rules(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Backstop PT");

        var serviceError = await Assert.ThrowsAsync<ValidationException>(() => app.InOrganizationAsync(org.Id, async services =>
        {
            var sources = services.GetRequiredService<SourceService>();
            var source = await sources.CreateAsync(new SourceInput { LastName = "House" });
            return await services.GetRequiredService<TouchpointService>().CreateAsync(
                new TouchpointInput { SourceId = source.Id, OccurredOn = TestClock.Today, Method = (TouchMethod)77 });
        }));
        Assert.Contains("method", serviceError.Errors.Keys);

        // Code that skips the services (a future door, a script) still cannot store what breaks the rules.
        var direct = await Assert.ThrowsAsync<ValidationException>(() => app.InOrganizationAsync(org.Id, async services =>
        {
            var db = services.GetRequiredService<RapportDbContext>();
            db.Sources.Add(new ReferralSource { LastName = "Nul\0l", City = new string('c', 101), Status = (SourceStatus)99 });
            return await db.SaveChangesAsync(Ct);
        }));
        Assert.Equal(["city", "lastName", "status"], direct.Errors.Keys.Order(StringComparer.Ordinal));
        var touchDated = await Assert.ThrowsAsync<ValidationException>(() => app.InOrganizationAsync(org.Id, async services =>
        {
            var db = services.GetRequiredService<RapportDbContext>();
            var sourceId = await db.Sources.Select(s => s.Id).FirstAsync(Ct);
            db.Touchpoints.Add(new Touchpoint { SourceId = sourceId, OccurredOn = DateOnly.MinValue, Method = TouchMethod.InPerson });
            return await db.SaveChangesAsync(Ct);
        }));
        Assert.Contains("occurredOn", touchDated.Errors.Keys);
        Assert.Equal(1, await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<RapportDbContext>().Sources.CountAsync(Ct)));
    }

    [Fact]
    public void Rules_read_lengths_from_the_model_and_know_multi_line_fields()
    {
        Assert.Equal(200, FieldRules.MaxLengthOf<ReferralSource>(nameof(ReferralSource.LastName)));
        Assert.Null(FieldRules.TextProblem("a\tb\nc", 10, multiLine: true));
        Assert.NotNull(FieldRules.TextProblem("a\tb", 10, multiLine: false));
        Assert.NotNull(FieldRules.TextProblem("\u0085", 10, multiLine: true));
        Assert.NotNull(FieldRules.TextProblem("\udc00x", 10, multiLine: false));
        Assert.Null(FieldRules.TextProblem("  " + new string('x', 10) + "  ", 10, multiLine: false));
        Assert.True(FieldRules.IsMultiLine(typeof(Touchpoint), nameof(Touchpoint.Notes)));
        Assert.False(FieldRules.IsMultiLine(typeof(Touchpoint), nameof(Touchpoint.Purpose)));
        var problems = new Problems();
        FieldRules.Check<ReferralSource>(new SourceInput { LastName = new string('x', 201), Status = (SourceStatus)99 }, null, problems);
        var errors = Assert.Throws<ValidationException>(problems.ThrowIfAny).Errors;
        Assert.Equal(["lastName", "status"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("Last name is 201 characters long", errors["lastName"][0], StringComparison.Ordinal);
    }

    /// <summary>Every text column of a Rapport entity has a length limit, so no request can make PostgreSQL or the UI choke on size.</summary>
    [Fact]
    public async Task Every_text_column_a_person_can_fill_has_a_length_limit()
    {
        await using var database = await TestDatabases.CreateAsync(TestDatabases.Sqlite);
        var options = new DbContextOptionsBuilder<RapportDbContext>().UseSqlite(database.ConnectionString).Options;
        await using var db = new RapportDbContext(options, new Rapport.Tenancy.CurrentOrganization(), new FixedTime());
        var unbounded = db.Model.GetEntityTypes()
            .Where(t => t.ClrType.Namespace?.StartsWith("Rapport", StringComparison.Ordinal) == true && !t.IsOwned())
            .SelectMany(t => t.GetProperties().Where(p => p.ClrType == typeof(string) && p.GetMaxLength() is null).Select(p => $"{t.ClrType.Name}.{p.Name}"))
            // Written by the system, never typed: Identity's own columns, mail bodies and rendered documents.
            .Where(name => !name.StartsWith("AppUser.", StringComparison.Ordinal) && !SystemText.Contains(name))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Empty(unbounded);
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => TestClock.Now;
    }

    private static readonly HashSet<string> SystemText = new(StringComparer.Ordinal)
    {
        "OutboxMessage.HtmlBody", "OutboxMessage.TextBody",
    };

    private static async Task<(int Sources, int Touches, int Patients, int Referrals)> CountRowsAsync(RapportApp app, int organizationId) =>
        await app.InOrganizationAsync(organizationId, async services =>
        {
            var db = services.GetRequiredService<RapportDbContext>();
            return (await db.Sources.CountAsync(Ct), await db.Touchpoints.CountAsync(Ct), await db.Patients.CountAsync(Ct), await db.Referrals.CountAsync(Ct));
        });
}
