using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Rapport.Data;
using Rapport.Email;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Letters.LetterTestKit;

namespace Rapport.Tests.Letters;

public sealed class LetterSendingTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Discharge_letter_sent_by_email_reaches_the_source_with_the_pdf_attached_logs_a_touch_and_is_no_longer_due(string database)
    {
        await using var smtp = SmtpTestServer.Start();
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings()));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var api = app.ApiClient(org.ApiKey);
        var source = await CreateSourceAsync(api, "Cuddy", "lisa.cuddy@plainsboro.test");
        var patient = await CreatePatientAsync(api, "MRN-1", "Rosa", "Whitfield", "1957-03-14");
        var referral = await CreateEpisodeAsync(api, org.ClinicId, source, patient, Today.AddDays(-40), Today.AddDays(-2), visits: 12);

        var before = await api.GetOkAsync("/api/v1/letters/due");
        Assert.Contains(before.EnumerateArray(), d => d.GetProperty("referralId").GetInt32() == referral && d.GetProperty("kind").GetString() == "Discharge"
            && d.GetProperty("state").GetString() == "Due");
        // The evaluation letter was never sent and its event is 40 days old: overdue.
        Assert.Contains(before.EnumerateArray(), d => d.GetProperty("referralId").GetInt32() == referral && d.GetProperty("kind").GetString() == "Evaluation"
            && d.GetProperty("state").GetString() == "Overdue");

        var (status, sent, _) = await api.SendAsync(HttpMethod.Post, $"/api/v1/referrals/{referral}/letters/discharge/send", new { via = "email" });
        Assert.True(status == HttpStatusCode.OK, sent.ToString());
        Assert.Equal("Email", sent.GetProperty("delivery").GetString());
        Assert.Equal("Queued", sent.GetProperty("emailDelivery").GetProperty("status").GetString());

        var message = await smtp.WaitForMessageAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("lisa.cuddy@plainsboro.test", message.To.Mailboxes.Single().Address);
        Assert.DoesNotContain("Whitfield", message.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("Whitfield", message.TextBody, StringComparison.Ordinal);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        Assert.Equal($"discharge-letter-referral-{referral}.pdf", attachment.FileName);
        using var pdfStream = new MemoryStream();
        await attachment.Content!.DecodeToAsync(pdfStream, TestContext.Current.CancellationToken);
        var text = PdfText(pdfStream.ToArray());
        Assert.Contains("Discharge summary", text, StringComparison.Ordinal);
        Assert.Contains("Rosa Whitfield", text, StringComparison.Ordinal);
        Assert.Contains("March 14, 1957", text, StringComparison.Ordinal);
        Assert.Contains("Dear Dr. Cuddy,", text, StringComparison.Ordinal);
        Assert.Contains("+40", text, StringComparison.Ordinal);

        // The letter counts as sent once the mail server accepted it, which the dispatcher records just after handing it over.
        var after = await WaitForLetterAsync(api, referral, "Discharge", "Sent");
        var record = Assert.Single(after.GetProperty("sent").EnumerateArray());
        Assert.Equal("Discharge", record.GetProperty("kind").GetString());
        Assert.Equal(12, record.GetProperty("visitCount").GetInt32());
        var due = await api.GetOkAsync($"/api/v1/letters/due?sourceId={source}");
        Assert.DoesNotContain(due.EnumerateArray(), d => d.GetProperty("kind").GetString() == "Discharge");
        Assert.Contains(due.EnumerateArray(), d => d.GetProperty("kind").GetString() == "Evaluation");

        var touches = await api.GetOkAsync($"/api/v1/touchpoints?sourceId={source}");
        var touch = Assert.Single(touches.GetProperty("items").EnumerateArray());
        Assert.Equal("Email", touch.GetProperty("method").GetString());
        Assert.Equal("Discharge summary letter", touch.GetProperty("purpose").GetString());
        Assert.Equal(record.GetProperty("touchpointId").GetInt32(), touch.GetProperty("id").GetInt32());

        var disclosures = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().AuditEvents
            .Where(a => a.Action == "Disclosed").Select(a => a.Summary!).ToListAsync());
        var disclosure = Assert.Single(disclosures);
        Assert.Contains($"referral {referral} sent to source {source} by email", disclosure, StringComparison.Ordinal);
        Assert.DoesNotContain("Whitfield", disclosure, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_letter_queued_while_the_mail_server_is_down_goes_once_with_its_attachment_when_it_is_back(string database)
    {
        await using var smtp = SmtpTestServer.OnFreePort();
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings(sendQueued: false)));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var api = app.ApiClient(org.ApiKey);
        var source = await CreateSourceAsync(api, "Wilson", "james.wilson@plainsboro.test");
        var patient = await CreatePatientAsync(api, "MRN-2", "Ada", "Lovelace", "1960-12-10");
        var referral = await CreateEpisodeAsync(api, org.ClinicId, source, patient, Today.AddDays(-3), null, visits: 1);
        var (status, body, _) = await api.SendAsync(HttpMethod.Post, $"/api/v1/referrals/{referral}/letters/evaluation/send", new { });
        Assert.True(status == HttpStatusCode.OK, body.ToString());

        async Task<int> DispatchAsync() => await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<OutboxDispatcher>().DispatchDueAsync());
        Assert.Equal(0, await DispatchAsync());
        Assert.Empty(smtp.Received);
        smtp.Listen();
        Assert.Equal(1, await DispatchAsync());
        Assert.Equal(0, await DispatchAsync());
        var message = Assert.Single(smtp.Received);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        using var pdfStream = new MemoryStream();
        await attachment.Content!.DecodeToAsync(pdfStream, TestContext.Current.CancellationToken);
        Assert.Contains("Initial evaluation", PdfText(pdfStream.ToArray()), StringComparison.Ordinal);
        var letters = await api.GetOkAsync($"/api/v1/referrals/{referral}/letters");
        Assert.Equal("Sent", Assert.Single(letters.GetProperty("sent").EnumerateArray()).GetProperty("emailStatus").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Letters_go_only_where_they_may_and_bad_requests_name_the_field(string database)
    {
        var (app, org, api) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var disposeApp = app;
        using var disposeApi = api;
        var noEmail = await CreateSourceAsync(api, "Chase", email: null);
        var patient = await CreatePatientAsync(api, "MRN-3", "Tom", "Open", "1970-01-02");
        var open = await CreateEpisodeAsync(api, org.ClinicId, noEmail, patient, Today.AddDays(-5), null, visits: 3);
        var direct = await CreateEpisodeAsync(api, org.ClinicId, null, patient, Today.AddDays(-5), null, visits: 3, withForms: false);

        var (status, body, response) = await api.SendAsync(HttpMethod.Post, $"/api/v1/referrals/{open}/letters/evaluation/send", new { via = "email" });
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, body);
        Assert.Contains("no e-mail address", body.GetProperty("errors").GetProperty("via")[0].GetString(), StringComparison.Ordinal);

        (_, body, response) = await api.SendAsync(HttpMethod.Get, $"/api/v1/referrals/{open}/letters/discharge.pdf");
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, body);
        Assert.Contains("still open", body.GetProperty("errors").GetProperty("kind")[0].GetString(), StringComparison.Ordinal);

        (_, body, response) = await api.SendAsync(HttpMethod.Get, $"/api/v1/referrals/{open}/letters/referral.pdf");
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, body);
        Assert.True(body.GetProperty("errors").TryGetProperty("kind", out _));

        (_, body, response) = await api.SendAsync(HttpMethod.Get, $"/api/v1/referrals/{direct}/letters/evaluation.pdf");
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, body);
        Assert.Contains("direct-access", body.GetProperty("errors").GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        var directLetters = await api.GetOkAsync($"/api/v1/referrals/{direct}/letters");
        Assert.All(directLetters.GetProperty("letters").EnumerateArray(), l => Assert.Equal("NotApplicable", l.GetProperty("state").GetString()));

        (_, body, response) = await api.SendAsync(HttpMethod.Post, $"/api/v1/referrals/{open}/letters/evaluation/send",
            new { via = "fax", sentOn = Iso(Today.AddDays(1)) });
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, body);
        Assert.True(body.GetProperty("errors").TryGetProperty("sentOn", out _));
        Assert.Empty((await api.GetOkAsync($"/api/v1/touchpoints?sourceId={noEmail}")).GetProperty("items").EnumerateArray());

        // Faxed two days ago: recorded as sent then, the touch dated that day.
        (status, body, _) = await api.SendAsync(HttpMethod.Post, $"/api/v1/referrals/{open}/letters/evaluation/send", new { via = "fax", sentOn = Iso(Today.AddDays(-2)) });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var touch = Assert.Single((await api.GetOkAsync($"/api/v1/touchpoints?sourceId={noEmail}")).GetProperty("items").EnumerateArray());
        Assert.Equal("Fax", touch.GetProperty("method").GetString());
        Assert.Equal(Iso(Today.AddDays(-2)), touch.GetProperty("occurredOn").GetString());

        // Another practice cannot see or send this episode's letters.
        var other = await app.CreateOrganizationAsync("Elsewhere PT");
        using var otherApi = app.ApiClient(other.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.SendAsync(HttpMethod.Get, $"/api/v1/referrals/{open}/letters")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.SendAsync(HttpMethod.Get, $"/api/v1/referrals/{open}/letters/evaluation.pdf")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.SendAsync(HttpMethod.Post, $"/api/v1/referrals/{open}/letters/evaluation/send", new { via = "mail" })).Status);
        Assert.Empty((await otherApi.GetOkAsync("/api/v1/letters/due")).EnumerateArray());
    }
}
