using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Outcomes;

public sealed class AssessmentImportTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Import_assessments_scores_each_form_rejects_bad_rows_by_line_and_does_not_duplicate(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Import PT");
        var today = TestClock.Today;
        var referralId = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "P1", FirstName = "Ann", LastName = "Hip" });
            return (await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput
            {
                ExternalId = "RF-1", PatientId = patient.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-40), EvaluatedOn = today.AddDays(-35),
            })).Id;
        });
        var folder = Directory.CreateTempSubdirectory("rapport-assessments-");
        var bad = Path.Combine(folder.FullName, "bad.csv");
        await File.WriteAllTextAsync(bad, $"""
            referral_external_id,instrument,timepoint,date,answers,visit_number,item_names
            RF-1,HOOS-JR,intake,{today.AddDays(-35):yyyy-MM-dd},3;3;3;3;2;2,1,
            RF-1,hoos-jr,discharge,{today:yyyy-MM-dd},5;0;0;0;0;0,,
            RF-9,odi,intake,{today:yyyy-MM-dd},1;1;1;1;1;1;1;1;1;1,,
            """, TestContext.Current.CancellationToken);
        var rejected = await Infrastructure.Cli.RunAsync(app.Database, "import", "assessments", bad, "--org", org.Slug);
        Assert.Equal(2, rejected.ExitCode);
        Assert.Contains($"{bad}:3: answers: Item 1: 5 is outside 0–4.", rejected.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{bad}:4: referral_external_id: No referral has external id 'RF-9'", rejected.Stderr, StringComparison.Ordinal);

        var good = Path.Combine(folder.FullName, "good.csv");
        await File.WriteAllTextAsync(good, $"""
            referral_external_id,instrument,timepoint,date,answers,visit_number,item_names
            RF-1,HOOS-JR,intake,{today.AddDays(-35):yyyy-MM-dd},3;3;3;3;2;2,1,
            RF-1,psfs,intake,{today.AddDays(-35):yyyy-MM-dd},3;4;2,1,Walking;Stairs;Lifting
            RF-1,hoos-jr,interim,{today.AddDays(-14):yyyy-MM-dd},2;2;2;2;2;,6,
            """, TestContext.Current.CancellationToken);
        var first = await Infrastructure.Cli.RunAsync(app.Database, "import", "assessments", good, "--org", org.Slug);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("3 added, 0 updated, 0 unchanged", first.Stdout, StringComparison.Ordinal);
        var again = await Infrastructure.Cli.RunAsync(app.Database, "import", "assessments", good, "--org", org.Slug);
        Assert.Contains("0 added, 0 updated, 3 unchanged", again.Stdout, StringComparison.Ordinal);

        using var api = app.ApiClient(org.ApiKey);
        var forms = await api.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{referralId}/assessments", TestContext.Current.CancellationToken);
        Assert.Equal(3, forms.GetArrayLength());
        var intake = forms.EnumerateArray().Single(f => f.GetProperty("instrument").GetString() == "hoos-jr" && f.GetProperty("timepoint").GetString() == "Intake");
        Assert.Equal(39.902, intake.GetProperty("score").GetDouble());
        var psfs = forms.EnumerateArray().Single(f => f.GetProperty("instrument").GetString() == "psfs");
        Assert.Equal(3, psfs.GetProperty("score").GetDouble());
        Assert.Equal("Stairs", psfs.GetProperty("itemNames")[1].GetString());
        var interim = forms.EnumerateArray().Single(f => f.GetProperty("timepoint").GetString() == "Interim");
        Assert.False(interim.GetProperty("scorable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, interim.GetProperty("score").ValueKind);
        folder.Delete(recursive: true);
    }
}
