using Microsoft.Extensions.DependencyInjection;
using Rapport.Outcomes;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;

namespace Rapport.Tests.Outcomes;

public sealed class NewAssessmentDefaultTests
{
    [Theory]
    [InlineData("Knee", null, "koos-jr")]
    [InlineData("Multiple", "Total knee arthroplasty", "koos-jr")]
    [InlineData(null, "ACL reconstruction", "koos-jr")]
    [InlineData("Hip", "Total hip arthroplasty", "hoos-jr")]
    [InlineData("Lumbar spine", null, "odi")]
    [InlineData("Cervical spine", null, "ndi")]
    [InlineData("Shoulder", "Rotator cuff repair", "quickdash")]
    [InlineData("Elbow", null, "quickdash")]
    [InlineData("Wrist/hand", null, "quickdash")]
    [InlineData("Ankle/foot", "Achilles tendon repair", "lefs")]
    [InlineData("Thoracic spine", null, null)]
    [InlineData("Other", "Vestibular rehabilitation", null)]
    [InlineData(null, null, null)]
    public void The_body_region_or_procedure_suggests_an_instrument(string? region, string? procedure, string? expected) =>
        Assert.Equal(expected, InstrumentChoice.Suggest(region, procedure));

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task New_assessment_starts_on_the_episodes_own_instrument(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Knee PT");
        var today = TestClock.Today;
        var (assessed, kneeOnly, ankle) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var patients = sp.GetRequiredService<PatientService>();
            var referrals = sp.GetRequiredService<ReferralService>();
            var patient = await patients.CreateAsync(new PatientInput { ExternalId = "K1", FirstName = "Kay", LastName = "Knee" });
            async Task<int> Episode(string region) => (await referrals.CreateAsync(new ReferralInput
            {
                PatientId = patient.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-30), EvaluatedOn = today.AddDays(-28), BodyRegion = region,
            })).Id;
            // Assessed on KOOS JR although recorded as a hip: the form already used wins over the region.
            var assessed = await Episode("Hip");
            await sp.GetRequiredService<AssessmentService>().CreateAsync(assessed, new AssessmentInput
            {
                Instrument = "koos-jr", Timepoint = Timepoint.Intake, AssessedOn = today.AddDays(-28), Answers = [2, 2, 2, 2, 2, 2, 2],
            });
            return (assessed, await Episode("Knee"), await Episode("Ankle/foot"));
        });
        using var client = await app.SignedInClientAsync(org.AdminEmail);

        async Task<string?> Preselected(int id) =>
            (await Forms.ParseAsync(await client.GetAsync($"/Episodes/{id}", TestContext.Current.CancellationToken)))
                .QuerySelector("#new-assessment #instrument option[selected]")?.GetAttribute("value");

        Assert.Equal("koos-jr", await Preselected(assessed));
        Assert.Equal("koos-jr", await Preselected(kneeOnly));
        Assert.Equal("lefs", await Preselected(ankle));

        // Opening the form without choosing starts on the same instrument; choosing another still works.
        var form = await Forms.ParseAsync(await client.GetAsync($"/Episodes/{kneeOnly}/Assess", TestContext.Current.CancellationToken));
        Assert.Equal("koos-jr", form.QuerySelector("#assessment-form input[name=Instrument]")?.GetAttribute("value"));
        Assert.Equal(7, form.QuerySelectorAll("#assessment-form input[type=number][name^='Items']").Length);
        var other = await Forms.ParseAsync(await client.GetAsync($"/Episodes/{kneeOnly}/Assess?instrument=lefs", TestContext.Current.CancellationToken));
        Assert.Equal(20, other.QuerySelectorAll("#assessment-form input[type=number][name^='Items']").Length);
    }
}
