using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Data;
using Rapport.Nps;
using Rapport.Referrals;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Nps;

public sealed class NpsResultsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Api_and_cli_report_the_score_overall_and_by_group(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var today = TestClock.Today;
        // Ten answers as in the unit test's hand computation: NPS 20, margin 54.0.
        int[] scores = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0];
        using var api = app.ApiClient(org.ApiKey);
        using var import = await api.PostAsJsonAsync("/api/v1/nps/responses",
            scores.Select((s, i) => new { externalId = $"other-{i}", respondedOn = today.AddDays(-i), score = s, comment = s <= 6 ? "Too long a wait" : null }));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(10, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());

        var overall = await api.GetFromJsonAsync<JsonElement>("/api/v1/nps");
        Assert.Equal(20, overall.GetProperty("nps").GetDouble());
        Assert.Equal(10, overall.GetProperty("n").GetInt32());
        Assert.Equal(5, overall.GetProperty("promoters").GetInt32());
        Assert.Equal(2, overall.GetProperty("passives").GetInt32());
        Assert.Equal(3, overall.GetProperty("detractors").GetInt32());
        Assert.Equal(54.0, overall.GetProperty("marginOfError").GetDouble());
        Assert.False(overall.TryGetProperty("group", out var _));

        var byMonth = await api.GetFromJsonAsync<JsonElement>("/api/v1/nps?by=month");
        Assert.Equal(JsonValueKind.Array, byMonth.ValueKind);
        Assert.Equal(10, byMonth.EnumerateArray().Sum(g => g.GetProperty("n").GetInt32()));
        Assert.All(byMonth.EnumerateArray(), g => Assert.Matches(@"^\d{4}-\d{2}$", g.GetProperty("group").GetString()));

        using var bad = await api.GetAsync("/api/v1/nps?by=weather");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // Re-importing the same answers changes nothing; recent detractors have follow-ups.
        using var again = await api.PostAsJsonAsync("/api/v1/nps/responses",
            scores.Select((s, i) => new { externalId = $"other-{i}", respondedOn = today.AddDays(-i), score = s }));
        Assert.Equal(10, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alreadyImported").GetInt32());
        var open = await api.GetFromJsonAsync<JsonElement>("/api/v1/nps/followups");
        Assert.Equal(3, open.GetArrayLength());
        var followUpId = open[0].GetProperty("id").GetInt32();
        using var noNote = await api.PostAsJsonAsync($"/api/v1/nps/followups/{followUpId}/close", new { note = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        using var closed = await api.PostAsJsonAsync($"/api/v1/nps/followups/{followUpId}/close", new { note = "Called; wait times fixed." });
        Assert.Equal(HttpStatusCode.NoContent, closed.StatusCode);
        Assert.Equal(2, (await api.GetFromJsonAsync<JsonElement>("/api/v1/nps/followups")).GetArrayLength());
        var done = Assert.Single((await api.GetFromJsonAsync<JsonElement>("/api/v1/nps/followups?closed=true")).EnumerateArray());
        Assert.Equal("Called; wait times fixed.", done.GetProperty("note").GetString());

        var cli = await Infrastructure.Cli.RunAsync(app.Database, "nps", "--format", "json");
        Assert.Equal(0, cli.ExitCode);
        var cliJson = JsonDocument.Parse(cli.Stdout).RootElement;
        Assert.Equal(20, cliJson.GetProperty("nps").GetDouble());
        Assert.Equal(54.0, cliJson.GetProperty("marginOfError").GetDouble());

        var cliByClinic = await Infrastructure.Cli.RunAsync(app.Database, "nps", "--format", "json", "--by", "clinic");
        Assert.Equal(0, cliByClinic.ExitCode);
        var group = Assert.Single(JsonDocument.Parse(cliByClinic.Stdout).RootElement.EnumerateArray());
        Assert.Equal("(no clinic)", group.GetProperty("group").GetString());
        Assert.Equal(10, group.GetProperty("n").GetInt32());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_survey_answered_twice_at_once_is_saved_once(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var token = SurveyInvitations.NewToken(org.Id);
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            var patient = new Patients.Patient { ExternalId = "P1", FirstName = "Ann", LastName = "Lee" };
            db.Patients.Add(patient);
            await db.SaveChangesAsync();
            db.Add(new SurveyInvitation
            {
                TokenHash = SurveyInvitations.HashToken(token), PatientId = patient.Id, ClinicId = org.ClinicId, Trigger = InvitationTrigger.Manual,
                CreatedAt = TestClock.UtcNow, ExpiresAt = TestClock.UtcNow.AddDays(30), PayerCategory = PayerCategory.Medicare,
            });
            return await db.SaveChangesAsync();
        });

        async Task<SurveyOutcome> AnswerAsync(int score)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SurveyResponses>().AnswerAsync(token, new SurveyAnswer(score, null, false));
        }
        var outcomes = await Task.WhenAll(AnswerAsync(10), AnswerAsync(2), AnswerAsync(9));

        Assert.Single(outcomes, o => o.Accepted);
        var saved = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Set<NpsResponse>().Select(r => r.Score).ToListAsync());
        Assert.Single(saved);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(SurveyState.Answered, (await scope.ServiceProvider.GetRequiredService<SurveyResponses>().OpenAsync(token)).State);
        var expiredToken = SurveyInvitations.NewToken(org.Id);
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            db.Add(new SurveyInvitation
            {
                TokenHash = SurveyInvitations.HashToken(expiredToken), PatientId = await db.Patients.Select(p => p.Id).FirstAsync(), ClinicId = org.ClinicId,
                Trigger = InvitationTrigger.Manual, CreatedAt = TestClock.UtcNow.AddDays(-40), ExpiresAt = TestClock.UtcNow.AddDays(-10),
            });
            return await db.SaveChangesAsync();
        });
        await using var expiredScope = app.Services.CreateAsyncScope();
        var late = await expiredScope.ServiceProvider.GetRequiredService<SurveyResponses>().AnswerAsync(expiredToken, new SurveyAnswer(10, null, false));
        Assert.Equal((SurveyState.Expired, false), (late.State, late.Accepted));
        await using var unknownScope = app.Services.CreateAsyncScope();
        Assert.Equal(SurveyState.Unknown, (await unknownScope.ServiceProvider.GetRequiredService<SurveyResponses>().OpenAsync(SurveyInvitations.NewToken(org.Id))).State);
    }
}
