using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.ApiKeys;
using Rapport.Common;
using Rapport.Data;
using Rapport.Demo;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Letters.LetterTestKit;

namespace Rapport.Tests.Letters;

public sealed class DemoLetterTests
{
    /// <summary>
    /// Dr. House's discharged patients: each discharge letter prints that patient's name, date of
    /// birth, change and MCID status exactly as the API reports the episode outcome.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_discharge_letters_show_each_patients_change_and_MCID_status_as_the_api_reports_them(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var (organizationId, apiKey) = await SeedDemoAsync(app);
        using var api = app.ApiClient(apiKey);
        var house = (await api.GetOkAsync($"/api/v1/sources?search={Formats.NpiWithCheckDigit(DemoPlan.HouseNpiDigits)}")).GetProperty("items")[0].GetProperty("id").GetInt32();
        var discharged = (await api.GetOkAsync($"/api/v1/referrals?sourceId={house}&status=Discharged&pageSize=200")).GetProperty("items").EnumerateArray().ToList();

        var checkedReached = false;
        var checkedNotReached = false;
        foreach (var episode in discharged)
        {
            var id = episode.GetProperty("id").GetInt32();
            var tracks = (await api.GetOkAsync($"/api/v1/referrals/{id}/outcomes")).EnumerateArray().ToList();
            if (tracks.Count != 1 || tracks[0].GetProperty("outcome").ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            var outcome = tracks[0].GetProperty("outcome");
            var reached = outcome.GetProperty("mcidReached").GetBoolean();
            if ((reached && checkedReached) || (!reached && checkedNotReached) || outcome.GetProperty("mcid").ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            var response = await api.GetAsync($"/api/v1/referrals/{id}/letters/discharge.pdf", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            var text = PdfText(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

            var patient = await api.GetOkAsync($"/api/v1/patients/{episode.GetProperty("patientId").GetInt32()}");
            Assert.Contains($"{patient.GetProperty("firstName").GetString()} {patient.GetProperty("lastName").GetString()}", text, StringComparison.Ordinal);
            var birth = DateOnly.Parse(patient.GetProperty("birthDate").GetString()!, CultureInfo.InvariantCulture);
            Assert.Contains("Date of birth: " + birth.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
            Assert.Contains("Dear Dr. House,", text, StringComparison.Ordinal);
            Assert.Contains($"after {episode.GetProperty("visitCount").GetInt32()} visits", text, StringComparison.Ordinal);

            var change = outcome.GetProperty("change").GetDouble();
            var intake = outcome.GetProperty("intakeScore").GetDouble();
            var final = outcome.GetProperty("finalScore").GetDouble();
            var mcid = outcome.GetProperty("mcid").GetDouble().ToString("0.#", CultureInfo.InvariantCulture);
            // The table row: intake, final, signed change and MCID status (a cell may wrap, so each piece is looked for on its own).
            Assert.Contains(intake.ToString("0.#", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
            Assert.Contains(final.ToString("0.#", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
            var signed = (change > 0 ? "+" : "") + change.ToString("0.#", CultureInfo.InvariantCulture);
            Assert.Contains($" {signed} ", text, StringComparison.Ordinal);
            if (reached)
            {
                var on = DateOnly.Parse(outcome.GetProperty("mcidReachedOn").GetString()!, CultureInfo.InvariantCulture);
                var visits = outcome.GetProperty("visitsToMcid").ValueKind == JsonValueKind.Number
                    ? $", {(outcome.GetProperty("visitsEstimated").GetBoolean() ? "about " : "")}{outcome.GetProperty("visitsToMcid").GetInt32()} visits" : "";
                // The MCID cell wraps onto two or three lines whose words the PDF text interleaves with the
                // next columns' (how depends on the width of the date), so its words are looked for in order.
                var expected = $"reached {on.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)}: {outcome.GetProperty("daysToMcid").GetInt32()} days{visits} (MCID {mcid})";
                Assert.True(ContainsWordsInOrder(text, expected), $"'{expected}' not in the letter:\n{text}");
                Assert.DoesNotContain("not reached", text, StringComparison.Ordinal);
                checkedReached = true;
            }
            else
            {
                var expected = $"not reached (MCID {mcid})";
                Assert.True(text.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in the letter:\n{text}");
                checkedNotReached = true;
            }
            if (checkedReached && checkedNotReached)
            {
                break;
            }
        }
        Assert.True(checkedReached, "no discharged episode of Dr. House reached MCID");

        // Each PDF generated is a disclosure in the audit trail, naming the referral and never the patient.
        var disclosures = await app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<RapportDbContext>().AuditEvents
            .Where(a => a.Action == "Disclosed" && a.EntityType == "Letter").Select(a => a.Summary!).ToListAsync());
        Assert.Equal(checkedNotReached ? 2 : 1, disclosures.Count);
        Assert.All(disclosures, d => Assert.Contains("Discharge summary letter for referral", d, StringComparison.Ordinal));
    }

    /// <summary>The source page lists the letters Dr. House is owed, overdue ones marked; marking one faxed removes it and logs a touch.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Source_page_shows_due_and_overdue_letters_and_marking_one_faxed_clears_it(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var (_, apiKey) = await SeedDemoAsync(app);
        using var api = app.ApiClient(apiKey);
        using var browser = await app.SignedInClientAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
        var house = (await api.GetOkAsync($"/api/v1/sources?search={Formats.NpiWithCheckDigit(DemoPlan.HouseNpiDigits)}")).GetProperty("items")[0].GetProperty("id").GetInt32();
        var due = (await api.GetOkAsync($"/api/v1/letters/due?sourceId={house}")).EnumerateArray().ToList();
        Assert.Contains(due, d => d.GetProperty("state").GetString() == "Overdue");

        var html = await browser.GetStringAsync($"/Sources/{house}", TestContext.Current.CancellationToken);
        var page = new HtmlParser().ParseDocument(html);
        var rows = page.QuerySelectorAll("[data-testid=source-letters] tr[data-referral]").ToList();
        Assert.Equal(due.Count, rows.Count);
        foreach (var d in due)
        {
            var row = rows.Single(r => r.GetAttribute("data-referral") == d.GetProperty("referralId").GetInt32().ToString(CultureInfo.InvariantCulture)
                && r.GetAttribute("data-kind") == d.GetProperty("kind").GetString()!.ToLowerInvariant());
            Assert.Equal(d.GetProperty("state").GetString(), row.GetAttribute("data-state"));
            Assert.Contains(d.GetProperty("state").GetString() == "Overdue" ? "Overdue" : "Due", row.QuerySelector(".badge")!.TextContent, StringComparison.Ordinal);
        }
        Assert.Contains("overdue", page.QuerySelector("[data-testid=source-letters] h2")!.TextContent, StringComparison.Ordinal);

        var first = due.First(d => d.GetProperty("state").GetString() == "Overdue");
        var referral = first.GetProperty("referralId").GetInt32();
        var kind = first.GetProperty("kind").GetString()!.ToLowerInvariant();
        var touchesBefore = (await api.GetOkAsync($"/api/v1/touchpoints?sourceId={house}&method=Fax")).GetProperty("total").GetInt32();
        using var post = await browser.PostAsync($"/Episodes/{referral}/Letters/{kind}?handler=Send", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["via"] = "fax",
            ["returnUrl"] = $"/Sources/{house}#letters",
            ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(html),
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal($"/Sources/{house}#letters", post.Headers.Location?.OriginalString);

        var after = new HtmlParser().ParseDocument(await browser.GetStringAsync($"/Sources/{house}", TestContext.Current.CancellationToken));
        Assert.Equal(due.Count - 1, after.QuerySelectorAll("[data-testid=source-letters] tr[data-referral]").Length);
        Assert.Null(after.QuerySelector($"[data-testid=source-letters] tr[data-referral='{referral}'][data-kind='{kind}']"));
        Assert.Contains("recorded as sent by fax", after.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(touchesBefore + 1, (await api.GetOkAsync($"/api/v1/touchpoints?sourceId={house}&method=Fax")).GetProperty("total").GetInt32());

        // The practice-wide list and the CLI agree with the API.
        var all = (await api.GetOkAsync("/api/v1/letters/due")).EnumerateArray().ToList();
        var list = new HtmlParser().ParseDocument(await browser.GetStringAsync("/Letters", TestContext.Current.CancellationToken));
        Assert.Equal(all.Count, list.QuerySelectorAll("[data-testid=due-letters] tr[data-referral]").Length);
        var cli = await Infrastructure.Cli.RunAsync(app.Database, "letters", "due", "--format", "json");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        var fromCli = JsonDocument.Parse(cli.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(all.Select(d => (d.GetProperty("referralId").GetInt32(), d.GetProperty("kind").GetString())),
            fromCli.Select(d => (d.GetProperty("referralId").GetInt32(), d.GetProperty("kind").GetString())));
    }

    private static async Task<(int OrganizationId, string ApiKey)> SeedDemoAsync(RapportApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, TestContext.Current.CancellationToken)).Created);
        var organizationId = await scope.ServiceProvider.GetRequiredService<RapportDbContext>().Organizations.Select(o => o.Id).SingleAsync(TestContext.Current.CancellationToken);
        var key = await app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<ApiKeyService>().CreateAsync("letters", "tests"));
        return (organizationId, key.Secret);
    }

    /// <summary>True when the phrase's words appear in the text in that order, other words allowed between them.</summary>
    private static bool ContainsWordsInOrder(string text, string phrase)
    {
        var words = text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var at = 0;
        foreach (var word in phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            while (at < words.Length && words[at] != word) at++;
            if (at++ >= words.Length) return false;
        }
        return true;
    }
}
