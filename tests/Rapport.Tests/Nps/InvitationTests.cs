using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Data;
using Rapport.Email;
using Rapport.Nps;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Nps;

public sealed class InvitationTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Invitations_go_out_at_discharge_after_the_nth_visit_and_in_bulk_from_the_patients_list(string database)
    {
        // A mail server is configured (invitations exist to be e-mailed) but down, and this node sends nothing: the mail stays queued.
        await using var smtp = SmtpTestServer.OnFreePort();
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings(sendQueued: false)));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var today = TestClock.Today;
        var (withMail, withoutMail) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            await sp.GetRequiredService<SurveyInvitations>().SaveSettingsAsync(new NpsSettingsInput
            {
                InviteAtDischarge = true, InviteAfterVisits = 6, ExpiryDays = 14, Subject = "{PracticeName} asks", Body = "Hi {FirstName}: {SurveyLink}",
            });
            var patients = sp.GetRequiredService<PatientService>();
            var referrals = sp.GetRequiredService<ReferralService>();
            var a = await patients.CreateAsync(new PatientInput { ExternalId = "A", FirstName = "Ann", LastName = "Lee", Email = "ann@example.test" });
            var b = await patients.CreateAsync(new PatientInput { ExternalId = "B", FirstName = "Bo", LastName = "Kim" });
            var episodeA = await referrals.CreateAsync(new ReferralInput { PatientId = a.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-20), EvaluatedOn = today.AddDays(-18), VisitCount = 5 });
            await referrals.CreateAsync(new ReferralInput { PatientId = b.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-20), EvaluatedOn = today.AddDays(-18), DischargedOn = today });
            // The sixth visit invites once; saving again does not invite twice.
            var sixth = new ReferralInput { PatientId = a.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-20), EvaluatedOn = today.AddDays(-18), VisitCount = 6 };
            await referrals.UpdateAsync(episodeA.Id, sixth);
            await referrals.UpdateAsync(episodeA.Id, sixth with { VisitCount = 7 });
            return (a.Id, b.Id);
        });

        using var client = await app.SignedInClientAsync(org.AdminEmail);
        var list = await client.GetStringAsync("/Patients");
        using var post = await client.PostAsync("/Nps/Invitations", new FormUrlEncodedContent(
        [
            new("patientIds", withMail.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("patientIds", withoutMail.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("__RequestVerificationToken", RapportApp.AntiforgeryToken(list)),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);

        using var api = app.ApiClient(org.ApiKey);
        var invitations = (await api.GetFromJsonAsync<JsonElement>("/api/v1/nps/invitations")).EnumerateArray()
            .Select(i => (Patient: i.GetProperty("patientId").GetInt32(), Trigger: i.GetProperty("trigger").GetString(), Status: i.GetProperty("status").GetString()))
            .OrderBy(i => i.Patient).ThenBy(i => i.Trigger).ToList();
        Assert.Equal(
        [
            (withMail, "Manual", "Queued"), (withMail, "Visits", "Queued"),
            (withoutMail, "Discharge", "NoAddress"), (withoutMail, "Manual", "NoAddress"),
        ], invitations);
        var mail = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Set<OutboxMessage>()
            .Select(m => new { m.To, m.Subject, m.TextBody }).ToListAsync());
        Assert.Equal(2, mail.Count);
        Assert.All(mail, m => Assert.Equal(("ann@example.test", "Harbor PT asks"), (m.To, m.Subject)));
        Assert.All(mail, m => Assert.Matches(@"^Hi Ann: http://127\.0\.0\.1:\d+/s/\d+\.[A-Za-z0-9_-]{43}$", m.TextBody));
    }

    [Fact]
    public void Tokens_carry_256_random_bits_and_only_their_hash_is_stored()
    {
        var first = SurveyInvitations.NewToken(42);
        var second = SurveyInvitations.NewToken(42);
        Assert.NotEqual(first, second);
        Assert.Equal(42, SurveyInvitations.OrganizationOf(first));
        Assert.Equal(43, first.Split('.')[1].Length); // 32 bytes in base64url without padding
        Assert.Equal(64, SurveyInvitations.HashToken(first).Length);
        Assert.DoesNotContain(first.Split('.')[1], SurveyInvitations.HashToken(first), StringComparison.Ordinal);
        Assert.Null(SurveyInvitations.OrganizationOf("not-a-token"));
    }
}
