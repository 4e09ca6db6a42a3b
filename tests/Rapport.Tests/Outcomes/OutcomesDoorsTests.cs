using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Outcomes;

public sealed class OutcomesDoorsTests
{
    private static readonly DateOnly Today = TestClock.Today;

    /// <summary>The CLI, the API and the scoring page go through one scoring path: same answers, same unrounded score.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Cli_api_and_ui_give_the_same_score_for_the_same_answers(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Scoring PT");
        using var api = app.ApiClient(org.ApiKey);
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        (string Code, string Answers, double? Expected)[] cases =
        [
            ("ODI", "2,2,2,2,2,2,2,1,1,", 16.0 / 45 * 100),      // the ODI sheet's example with one section missing
            ("koos-jr", "1,2,3,0,1,2,3", 57.140),                 // raw 12 → 57.140 in the HSS table
            ("quickdash", "2,3,2,3,2,3,2,3,2,3,", 37.5),
            ("lefs", "3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,,,,,", null), // five missing: not scorable
        ];
        foreach (var (code, answers, expected) in cases)
        {
            var cli = await Infrastructure.Cli.RunAsync(app.Database, "score", code, "--answers", answers, "--format", "json");
            Assert.True(cli.ExitCode == 0, cli.Stderr);
            var fromCli = JsonDocument.Parse(cli.Stdout).RootElement;

            var array = answers.Split(',').Select(a => a.Length == 0 ? (int?)null : int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
            var response = await api.PostAsJsonAsync($"/api/v1/instruments/{code}/score", new { answers = array }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var fromApi = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

            var html = await browser.GetStringAsync($"/Outcomes/Score?instrument={code}&answers={Uri.EscapeDataString(answers)}", TestContext.Current.CancellationToken);
            var result = new HtmlParser().ParseDocument(html).QuerySelector("#score-result")!;

            Assert.Equal(code.ToLowerInvariant(), fromCli.GetProperty("instrument").GetString());
            Assert.Equal(fromApi.GetProperty("instrument").GetString(), fromCli.GetProperty("instrument").GetString());
            foreach (var field in new[] { "score", "scorable", "raw", "direction", "mcid" })
            {
                Assert.Equal(fromApi.GetProperty(field).ToString(), fromCli.GetProperty(field).ToString());
            }
            Assert.Equal(fromApi.GetProperty("scorable").GetBoolean() ? "true" : "false", result.GetAttribute("data-scorable"));
            if (expected is { } value)
            {
                Assert.Equal(value, fromApi.GetProperty("score").GetDouble(), 10);
                Assert.Equal(fromApi.GetProperty("score").GetDouble(), double.Parse(result.GetAttribute("data-score")!, CultureInfo.InvariantCulture));
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, fromApi.GetProperty("score").ValueKind);
                Assert.Equal(JsonValueKind.Null, fromCli.GetProperty("score").ValueKind);
                Assert.Contains("not scorable", result.TextContent, StringComparison.Ordinal);
            }
        }

        var bad = await Infrastructure.Cli.RunAsync(app.Database, "score", "odi", "--answers", "1,1,1,1,1,1,1,1,1,6");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Item 10: 6 is outside 0–5.", bad.Stderr, StringComparison.Ordinal);
        var badApi = await api.PostAsJsonAsync("/api/v1/instruments/odi/score", new { answers = "1,1,1,1,1,1,1,1,1,6" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, badApi.StatusCode);
        Assert.Contains("Item 10: 6 is outside 0–5.", await badApi.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync("/api/v1/instruments/womac/score", new { answers = "1" }, TestContext.Current.CancellationToken)).StatusCode);
        var catalogue = await api.GetFromJsonAsync<JsonElement>("/api/v1/instruments", TestContext.Current.CancellationToken);
        Assert.Equal(10, catalogue.GetArrayLength());
    }

    /// <summary>Assessments recorded through the API become the episode's outcome and the cohort's results (API and CLI agree).</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Recorded_assessments_add_up_to_episode_outcome_and_cohort_results(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Hips PT");
        var other = await app.CreateOrganizationAsync("Other PT");
        var episodes = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var procedure = i < 5 ? "Total hip arthroplasty" : "Total knee arthroplasty";
            episodes.Add(await app.InOrganizationAsync(org.Id, async sp =>
            {
                var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = $"P{i}", FirstName = "Pat", LastName = $"Hip{i}" });
                var referral = await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput
                {
                    PatientId = patient.Id, ClinicId = org.ClinicId, ReceivedOn = Today.AddDays(-60), EvaluatedOn = Today.AddDays(-55),
                    DischargedOn = Today.AddDays(-5), Procedure = procedure, BodyRegion = "Hip", VisitCount = 10,
                });
                return referral.Id;
            }));
        }
        using var api = app.ApiClient(org.ApiKey);
        // HOOS JR intake raw 16 (39.902); the first three reach MCID 8 at the interim form (raw 12 → 52.965) 20 days later; two do not.
        for (var i = 0; i < 6; i++)
        {
            var url = $"/api/v1/referrals/{episodes[i]}/assessments";
            var intake = await api.PostAsJsonAsync(url, new { instrument = "HOOS-JR", timepoint = "Intake", assessedOn = Today.AddDays(-55), answers = "3,3,3,3,2,2", score = 99 },
                TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Created, intake.StatusCode);
            var interim = i < 3 ? "2,2,2,2,2,2" : "3,3,3,3,2,1";
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync(url,
                new { instrument = "hoos-jr", timepoint = "Interim", assessedOn = Today.AddDays(-35), answers = interim }, TestContext.Current.CancellationToken)).StatusCode);
        }
        var list = await api.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{episodes[0]}/assessments", TestContext.Current.CancellationToken);
        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal(39.902, list[0].GetProperty("score").GetDouble()); // computed, not the 99 sent
        Assert.Equal("hoos-jr", list[0].GetProperty("instrument").GetString());

        var rejected = await api.PostAsJsonAsync($"/api/v1/referrals/{episodes[0]}/assessments",
            new { instrument = "hoos-jr", timepoint = "Discharge", assessedOn = Today, answers = new int?[] { 5, 0, 0, 0, 0, null } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("Item 1: 5 is outside 0–4.", await rejected.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var otherApi = app.ApiClient(other.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.GetAsync($"/api/v1/referrals/{episodes[0]}/assessments", TestContext.Current.CancellationToken)).StatusCode);

        var cohort = await api.GetFromJsonAsync<JsonElement>("/api/v1/outcomes?instrument=hoos-jr&by=procedure", TestContext.Current.CancellationToken);
        var groups = cohort.GetProperty("groups").EnumerateArray().ToList();
        var hips = groups.Single(g => g.GetProperty("group").GetString() == "Total hip arthroplasty");
        Assert.Equal(5, hips.GetProperty("n").GetInt32());
        Assert.Equal(3, hips.GetProperty("mcidReached").GetInt32());
        Assert.Equal(0.6, hips.GetProperty("mcidShare").GetDouble(), 10);
        // Changes: 3 × (52.965 − 39.902) = 13.063, 2 × (raw 15: 43.335 − 39.902) = 3.433; mean = (3 × 13.063 + 2 × 6.75) / 5.
        Assert.Equal((3 * (52.965 - 39.902) + 2 * (43.335 - 39.902)) / 5, hips.GetProperty("meanChange").GetProperty("value").GetDouble(), 9);
        Assert.Equal(20, hips.GetProperty("timeToMcid").GetProperty("medianDays").GetInt32());
        var knees = groups.Single(g => g.GetProperty("group").GetString() == "Total knee arthroplasty");
        Assert.True(knees.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, knees.GetProperty("n").ValueKind);

        var cli = await Infrastructure.Cli.RunAsync(app.Database, "outcomes", "--by", "procedure", "--instrument", "hoos-jr", "--format", "json", "--org", org.Slug);
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        var cliHips = JsonDocument.Parse(cli.Stdout).RootElement.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("group").GetString() == "Total hip arthroplasty");
        Assert.Equal(JsonSerializer.Serialize(hips.GetProperty("meanChange")), JsonSerializer.Serialize(cliHips.GetProperty("meanChange")));
        Assert.Equal(hips.GetProperty("timeToMcid").GetProperty("medianDays").ToString(), cliHips.GetProperty("timeToMcid").GetProperty("medianDays").ToString());
        var table = await Infrastructure.Cli.RunAsync(app.Database, "outcomes", "--by", "procedure", "--instrument", "hoos-jr", "--org", org.Slug);
        Assert.Contains("suppressed", table.Stdout, StringComparison.Ordinal);

        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var episodePage = new HtmlParser().ParseDocument(await browser.GetStringAsync($"/Episodes/{episodes[0]}", TestContext.Current.CancellationToken));
        var words = episodePage.QuerySelector(".outcome-track[data-instrument=hoos-jr] .outcome-words")!.TextContent;
        Assert.Contains($"MCID (8) reached on {Today.AddDays(-35):yyyy-MM-dd}, 20 days", words, StringComparison.Ordinal);
        Assert.NotNull(episodePage.QuerySelector(".outcome-chart svg .mcid-band"));
        var outcomesPage = new HtmlParser().ParseDocument(await browser.GetStringAsync("/Outcomes?instrument=hoos-jr&by=procedure", TestContext.Current.CancellationToken));
        Assert.Contains("Total hip arthroplasty", outcomesPage.QuerySelector("#cohort-table")!.TextContent, StringComparison.Ordinal);
    }
}
