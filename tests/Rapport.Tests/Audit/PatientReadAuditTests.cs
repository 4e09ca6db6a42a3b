using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Audit;
using Rapport.Data;
using Rapport.Email;
using Rapport.Nps;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Letters;

namespace Rapport.Tests.Audit;

/// <summary>
/// Issue 12, item 3: every opening of patient data is audited by Core, once per request, whatever
/// the door. The routes are not listed here: every GET route and GET page handler comes from the
/// app's endpoint list, and whether a response is patient data is read from the response itself
/// (it shows a seeded patient's name, birth date, MRN or self-reported activity). A new page that
/// shows patients without going through an auditing Core read fails this test unedited.
/// </summary>
public sealed partial class PatientReadAuditTests
{
    private const string LastName = "Quillfeather";
    private const string Mrn = "QF-2041";
    private static readonly DateOnly BirthDate = new(1951, 7, 19);
    /// <summary>A PSFS activity in the patient's own words: clinical data even where no name is shown (assessment JSON).</summary>
    private const string Activity = "Kneeling in the Zorvale garden";

    private static readonly string[] Markers =
    [
        LastName, Mrn, Activity,
        BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        BirthDate.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture),
        BirthDate.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture),
        BirthDate.ToString("MMM d, yyyy", CultureInfo.InvariantCulture),
    ];

    private static readonly int[] PsfsAnswers = [3];
    private static readonly string[] PsfsActivities = [Activity];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Seeded(int SourceId, string Npi, int PatientId, int ReferralId, int TouchpointId, int ReferBackId, string TemplateKind, int CampaignId = 0);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Every_GET_route_that_shows_patient_data_writes_exactly_one_audit_event_and_others_none(string database)
    {
        await using var smtp = SmtpTestServer.Start();
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings()));
        var org = await app.CreateOrganizationAsync("Sweep Physical Therapy");
        using var api = app.ApiClient(org.ApiKey);
        var seeded = await SeedAsync(app, org, api);
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        using var anonymous = app.AnonymousClient();

        var requests = await GetRequestsAsync(app, seeded);
        var failures = new List<string>();
        var patientData = new List<string>();
        foreach (var request in requests)
        {
            var client = request.Anonymous ? anonymous : request.Path.StartsWith("/api/", StringComparison.Ordinal) ? api : browser;
            var before = await LastEventIdAsync(app, org);
            using var response = await client.GetAsync(request.Path, Ct);
            var body = await BodyTextAsync(response);
            var written = await EventsSinceAsync(app, org, before);
            var shown = Markers.Where(m => body.Contains(m, StringComparison.OrdinalIgnoreCase)).ToList();
            var describe = $"GET {request.Path} ({(int)response.StatusCode}) showed [{string.Join(", ", shown)}] and wrote [{string.Join("; ", written.Select(e => $"{e.Action} {e.EntityType} {e.EntityId} {e.Summary}"))}]";
            if (shown.Count > 0)
            {
                patientData.Add(request.Path);
                if (written.Count != 1 || written[0].Action is not (AuditTrail.Read or AuditTrail.Exported or PatientDataAudit.Disclosed))
                {
                    failures.Add("patient data must be audited exactly once: " + describe);
                }
                else if (Markers.Any(m => written[0].Summary?.Contains(m, StringComparison.OrdinalIgnoreCase) == true) || written[0].Actor is null)
                {
                    failures.Add("the event must name the actor and no patient details: " + describe);
                }
            }
            else if (written.Any(e => e.Action is AuditTrail.Read or AuditTrail.Exported or PatientDataAudit.Disclosed))
            {
                failures.Add("no patient data shown, so no audit event expected: " + describe);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // The oracle itself works: the routes the probe found unaudited are among those it classed as patient data.
        foreach (var known in new[]
        {
            "/api/v1/patients", "/Patients", $"/Patients/{seeded.PatientId}", $"/Episodes/{seeded.ReferralId}", $"/api/v1/referrals/{seeded.ReferralId}",
            $"/api/v1/referrals/{seeded.ReferralId}/outcomes", "/api/v1/referrals", "/api/v1/letters/due", $"/api/v1/referrals/{seeded.ReferralId}/letters/discharge.pdf",
            $"/api/v1/referrals/{seeded.ReferralId}/assessments", "/Export/patients", "/api/v1/exports/patients",
        })
        {
            Assert.Contains(known, patientData);
        }
        // ...and routes without patient data were requested too.
        Assert.Contains("/api/v1/dashboard", requests.Select(r => r.Path));
        Assert.DoesNotContain("/api/v1/dashboard", patientData);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_list_records_the_count_and_page_never_names_and_an_export_records_Exported(string database)
    {
        await using var smtp = SmtpTestServer.Start();
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings()));
        var org = await app.CreateOrganizationAsync("Sweep Physical Therapy");
        using var api = app.ApiClient(org.ApiKey);
        var seeded = await SeedAsync(app, org, api);

        var before = await LastEventIdAsync(app, org);
        await api.GetOkAsync($"/api/v1/patients?pageSize=500&search={LastName}");
        var list = Assert.Single(await EventsSinceAsync(app, org, before));
        Assert.Equal((AuditTrail.Read, "Patient", null), (list.Action, list.EntityType, list.EntityId));
        Assert.Equal("1 row; page 1 × 500, search", list.Summary);
        Assert.Equal("api:tests", list.Actor);

        // The CLI: one event per command, the actor is the account at the terminal.
        foreach (var (format, action) in new[] { ("csv", AuditTrail.Exported), ("json", AuditTrail.Exported), ("table", AuditTrail.Read) })
        {
            before = await LastEventIdAsync(app, org);
            var due = await Infrastructure.Cli.RunAsync(app.Database, "letters", "due", "--format", format, "--org", org.Slug);
            Assert.True(due.ExitCode == 0, due.Stderr);
            // The table wraps names into narrow columns; csv and json show them whole.
            Assert.True(format == "table" || due.Stdout.Contains(LastName, StringComparison.Ordinal), due.Stdout);
            var written = Assert.Single(await EventsSinceAsync(app, org, before));
            Assert.Equal((action, "Letter"), (written.Action, written.EntityType));
            Assert.StartsWith("cli:", written.Actor, StringComparison.Ordinal);
            Assert.DoesNotContain(LastName, written.Summary, StringComparison.Ordinal);
            Assert.Matches(@"^\d+ rows?; due", written.Summary);
        }

        // A letter PDF read and disclosed in one command is one event: the disclosure.
        var pdfPath = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.pdf");
        try
        {
            before = await LastEventIdAsync(app, org);
            var pdf = await Infrastructure.Cli.RunAsync(app.Database, "letters", "pdf", seeded.ReferralId.ToString(CultureInfo.InvariantCulture), "discharge",
                "--out", pdfPath, "--org", org.Slug);
            Assert.True(pdf.ExitCode == 0, pdf.Stderr);
            Assert.Contains(LastName, LetterTestKit.PdfText(await File.ReadAllBytesAsync(pdfPath, Ct)), StringComparison.Ordinal);
            var disclosed = Assert.Single(await EventsSinceAsync(app, org, before));
            Assert.Equal((PatientDataAudit.Disclosed, "Letter", seeded.ReferralId.ToString(CultureInfo.InvariantCulture)), (disclosed.Action, disclosed.EntityType, disclosed.EntityId));
        }
        finally
        {
            File.Delete(pdfPath);
        }

        // A change is audited by the DbContext; the patient returned with it is not counted again as a read.
        before = await LastEventIdAsync(app, org);
        var (status, _, _) = await api.SendAsync(HttpMethod.Put, $"/api/v1/patients/{seeded.PatientId}",
            new { externalId = Mrn, firstName = "Odalys", lastName = LastName, birthDate = "1951-07-19", sex = "F", email = "odalys@example.test", payer = "Medicare" });
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var change = Assert.Single(await EventsSinceAsync(app, org, before));
        Assert.Equal("Modified", change.Action);
    }

    private static async Task<Seeded> SeedAsync(RapportApp app, TestOrganization org, HttpClient api)
    {
        var today = TestClock.Today;
        var sourceId = await LetterTestKit.CreateSourceAsync(api, "Wilson", "wilson@ortho.test");
        var npi = (await api.GetOkAsync($"/api/v1/sources/{sourceId}")).GetProperty("npi").GetString()!;
        var patientId = (await api.PostCreatedAsync("/api/v1/patients", new
        {
            externalId = Mrn, firstName = "Odalys", lastName = LastName, birthDate = BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), sex = "F",
            email = "odalys@example.test",
        })).GetProperty("id").GetInt32();
        var referralId = await LetterTestKit.CreateEpisodeAsync(api, org.ClinicId, sourceId, patientId, today.AddDays(-40), today.AddDays(-1), 10);
        await api.PostCreatedAsync($"/api/v1/referrals/{referralId}/assessments", new
        {
            instrument = "psfs", timepoint = "Intake", assessedOn = LetterTestKit.Iso(today.AddDays(-40)), answers = PsfsAnswers, itemNames = PsfsActivities,
        });
        var touchpointId = (await api.PostCreatedAsync("/api/v1/touchpoints", new { sourceId, occurredOn = LetterTestKit.Iso(today.AddDays(-3)), method = "InPerson" }))
            .GetProperty("id").GetInt32();
        var referBackId = (await api.PostCreatedAsync("/api/v1/referbacks", new { toSourceId = sourceId, patientId, sentOn = LetterTestKit.Iso(today.AddDays(-2)), reason = "Follow-up" }))
            .GetProperty("id").GetInt32();
        var templateKind = await app.InOrganizationAsync(org.Id, async sp =>
        {
            // The discharge invited the patient to the NPS survey; a detractor's answer opens a follow-up that names them.
            var mail = await sp.GetRequiredService<RapportDbContext>().Set<OutboxMessage>().Where(m => m.To == "odalys@example.test").Select(m => m.TextBody).SingleAsync(Ct);
            var token = SurveyToken().Match(mail).Groups[1].Value;
            await sp.GetRequiredService<SurveyResponses>().AnswerAsync(token, new SurveyAnswer(2, "Parking was hard.", false), Ct);
            return sp.GetRequiredService<Rapport.Documents.DocumentTemplates>().Kinds[0].Key;
        });
        // A campaign whose touch is the seeded one: its page and PDF show attributed referrals by source, never a patient (no audit event).
        var campaignId = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            var campaign = new Rapport.Campaigns.Campaign
            {
                Name = "Spring fair", Kind = Rapport.Campaigns.CampaignKind.HealthFair, StartsOn = today.AddDays(-120),
                CreatedAt = TestClock.UtcNow, UpdatedAt = TestClock.UtcNow,
            };
            db.Add(campaign);
            await db.SaveChangesAsync(Ct);
            (await db.Touchpoints.FindAsync([touchpointId], Ct))!.CampaignId = campaign.Id;
            await db.SaveChangesAsync(Ct);
            return campaign.Id;
        });
        return new Seeded(sourceId, npi, patientId, referralId, touchpointId, referBackId, templateKind, campaignId);
    }

    private sealed record GetRequest(string Path, bool Anonymous);

    /// <summary>Every GET route of the app with real ids, and every GET handler of every page.</summary>
    private static async Task<List<GetRequest>> GetRequestsAsync(RapportApp app, Seeded seeded)
    {
        var loader = app.Services.GetRequiredService<PageLoader>();
        var requests = new List<GetRequest>();
        var unfilled = new List<string>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
            var page = endpoint.Metadata.GetMetadata<PageActionDescriptor>();
            if (page is null && endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") != true)
            {
                continue;
            }
            if (Fill(endpoint.RoutePattern, seeded, unfilled) is not { } path)
            {
                continue;
            }
            if (page is not null)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                foreach (var handler in compiled.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase)))
                {
                    requests.Add(new GetRequest(handler.Name is null ? path : $"{path}?handler={handler.Name}{HandlerArguments(handler, seeded)}", anonymous));
                }
            }
            else
            {
                requests.Add(new GetRequest(path, anonymous));
            }
        }
        Assert.True(unfilled.Count == 0, "Routes with a parameter this test cannot fill (add it to Fill): " + string.Join(", ", unfilled));
        return [.. requests.DistinctBy(r => r.Path).OrderBy(r => r.Path, StringComparer.Ordinal)];
    }

    private static string HandlerArguments(Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure.HandlerMethodDescriptor handler, Seeded seeded) =>
        string.Concat(handler.Parameters.Select(p => p.Name switch
        {
            "term" or "q" or "search" => $"&{p.Name}={Uri.EscapeDataString(LastName[..5])}",
            "kind" => "&kind=discharge",
            "sourceId" => $"&sourceId={seeded.SourceId}",
            "patientId" => $"&patientId={seeded.PatientId}",
            _ => "",
        }));

    /// <summary>The route with its parameters replaced by the seeded practice's ids; null (and noted) when one is unknown.</summary>
    private static string? Fill(RoutePattern pattern, Seeded seeded, List<string> unfilled)
    {
        var segments = new List<string>();
        string? previous = null;
        foreach (var segment in pattern.PathSegments)
        {
            var text = "";
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        text += literal.Content;
                        break;
                    case RoutePatternSeparatorPart separator:
                        text += separator.Content;
                        break;
                    case RoutePatternParameterPart parameter:
                        var value = Value(previous?.ToLowerInvariant(), parameter.Name, segments, seeded);
                        if (value is null)
                        {
                            if (!parameter.IsOptional)
                            {
                                unfilled.Add(pattern.RawText ?? string.Join('/', segments));
                                return null;
                            }
                            continue;
                        }
                        text += value;
                        break;
                }
            }
            if (text.Length > 0)
            {
                segments.Add(text);
            }
            previous = text;
        }
        return "/" + string.Join('/', segments);
    }

    private static string? Value(string? previous, string name, List<string> before, Seeded seeded) => (previous, name) switch
    {
        (_, "token") => "1.not-a-real-token",
        (_, "npi") => seeded.Npi,
        (_, "code") => "lefs",
        (_, "kind") when before.Contains("Templates") => seeded.TemplateKind,
        // The export routes download a list; the patients list is patient data and must be audited once, as Exported.
        ("export" or "exports", "kind") => "patients",
        (_, "kind") => "discharge",
        (_, "referralId") or ("episodes" or "referrals", "id") => Id(seeded.ReferralId),
        ("sources", "id") => Id(seeded.SourceId),
        ("campaigns", "id") => Id(seeded.CampaignId),
        ("patients", "id") => Id(seeded.PatientId),
        ("touchpoints", "id") => Id(seeded.TouchpointId),
        ("referbacks", "id") => Id(seeded.ReferBackId),
        _ => null,
    };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<string> BodyTextAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        return response.Content.Headers.ContentType is MediaTypeHeaderValue { MediaType: "application/pdf" } && bytes.Length > 0
            ? LetterTestKit.PdfText(bytes)
            : System.Text.Encoding.UTF8.GetString(bytes);
    }

    private static Task<long> LastEventIdAsync(RapportApp app, TestOrganization org) =>
        app.InOrganizationAsync(org.Id, async sp => await sp.GetRequiredService<RapportDbContext>().AuditEvents.MaxAsync(a => (long?)a.Id, Ct) ?? 0);

    /// <summary>Events by the test's own callers (not the background workers) after <paramref name="after"/>.</summary>
    private static Task<List<AuditEvent>> EventsSinceAsync(RapportApp app, TestOrganization org, long after) =>
        app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().AuditEvents
            .Where(a => a.Id > after && (a.Actor == org.AdminEmail || a.Actor == "api:tests" || a.Actor!.StartsWith("cli:")))
            .OrderBy(a => a.Id).ToListAsync(Ct));

    [GeneratedRegex(@"/s/([0-9]+\.[A-Za-z0-9_-]+)")]
    private static partial Regex SurveyToken();
}
