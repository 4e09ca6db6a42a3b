using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;

namespace Rapport.Tests.Referrals;

/// <summary>The intake form's two-level channel question, the patient's phone and e-mail, and the queue's setting, through the pages without script.</summary>
public sealed class ReferralIntakeChannelTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Intake_asks_physician_or_direct_access_and_keeps_the_patients_phone_and_email(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var npi = Formats.NpiWithCheckDigit("987654321");
        await app.InOrganizationAsync(org.Id, async sp => (await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "House", Npi = npi })).Id);
        using var client = await app.SignedInClientAsync(org.AdminEmail);
        Dictionary<string, string> Form(params (string Key, string Value)[] extra)
        {
            var form = new Dictionary<string, string>
            {
                ["NewPatient.ExternalId"] = "MRN-9", ["NewPatient.FirstName"] = "Grace", ["NewPatient.LastName"] = "Hopper",
                ["NewPatient.Phone"] = "555.867.5309", ["NewPatient.Email"] = "grace@example.test",
                ["Input.ClinicId"] = org.ClinicId.ToString(CultureInfo.InvariantCulture), ["Input.ReceivedOn"] = TestClock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in extra)
            {
                form[key] = value;
            }
            return form;
        }

        // No answer, then a physician referral without its source, then direct access without how: each is asked for on its field, and nothing is saved.
        using (var unanswered = await Forms.PostAsync(client, "/Referrals/New", Form()))
        {
            Assert.Equal(HttpStatusCode.OK, unanswered.StatusCode);
            Assert.Contains("Say how the referral came", (await Forms.ParseAsync(unanswered)).QuerySelector("[data-valmsg-for='ChannelKind']")?.TextContent, StringComparison.Ordinal);
        }
        using (var noSource = await Forms.PostAsync(client, "/Referrals/New", Form(("ChannelKind", "physician"))))
        {
            Assert.Contains("needs its referring source", (await Forms.ParseAsync(noSource)).QuerySelector("[data-valmsg-for='SourceText']")?.TextContent, StringComparison.Ordinal);
        }
        using (var noHow = await Forms.PostAsync(client, "/Referrals/New", Form(("ChannelKind", "direct"))))
        {
            Assert.Contains("how the patient heard about us", (await Forms.ParseAsync(noHow)).QuerySelector("[data-valmsg-for='DirectChannel']")?.TextContent, StringComparison.Ordinal);
        }
        using (var badPhone = await Forms.PostAsync(client, "/Referrals/New", Form(("ChannelKind", "direct"), ("DirectChannel", "Website"), ("NewPatient.Phone", "555-12"))))
        {
            Assert.Contains("is not a US phone number", (await Forms.ParseAsync(badPhone)).QuerySelector("[data-valmsg-for='NewPatient.Phone']")?.TextContent, StringComparison.Ordinal);
        }
        Assert.Equal(0, (await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<PatientService>().ListAsync(new PatientListQuery()))).Total);

        // Direct access by a web search: a source left in the hidden physician half is not part of the answer.
        using var saved = await Forms.PostAsync(client, "/Referrals/New", Form(("ChannelKind", "direct"), ("DirectChannel", "WebSearch"), ("SourceText", npi)));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (referral, patient) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var row = Assert.Single((await sp.GetRequiredService<ReferralQueue>().ListAsync(new ReferralQueueQuery())).Items);
            return (row, (await sp.GetRequiredService<PatientService>().GetAsync(row.PatientId))!);
        });
        Assert.Equal((AcquisitionChannel.WebSearch, (int?)null), (referral.AcquisitionChannel!.Value, referral.SourceId));
        Assert.Equal(("(555) 867-5309", "grace@example.test"), (patient.Phone, patient.Email));
        Assert.Equal("(555) 867-5309", referral.PatientPhone);

        // The edit form shows the answer and can change it to a physician referral.
        var edit = await client.GetStringAsync($"/Referrals/{referral.Id}/Edit", TestContext.Current.CancellationToken);
        Assert.Contains("value=\"direct\" checked=\"checked\"", edit, StringComparison.Ordinal);
        Assert.Contains("<option value=\"WebSearch\" selected=\"selected\">Google/search</option>", edit, StringComparison.Ordinal);
        using var changed = await Forms.PostAsync(client, $"/Referrals/{referral.Id}/Edit", new Dictionary<string, string>
        {
            ["ChannelKind"] = "physician", ["SourceText"] = npi, ["Input.ClinicId"] = org.ClinicId.ToString(CultureInfo.InvariantCulture),
            ["Input.ReceivedOn"] = TestClock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var after = await app.InOrganizationAsync(org.Id, async sp => (await sp.GetRequiredService<ReferralService>().GetAsync(referral.Id))!);
        Assert.Equal(AcquisitionChannel.Physician, after.AcquisitionChannel);
        Assert.NotNull(after.SourceId);

        // Settings → Referral queue changes when a received referral is overdue.
        using var setting = await Forms.PostAsync(client, "/Settings/Referrals", new Dictionary<string, string> { ["Input.ScheduleWithinBusinessDays"] = "4" });
        Assert.Equal(HttpStatusCode.Redirect, setting.StatusCode);
        Assert.Equal(4, await app.InOrganizationAsync(org.Id, async sp => (await sp.GetRequiredService<ReferralQueueSettingsService>().GetAsync()).ScheduleWithinBusinessDays));
        using var refused = await Forms.PostAsync(client, "/Settings/Referrals", new Dictionary<string, string> { ["Input.ScheduleWithinBusinessDays"] = "99" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("from 0 to 30", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
