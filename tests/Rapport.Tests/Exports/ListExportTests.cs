using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Audit;
using Rapport.Exports;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;
using static Rapport.Tests.Exports.ExportTestKit;

namespace Rapport.Tests.Exports;

/// <summary>
/// Issue 13, item 3: every list downloads as CSV and XLSX with the filters on screen. The files are
/// read back (XLSX through ClosedXML) and compared with the API or the page under the same filters,
/// and each download writes exactly one audit event.
/// </summary>
public sealed class ListExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A text as the file holds it: CSV puts an apostrophe before a leading = + - @ (the formula guard), XLSX keeps it as typed.</summary>
    private static string? Guarded(string format, string? text) => format == "csv" && text is [ '=' or '+' or '-' or '@', ..] ? "'" + text : text;

    private sealed record Seeded(int Cuddy, int Wilson, int Formula, int Archived, int AnnId, int BobId);

    /// <summary>Three active sources with different metrics (one named "=cmd"), one inactive, one archived; three patients.</summary>
    private static Task<Seeded> SeedAsync(RapportApp app, TestOrganization org) => app.InOrganizationAsync(org.Id, async sp =>
    {
        var today = TestClock.Today;
        var sources = sp.GetRequiredService<SourceService>();
        var cuddy = await sources.CreateAsync(new SourceInput { FirstName = "Lisa", LastName = "Cuddy", Credential = "MD", Status = SourceStatus.Active });
        var wilson = await sources.CreateAsync(new SourceInput { FirstName = "James", LastName = "Wilson", Status = SourceStatus.Active });
        var formula = await sources.CreateAsync(new SourceInput { LastName = "=cmd", Status = SourceStatus.Active });
        await sources.CreateAsync(new SourceInput { LastName = "Quiet Clinic", Status = SourceStatus.Dormant });
        var archived = await sources.CreateAsync(new SourceInput { LastName = "Old Partner", Status = SourceStatus.Active });
        await sources.SetArchivedAsync(archived.Id, true);
        var patients = sp.GetRequiredService<PatientService>();
        var ann = await patients.CreateAsync(new PatientInput { ExternalId = "M-1", FirstName = "Ann", LastName = "Able", BirthDate = new DateOnly(1950, 1, 2), Email = "ann@example.test" });
        var bob = await patients.CreateAsync(new PatientInput { ExternalId = "M-2", FirstName = "Bob", LastName = "Baker" });
        await patients.CreateAsync(new PatientInput { ExternalId = "M-3", FirstName = "=cmd", LastName = "Cole" });
        var referrals = sp.GetRequiredService<ReferralService>();
        await referrals.CreateAsync(new ReferralInput { PatientId = ann.Id, SourceId = cuddy.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-10), EvaluatedOn = today.AddDays(-5) });
        await referrals.CreateAsync(new ReferralInput { PatientId = bob.Id, SourceId = cuddy.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-200) });
        await referrals.CreateAsync(new ReferralInput { PatientId = bob.Id, SourceId = wilson.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-20) });
        var touches = sp.GetRequiredService<TouchpointService>();
        await touches.CreateAsync(new TouchpointInput { SourceId = cuddy.Id, OccurredOn = today.AddDays(-3), Method = TouchMethod.InPerson });
        await touches.CreateAsync(new TouchpointInput { SourceId = wilson.Id, OccurredOn = today.AddDays(-40), Method = TouchMethod.Phone });
        return new Seeded(cuddy.Id, wilson.Id, formula.Id, archived.Id, ann.Id, bob.Id);
    });

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Sources_and_patients_download_as_csv_and_xlsx_with_the_rows_and_figures_of_the_api_under_the_same_filters(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Export PT");
        var seeded = await SeedAsync(app, org);
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        using var api = app.ApiClient(org.ApiKey);

        // The sources page's own parameter names; the API calls them search/descending.
        var expected = (await api.GetOkAsync("/api/v1/sources?status=Active&sort=Referrals12m&descending=true&pageSize=500")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, expected.Count);
        foreach (var format in new[] { "csv", "xlsx" })
        {
            var before = await LastEventIdAsync(app, org.Id);
            var (table, response) = await DownloadAsync(browser, $"/Export/sources?format={format}&status=Active&sort=Referrals12m&desc=true&page=2");
            Assert.Equal($"rapport-sources-{Iso(TestClock.Today)}.{format}", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
            Assert.Equal(expected.Select(s => s.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture)), table.Column("Id"));
            for (var i = 0; i < expected.Count; i++)
            {
                var (row, source) = (table.Rows[i], expected[i]);
                Assert.Equal(Guarded(format, source.GetProperty("name").GetString()), row["Name"]);
                Assert.Equal(source.GetProperty("activePatients").GetInt32().ToString(CultureInfo.InvariantCulture), row["Active patients"]);
                Assert.Equal(source.GetProperty("referrals90d").GetInt32().ToString(CultureInfo.InvariantCulture), row["Referrals 90d"]);
                Assert.Equal(source.GetProperty("referrals12m").GetInt32().ToString(CultureInfo.InvariantCulture), row["Referrals 12m"]);
                Assert.Equal(source.GetProperty("lastTouchAt").ValueKind == JsonValueKind.Null ? "" : source.GetProperty("lastTouchAt").GetString(), row["Last touch"]);
                Assert.Equal(source.GetProperty("daysSinceTouch").ValueKind == JsonValueKind.Null ? "" : source.GetProperty("daysSinceTouch").GetInt32().ToString(CultureInfo.InvariantCulture), row["Days since touch"]);
            }
            Assert.Equal(["2", "1", "0"], table.Column("Referrals 12m"));
            // The formula guard: in CSV an apostrophe keeps "=cmd" from running; in XLSX it is a text cell, read back as typed.
            Assert.Equal(format == "csv" ? "'=cmd" : "=cmd", table.Rows.Single(r => r["Id"] == seeded.Formula.ToString(CultureInfo.InvariantCulture))["Name"]);

            var written = Assert.Single(await EventsSinceAsync(app, org.Id, before));
            Assert.Equal((AuditTrail.Exported, ExportService.AuditEntityType, "sources", org.AdminEmail), (written.Action, written.EntityType, written.EntityId, written.Actor));
            Assert.Equal($"3 rows; sources as {format}; desc=true, sort, status", written.Summary);
        }

        // Archived sources only when the page includes them, as on the page; a search narrows both.
        var (all, _) = await DownloadAsync(browser, "/Export/sources?archived=true");
        Assert.Contains(seeded.Archived.ToString(CultureInfo.InvariantCulture), all.Column("Id"));
        Assert.Equal(5, all.Rows.Count);
        var (searched, _) = await DownloadAsync(browser, "/Export/sources?format=xlsx&q=cuddy");
        Assert.Equal([seeded.Cuddy.ToString(CultureInfo.InvariantCulture)], searched.Column("Id"));

        // Patients: patient data, so the download is one Exported event on Patient (never a name in it).
        var apiPatients = (await api.GetOkAsync("/api/v1/patients?pageSize=500")).GetProperty("items").EnumerateArray().ToList();
        var activeOnly = (await api.GetOkAsync("/api/v1/patients?activeOnly=true&pageSize=500")).GetProperty("items").EnumerateArray().ToList();
        Assert.Single(activeOnly);
        foreach (var format in new[] { "csv", "xlsx" })
        {
            var before = await LastEventIdAsync(app, org.Id);
            var (patients, _) = await DownloadAsync(browser, $"/Export/patients?format={format}");
            Assert.Equal(apiPatients.Select(p => p.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture)), patients.Column("Id"));
            Assert.Equal(apiPatients.Select(p => p.GetProperty("lastName").GetString()), patients.Column("Last name"));
            Assert.Equal(apiPatients.Select(p => Guarded(format, p.GetProperty("firstName").GetString())), patients.Column("First name"));
            Assert.Equal(apiPatients.Select(p => p.GetProperty("referrals").GetInt32().ToString(CultureInfo.InvariantCulture)), patients.Column("Referrals"));
            Assert.Equal(format == "csv" ? "'=cmd" : "=cmd", patients.Rows.Single(r => r["Last name"] == "Cole")["First name"]);
            Assert.Equal("1950-01-02", patients.Rows.Single(r => r["MRN"] == "M-1")["Born"]);
            var written = Assert.Single(await EventsSinceAsync(app, org.Id, before));
            Assert.Equal((AuditTrail.Exported, "Patient"), (written.Action, written.EntityType));
            Assert.Equal($"3 rows; patients as {format}", written.Summary);
            Assert.DoesNotContain("Able", written.Summary, StringComparison.Ordinal);

            before = await LastEventIdAsync(app, org.Id);
            var (active, _) = await DownloadAsync(browser, $"/Export/patients?format={format}&activeOnly=true&q=ann");
            Assert.Equal([seeded.AnnId.ToString(CultureInfo.InvariantCulture)], active.Column("Id"));
            written = Assert.Single(await EventsSinceAsync(app, org.Id, before));
            Assert.Equal($"1 row; patients as {format}; activeOnly=true, q", written.Summary);
        }

        // Referrals (the queue's own download): the tab's stage filter, one Exported event on Referral.
        var received = (await api.GetOkAsync("/api/v1/referrals?stage=received&pageSize=500")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, received.Count);
        foreach (var format in new[] { "csv", "xlsx" })
        {
            var before = await LastEventIdAsync(app, org.Id);
            var (queue, _) = await DownloadAsync(browser, $"/Export/referrals?format={format}&stage=received");
            Assert.Equal(received.Select(r => r.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture)), queue.Column("Id"));
            Assert.Equal(received.Select(r => r.GetProperty("ageDays").GetInt32().ToString(CultureInfo.InvariantCulture)), queue.Column("Age (days)"));
            Assert.All(queue.Column("Stage"), stage => Assert.Equal("received", stage));
            var written = Assert.Single(await EventsSinceAsync(app, org.Id, before));
            Assert.Equal((AuditTrail.Exported, "Referral"), (written.Action, written.EntityType));
        }

        // An empty export is still recorded, once.
        var emptyBefore = await LastEventIdAsync(app, org.Id);
        var (none, _) = await DownloadAsync(browser, "/Export/patients?q=nobody-by-this-name");
        Assert.Empty(none.Rows);
        Assert.Equal(13, none.Headers.Count);
        var empty = Assert.Single(await EventsSinceAsync(app, org.Id, emptyBefore));
        Assert.Equal((AuditTrail.Exported, "Patient", "0 rows; patients as csv; q"), (empty.Action, empty.EntityType, empty.Summary));
    }

    [Fact]
    public async Task The_api_and_the_page_route_refuse_an_unknown_kind_format_or_filter_naming_the_field_and_record_nothing()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Export PT");
        await SeedAsync(app, org);
        using var api = app.ApiClient(org.ApiKey);
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var before = await LastEventIdAsync(app, org.Id);

        foreach (var (path, field, words) in new[]
        {
            ("/api/v1/exports/bogus", "kind", "alerts, calls, campaigns, channels, letters-due, nps-responses, patients, prospects, referrals, sources, touches"),
            ("/api/v1/exports/referrals?stage=waiting", "stage", "received"),
            ("/api/v1/exports/sources?format=pdf", "format", "csv, xlsx"),
            ("/api/v1/exports/sources?status=Sleeping", "status", "Active"),
            ("/api/v1/exports/touches?from=yesterday", "from", "yyyy-MM-dd"),
            ("/api/v1/exports/alerts?tier=urgent", "tier", "alert, watch"),
        })
        {
            var (status, body, _) = await api.SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            var problem = Assert.Single(body.GetProperty("errors").EnumerateObject());
            Assert.Equal(field, problem.Name);
            Assert.Contains(words, problem.Value[0].GetString(), StringComparison.Ordinal);
        }
        using (var page = await browser.GetAsync("/Export/bogus?format=csv", Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Contains("is not a list that can be exported", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        Assert.Empty(await EventsSinceAsync(app, org.Id, before));

        // The API door gives the page door's file, and records the key as the actor.
        var (csv, response) = await DownloadAsync(api, "/api/v1/exports/sources?status=Active");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, csv.Rows.Count);
        Assert.Equal("api:tests", Assert.Single(await EventsSinceAsync(app, org.Id, before)).Actor);
    }

    [Fact]
    public async Task The_export_verb_writes_csv_to_standard_output_or_xlsx_to_a_file_and_exits_2_naming_a_bad_kind_or_format()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Export PT");
        var seeded = await SeedAsync(app, org);

        var before = await LastEventIdAsync(app, org.Id);
        var csv = await Infrastructure.Cli.RunAsync(app.Database, "export", "sources", "--filter", "status=Active", "--filter", "sort=Referrals12m", "--filter", "desc=true");
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        var table = ReadCsv(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.Stdout.TrimStart('\uFEFF'))).ToArray());
        Assert.Equal([seeded.Cuddy, seeded.Wilson, seeded.Formula], table.Column("Id").Select(id => int.Parse(id, CultureInfo.InvariantCulture)));
        Assert.Equal("'=cmd", table.Rows[2]["Name"]);
        var written = Assert.Single(await EventsSinceAsync(app, org.Id, before));
        Assert.StartsWith("cli:", written.Actor, StringComparison.Ordinal);
        Assert.Equal("3 rows; sources as csv; desc=true, sort, status", written.Summary);

        var file = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.xlsx");
        try
        {
            before = await LastEventIdAsync(app, org.Id);
            var xlsx = await Infrastructure.Cli.RunAsync(app.Database, "export", "patients", "--format", "xlsx", "--out", file, "--filter", "activeOnly=true");
            Assert.True(xlsx.ExitCode == 0, xlsx.Stderr);
            Assert.Contains("1 row written to", xlsx.Stderr, StringComparison.Ordinal);
            var patients = ReadXlsx(await File.ReadAllBytesAsync(file, Ct));
            Assert.Equal([seeded.AnnId.ToString(CultureInfo.InvariantCulture)], patients.Column("Id"));
            Assert.Equal((AuditTrail.Exported, "Patient"), Assert.Single(await EventsSinceAsync(app, org.Id, before)) is var e ? (e.Action, e.EntityType) : default);
        }
        finally
        {
            File.Delete(file);
        }

        foreach (var (args, field) in new[]
        {
            (new[] { "export", "bogus" }, "kind: "),
            (["export", "sources", "--format", "pdf"], "format: "),
            (["export", "sources", "--filter", "status"], "filter: "),
            (["export", "sources", "--filter", "clinic=main"], "clinic: "),
        })
        {
            var refused = await Infrastructure.Cli.RunAsync(app.Database, args);
            Assert.Equal(2, refused.ExitCode);
            Assert.StartsWith(field, refused.Stderr, StringComparison.Ordinal);
            Assert.Equal("", refused.Stdout);
        }
    }
}
