using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.ApiKeys;
using Rapport.Data;
using Rapport.Demo;
using Rapport.Outcomes;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;
using UglyToad.PdfPig;

namespace Rapport.Tests.ReportCards;

public sealed class ReportCardTests
{
    private const string HouseNpi = "1987654328";
    private const string SmallCondition = "Test ankle ORIF";

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_demo_source_s_pdf_prints_the_api_s_figures_names_no_patient_and_suppresses_a_three_patient_slice(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var (organizationId, apiKey) = await SeedDemoAsync(app);
        var today = TestClock.Today;
        var houseId = await app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<RapportDbContext>().Sources.Where(s => s.Npi == HouseNpi).Select(s => s.Id).SingleAsync(ct));
        // Three of Dr. House's patients with a condition no one else has: a slice of 3, below the minimum of 5.
        await app.InOrganizationAsync(organizationId, async sp =>
        {
            var clinicId = await sp.GetRequiredService<RapportDbContext>().Clinics.Select(c => c.Id).FirstAsync(ct);
            for (var i = 0; i < 3; i++)
            {
                var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput
                {
                    ExternalId = $"RC-{i}", FirstName = "Zebulon", LastName = $"Quixworth{i}", BirthDate = new DateOnly(1951, 3, 14 + i),
                });
                var referral = await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput
                {
                    PatientId = patient.Id, SourceId = houseId, ClinicId = clinicId, ReceivedOn = today.AddDays(-70), ScheduledOn = today.AddDays(-69),
                    EvaluatedOn = today.AddDays(-66), DischargedOn = today.AddDays(-10), VisitCount = 10, Procedure = SmallCondition, BodyRegion = "Ankle/foot",
                });
                var assessments = sp.GetRequiredService<AssessmentService>();
                await assessments.CreateAsync(referral.Id, new AssessmentInput { Instrument = "lefs", Timepoint = Timepoint.Intake, AssessedOn = today.AddDays(-66), Answers = [.. Enumerable.Repeat<int?>(1, 20)] });
                await assessments.CreateAsync(referral.Id, new AssessmentInput { Instrument = "lefs", Timepoint = Timepoint.Discharge, AssessedOn = today.AddDays(-10), Answers = [.. Enumerable.Repeat<int?>(3, 20)] });
            }
            return 0;
        });

        using var api = app.ApiClient(apiKey);
        var card = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{houseId}/report-card", ct);
        using var pdfResponse = await api.GetAsync($"/api/v1/sources/{houseId}/report-card.pdf", ct);
        Assert.Equal(HttpStatusCode.OK, pdfResponse.StatusCode);
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        var pdfBytes = await pdfResponse.Content.ReadAsByteArrayAsync(ct);
        if (Environment.GetEnvironmentVariable("RAPPORT_KEEP_PDF") is { Length: > 0 } keep)
        {
            await File.WriteAllBytesAsync(keep, pdfBytes, ct);
        }
        var text = PdfText(pdfBytes, out var pages);
        Assert.InRange(pages, 1, 2);

        Assert.Equal("Gregory House, MD", card.GetProperty("source").GetProperty("name").GetString());
        Assert.Equal(today.AddMonths(-12).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), card.GetProperty("from").GetString());
        Assert.Contains("Dear Dr. House,", text, StringComparison.Ordinal);

        // The referral figures printed are the API's, row by row (label, physician, practice).
        var referrals = card.GetProperty("referrals");
        var received = referrals.GetProperty("received").GetInt32();
        Assert.True(received >= 10, $"Dr. House has only {received} referrals in 12 months");
        Assert.Contains($"Referrals received {received} {referrals.GetProperty("practiceReceived").GetInt32().ToString("N0", CultureInfo.InvariantCulture)}", text, StringComparison.Ordinal);
        foreach (var (label, field) in new[] { ("Scheduled", "scheduled"), ("Evaluated", "evaluated"), ("Median time from referral to evaluation", "medianDaysToEvaluation"),
            ("Visits per episode (discharged episodes)", "visitsPerEpisode"), ("Completed the plan of care", "completedPlan") })
        {
            var figure = referrals.GetProperty(field);
            Assert.False(figure.GetProperty("yours").GetProperty("suppressed").GetBoolean());
            Assert.Contains($"{label} {Display(figure, "yours")} {Display(figure, "practice")}", text, StringComparison.Ordinal);
        }
        var evaluatedShare = referrals.GetProperty("evaluated").GetProperty("yours").GetProperty("value").GetDouble();
        Assert.Equal($"{evaluatedShare * 100:0}%", Display(referrals.GetProperty("evaluated"), "yours"));

        // Outcomes: a compared slice prints both figures; the three-patient slice prints "fewer than 5" and nothing beside it.
        var outcomes = card.GetProperty("outcomes").EnumerateArray().ToList();
        var knees = outcomes.First(o => !o.GetProperty("patients").GetProperty("suppressed").GetBoolean());
        // (A long condition name wraps in its cell, and the PDF's text reads line by line: the figures follow the first line.)
        Assert.Contains(string.Join(' ', knees.GetProperty("patients").GetProperty("display").GetString(),
            Display(knees.GetProperty("meanChange"), "yours"), Display(knees.GetProperty("meanChange"), "practice"),
            Display(knees.GetProperty("mcidShare"), "yours"), Display(knees.GetProperty("mcidShare"), "practice"),
            Display(knees.GetProperty("medianDaysToMcid"), "yours"), Display(knees.GetProperty("medianDaysToMcid"), "practice")), text, StringComparison.Ordinal);
        Assert.Contains($"{knees.GetProperty("instrumentShortName").GetString()} {knees.GetProperty("condition").GetString()!.Split(' ')[0]}", text, StringComparison.Ordinal);
        var small = outcomes.Single(o => o.GetProperty("condition").GetString() == SmallCondition);
        Assert.True(small.GetProperty("patients").GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, small.GetProperty("patients").GetProperty("n").ValueKind);
        Assert.Equal("fewer than 5", small.GetProperty("patients").GetProperty("display").GetString());
        Assert.Equal(JsonValueKind.Null, small.GetProperty("meanChange").GetProperty("practice").GetProperty("value").ValueKind);
        Assert.Contains($"LEFS {SmallCondition} fewer than 5", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"{SmallCondition} fewer than 5 +", text, StringComparison.Ordinal);

        // NPS beside the practice's, and the same in the PDF.
        var nps = card.GetProperty("nps");
        Assert.Contains($"Net Promoter Score (−100 to +100) {Display(nps, "yours")} {Display(nps, "practice")}", text, StringComparison.Ordinal);
        foreach (var comment in card.GetProperty("comments").EnumerateArray())
        {
            Assert.Contains(comment.GetProperty("text").GetString()!.Split(' ')[0], text, StringComparison.Ordinal);
        }

        // No patient's name or birth date, from the demo or from this test.
        var patients = await app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<RapportDbContext>().Referrals
            .Where(r => r.SourceId == houseId).Select(r => new { r.Patient!.FirstName, r.Patient.LastName, r.Patient.BirthDate }).ToListAsync(ct));
        Assert.NotEmpty(patients);
        var json = card.GetRawText();
        foreach (var patient in patients)
        {
            Assert.DoesNotContain($"{patient.FirstName} {patient.LastName}", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain($"{patient.FirstName} {patient.LastName}", json, StringComparison.OrdinalIgnoreCase);
            if (patient.BirthDate is { } born)
            {
                foreach (var format in new[] { "yyyy-MM-dd", "MM/dd/yyyy", "d MMM yyyy", "d MMMM yyyy" })
                {
                    Assert.DoesNotContain(born.ToString(format, CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
                    Assert.DoesNotContain(born.ToString(format, CultureInfo.InvariantCulture), json, StringComparison.Ordinal);
                }
            }
        }
        Assert.DoesNotContain("Quixworth", text, StringComparison.Ordinal);

        // Printing the card logged one Report touch; printing it again adds none.
        using (var again = await api.GetAsync($"/api/v1/sources/{houseId}/report-card.pdf", ct))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        var reportTouches = await app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<RapportDbContext>().Touchpoints
            .Where(t => t.SourceId == houseId && t.Method == TouchMethod.Report && t.ExternalId != null && t.ExternalId.StartsWith("report-card:"))
            .Select(t => t.Purpose).ToListAsync(ct));
        Assert.Contains("Physician report card", Assert.Single(reportTouches), StringComparison.Ordinal);

        // The preview page shows the same figures to a signed-in user.
        using var browser = await app.SignedInClientAsync(Rapport.Demo.DemoSeeder.AdminEmail, Rapport.Demo.DemoSeeder.AdminPassword);
        var page = await browser.GetStringAsync($"/Sources/{houseId}/ReportCard", ct);
        Assert.Contains(WebUtility.HtmlEncode(Display(nps, "yours")), page, StringComparison.Ordinal);
        Assert.Contains(SmallCondition, page, StringComparison.Ordinal);
        Assert.Contains("<img src=\"data:image/png;base64,", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Quixworth", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_source_or_a_backwards_period_is_a_clear_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var api = app.ApiClient(org.ApiKey);
        using var missing = await api.GetAsync("/api/v1/sources/999999/report-card", ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var backwards = await api.GetAsync("/api/v1/sources/999999/report-card?from=2026-05-01&to=2026-01-01", ct);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("before it starts", await backwards.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_practice_edits_the_intro_safely_and_sets_its_own_minimum_cell_size()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var today = TestClock.Today;
        var sourceId = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var source = await sp.GetRequiredService<Rapport.Sources.SourceService>().CreateAsync(new Rapport.Sources.SourceInput { FirstName = "Ann", LastName = "Lee", Credential = "MD" });
            for (var i = 0; i < 3; i++)
            {
                var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = $"P{i}", FirstName = "Pat", LastName = $"Example{i}" });
                var referral = await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput
                {
                    PatientId = patient.Id, SourceId = source.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-50), EvaluatedOn = today.AddDays(-45),
                    DischargedOn = today.AddDays(-5), VisitCount = 8, BodyRegion = "Knee",
                });
                var assessments = sp.GetRequiredService<AssessmentService>();
                await assessments.CreateAsync(referral.Id, new AssessmentInput { Instrument = "lefs", Timepoint = Timepoint.Intake, AssessedOn = today.AddDays(-45), Answers = [.. Enumerable.Repeat<int?>(1, 20)] });
                await assessments.CreateAsync(referral.Id, new AssessmentInput { Instrument = "lefs", Timepoint = Timepoint.Discharge, AssessedOn = today.AddDays(-5), Answers = [.. Enumerable.Repeat<int?>(2, 20)] });
            }
            return source.Id;
        });
        using var client = await app.SignedInClientAsync(org.AdminEmail);
        using var api = app.ApiClient(org.ApiKey);

        var editor = await client.GetStringAsync("/Settings/Templates/report-card-intro", ct);
        Assert.Contains("{{physician.salutation}}", editor, StringComparison.Ordinal);
        using (var typo = await client.PostAsync("/Settings/Templates/report-card-intro", Form(editor, ("Markdown", "Dear {{physcian.name}}")), ct))
        {
            Assert.Equal(HttpStatusCode.OK, typo.StatusCode);
            Assert.Contains("line 1: unknown placeholder {{physcian.name}}", WebUtility.HtmlDecode(await typo.Content.ReadAsStringAsync(ct)), StringComparison.Ordinal);
        }
        using (var saved = await client.PostAsync("/Settings/Templates/report-card-intro",
            Form(editor, ("Markdown", "## Hello {{physician.salutation}}\n\n<script>alert(1)</script> **Thank you.**")), ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        var preview = await client.GetStringAsync("/Settings/Templates/report-card-intro", ct);
        Assert.DoesNotContain("<script>alert(1)</script>", preview, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", preview, StringComparison.Ordinal);

        var pdf = await api.GetByteArrayAsync($"/api/v1/sources/{sourceId}/report-card.pdf", ct);
        var text = PdfText(pdf, out _);
        Assert.Contains("Hello Dr. Lee", text, StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script> Thank you.", text, StringComparison.Ordinal);
        Assert.Contains("LEFS Knee fewer than 5", text, StringComparison.Ordinal);
        var page = await client.GetStringAsync($"/Sources/{sourceId}/ReportCard", ct);
        Assert.Contains("<h2>Hello Dr. Lee</h2>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);

        // Printing from the page is a POST with the antiforgery token (issue 12, item 7): the old GET
        // link, which another site could make a signed-in browser follow, shows the page and logs nothing.
        async Task<int> ReportTouchesAsync() => await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Touchpoints
            .CountAsync(t => t.SourceId == sourceId && t.Method == TouchMethod.Report, ct));
        var before = await ReportTouchesAsync();
        using (var crossSite = await client.GetAsync($"/Sources/{sourceId}/ReportCard?handler=Pdf&from=2025-01-01&to=2025-12-31", ct))
        {
            Assert.Equal("text/html", crossSite.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(before, await ReportTouchesAsync());
        var yearPage = await client.GetStringAsync($"/Sources/{sourceId}/ReportCard?from=2025-01-01&to=2025-12-31", ct);
        using (var printed = await client.PostAsync($"/Sources/{sourceId}/ReportCard?handler=Pdf", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["from"] = "2025-01-01", ["to"] = "2025-12-31", ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(yearPage),
        }), ct))
        {
            Assert.Equal("application/pdf", printed.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(before + 1, await ReportTouchesAsync());

        // With a minimum of 3 (the practice's choice), the same slice is shown and compared.
        var settings = await client.GetStringAsync("/Settings/ReportCards", ct);
        using (var zero = await client.PostAsync("/Settings/ReportCards", Form(settings, ("Input.MinimumCellSize", "0"), ("Input.Paper", "A4")), ct))
        {
            Assert.Contains("The minimum cell size must be a whole number from 1 to 50.", WebUtility.HtmlDecode(await zero.Content.ReadAsStringAsync(ct)), StringComparison.Ordinal);
        }
        using (var three = await client.PostAsync("/Settings/ReportCards", Form(settings, ("Input.MinimumCellSize", "3"), ("Input.Paper", "A4")), ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, three.StatusCode);
        }
        var card = await api.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{sourceId}/report-card", ct);
        var knee = Assert.Single(card.GetProperty("outcomes").EnumerateArray());
        Assert.Equal(3, knee.GetProperty("patients").GetProperty("n").GetInt32());
        Assert.Equal("+20.0", Display(knee.GetProperty("meanChange"), "yours"));
        Assert.Equal("+20.0", Display(knee.GetProperty("meanChange"), "practice"));
        using var a4 = PdfDocument.Open(await api.GetByteArrayAsync($"/api/v1/sources/{sourceId}/report-card.pdf", ct));
        Assert.Equal(595, a4.GetPage(1).Width, 0);
        Assert.Contains("LEFS Knee 3 +20.0 +20.0", string.Join(' ', a4.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)), StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string pageWithForm, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Append(new KeyValuePair<string, string>("__RequestVerificationToken", RapportApp.AntiforgeryToken(pageWithForm))));

    internal static async Task<(int OrganizationId, string ApiKey)> SeedDemoAsync(RapportApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, ct)).Created);
        var organizationId = await scope.ServiceProvider.GetRequiredService<RapportDbContext>().Organizations.Select(o => o.Id).SingleAsync(ct);
        var key = await app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<ApiKeyService>().CreateAsync("report-card tests", "tests", ct));
        return (organizationId, key.Secret);
    }

    internal static string PdfText(byte[] pdf, out int pages)
    {
        using var document = PdfDocument.Open(pdf);
        pages = document.NumberOfPages;
        return string.Join(' ', document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
    }

    private static string Display(JsonElement comparison, string side) => comparison.GetProperty(side).GetProperty("display").GetString()!;
}
