using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Outcomes;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;

namespace Rapport.Tests.Outcomes;

public sealed class AssessmentPagesTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Clinician_enters_forms_item_by_item_and_the_episode_page_shows_the_progress(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Entry PT");
        var today = TestClock.Today;
        var referralId = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "P1", FirstName = "Ann", LastName = "Back" });
            return (await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput
            {
                PatientId = patient.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-30), EvaluatedOn = today.AddDays(-28), VisitCount = 8,
            })).Id;
        });
        using var client = await app.SignedInClientAsync(org.AdminEmail);
        var url = $"/Episodes/{referralId}/Assess?instrument=odi";
        var form = await Forms.ParseAsync(await client.GetAsync(url, TestContext.Current.CancellationToken));
        var items = form.QuerySelectorAll("#assessment-form input[type=number][name^='Items']");
        Assert.Equal(10, items.Length);
        Assert.All(items, i => Assert.Equal("5", i.GetAttribute("max")));
        Assert.Equal("Intake", form.QuerySelector("#Timepoint option[selected]")?.GetAttribute("value"));

        Dictionary<string, string> Fields(string timepoint, DateOnly on, params string[] answers)
        {
            var fields = new Dictionary<string, string> { ["Instrument"] = "odi", ["Timepoint"] = timepoint, ["AssessedOn"] = on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
            for (var i = 0; i < answers.Length; i++)
            {
                fields[$"Items[{i}]"] = answers[i];
            }
            return fields;
        }

        using var refused = await Forms.PostAsync(client, url, Fields("Intake", today.AddDays(-28), "2", "2", "2", "2", "2", "2", "2", "1", "1", "7"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Item 10: 7 is outside 0–5.", (await Forms.ParseAsync(refused)).QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);

        // The ODI sheet's example with one section left blank: 16/45 = 35.6%.
        using var intake = await Forms.PostAsync(client, url, Fields("Intake", today.AddDays(-28), "2", "2", "2", "2", "2", "2", "2", "1", "1", ""));
        Assert.Equal(HttpStatusCode.Redirect, intake.StatusCode);
        using var interim = await Forms.PostAsync(client, url, Fields("Interim", today.AddDays(-7), "1", "1", "1", "1", "1", "1", "1", "1", "0", "0"));
        Assert.Equal(HttpStatusCode.Redirect, interim.StatusCode);

        var stored = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<AssessmentService>().ListAsync(referralId));
        Assert.Equal(16.0 / 45 * 100, stored[0].Score!.Value, 10);
        Assert.Equal("Entry PT Admin", stored[0].CreatedBy);
        var page = await Forms.ParseAsync(await client.GetAsync($"/Episodes/{referralId}", TestContext.Current.CancellationToken));
        var words = page.QuerySelector(".outcome-track[data-instrument=odi] .outcome-words")!.TextContent;
        // 35.6% → 16%: a fall of 19.6 points, beyond the MIC of 10, 21 days after intake; visits estimated from 8 visits over 28 days.
        Assert.Contains("+19.6", words, StringComparison.Ordinal);
        Assert.Contains($"MCID (10) reached on {today.AddDays(-7):yyyy-MM-dd}, 21 days and about 6 visits after intake", words, StringComparison.Ordinal);
        Assert.Equal(2, page.QuerySelectorAll(".outcome-chart circle.point").Length);
    }
}
