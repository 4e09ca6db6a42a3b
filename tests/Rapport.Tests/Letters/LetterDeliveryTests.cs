using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Data;
using Rapport.Email;
using Rapport.Letters;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Nps;
using Rapport.Users;
using static Rapport.Tests.Letters.LetterTestKit;

namespace Rapport.Tests.Letters;

/// <summary>
/// A letter e-mail is Queued → Sent (the SMTP server accepted it) or Failed (with its error and
/// Retry); the letter counts as sent — off the due list, one touch, one disclosure — only once Sent.
/// </summary>
public sealed class LetterDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Emailing_without_a_mail_server_is_refused_with_the_reason_on_the_page_the_api_and_the_cli_and_nothing_is_queued(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var api = app.ApiClient(org.ApiKey);
        var source = await CreateSourceAsync(api, "Cuddy", "lisa.cuddy@plainsboro.test");
        var patient = await CreatePatientAsync(api, "MRN-1", "Rosa", "Whitfield", "1957-03-14");
        var referral = await CreateEpisodeAsync(api, org.ClinicId, source, patient, Today.AddDays(-3), null, visits: 2);

        var (_, problem, response) = await api.SendAsync(HttpMethod.Post, $"/api/v1/referrals/{referral}/letters/evaluation/send", new { via = "email" });
        ApiTestKit.AssertProblem(response, HttpStatusCode.Conflict, problem);
        Assert.Contains("No mail server is configured", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Email:Host", problem.GetProperty("setting").GetString());
        Assert.Equal("/Settings/Outbox", problem.GetProperty("settingsPage").GetString());
        (_, problem, response) = await api.SendAsync(HttpMethod.Post, "/api/v1/nps/invitations", new { patientIds = new[] { patient } });
        ApiTestKit.AssertProblem(response, HttpStatusCode.Conflict, problem);

        // The letter page says so before anyone presses a button, and a post anyway (e.g. an old tab) is refused with the reason.
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var letterPage = $"/Episodes/{referral}/Letters/evaluation";
        var html = await browser.GetStringAsync(letterPage, Ct);
        var page = Parse(html);
        Assert.NotNull(page.QuerySelector("[data-testid=mail-not-configured] a[href='/Settings/Outbox']"));
        Assert.Null(page.QuerySelector("[data-testid=send-email]"));
        using (var post = await browser.PostAsync($"{letterPage}?handler=Send", Form(html, ("via", "email")), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        }
        var notice = Parse(await browser.GetStringAsync(letterPage, Ct)).QuerySelector(".notice")!.TextContent;
        Assert.Contains("Not sent: No mail server is configured", notice, StringComparison.Ordinal);
        Assert.Contains("Settings → E-mail outbox", notice, StringComparison.Ordinal);
        var settings = Parse(await browser.GetStringAsync("/Settings/Outbox", Ct));
        Assert.Contains("Email:Host", settings.QuerySelector("[data-testid=mail-not-configured]")!.TextContent, StringComparison.Ordinal);

        var cli = await Infrastructure.Cli.RunAsync(app.Database, "letters", "send", $"{referral}", "evaluation", "--via", "email");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("No mail server is configured", cli.Stderr, StringComparison.Ordinal);
        var digest = await Infrastructure.Cli.RunAsync(app.Database, "digest", "send");
        Assert.NotEqual(0, digest.ExitCode);
        Assert.Contains("No mail server is configured", digest.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Set<OutboxMessage>().CountAsync(Ct)));
        Assert.Empty((await api.GetOkAsync($"/api/v1/touchpoints?sourceId={source}")).GetProperty("items").EnumerateArray());
        var letters = await api.GetOkAsync($"/api/v1/referrals/{referral}/letters");
        Assert.Equal("Due", Kind(letters, "Evaluation").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, Kind(letters, "Evaluation").GetProperty("emailDelivery").ValueKind);
        Assert.Empty(letters.GetProperty("sent").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_letter_whose_mail_server_is_down_shows_Failed_with_Retry_stays_due_and_after_Retry_is_sent_once_with_one_touch(string database)
    {
        await using var smtp = SmtpTestServer.OnFreePort();
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings(sendQueued: false)));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var api = app.ApiClient(org.ApiKey);
        var source = await CreateSourceAsync(api, "Wilson", "james.wilson@plainsboro.test");
        var patient = await CreatePatientAsync(api, "MRN-2", "Ada", "Lovelace", "1960-12-10");
        var referral = await CreateEpisodeAsync(api, org.ClinicId, source, patient, Today.AddDays(-40), Today.AddDays(-2), visits: 12);

        var (status, queued, _) = await api.SendAsync(HttpMethod.Post, $"/api/v1/referrals/{referral}/letters/discharge/send", new { via = "email" });
        Assert.True(status == HttpStatusCode.OK, queued.ToString());
        Assert.Equal("Queued", queued.GetProperty("emailDelivery").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, queued.GetProperty("sentOn").ValueKind);
        Assert.Equal(JsonValueKind.Null, queued.GetProperty("touchpointId").ValueKind);
        var messageId = queued.GetProperty("emailDelivery").GetProperty("outboxMessageId").GetInt64();
        Assert.Equal("Queued", DueDischarge(await api.GetOkAsync("/api/v1/letters/due"), referral).GetProperty("emailDelivery").GetProperty("status").GetString());

        // The mail server is down: the first attempt fails, and the letter shows it at once.
        Assert.Equal(0, await DispatchAsync(app));
        var letters = await api.GetOkAsync($"/api/v1/referrals/{referral}/letters");
        var discharge = Kind(letters, "Discharge");
        Assert.Equal("Due", discharge.GetProperty("state").GetString());
        var failed = discharge.GetProperty("emailDelivery");
        Assert.Equal("Failed", failed.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(failed.GetProperty("error").GetString()));
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.String, failed.GetProperty("nextAttemptAt").ValueKind); // automatic retries continue
        Assert.Empty(letters.GetProperty("sent").EnumerateArray());
        Assert.Equal("Failed", DueDischarge(await api.GetOkAsync("/api/v1/letters/due"), referral).GetProperty("emailDelivery").GetProperty("status").GetString());
        Assert.Empty((await api.GetOkAsync($"/api/v1/touchpoints?sourceId={source}")).GetProperty("items").EnumerateArray());
        Assert.Equal(0, await DisclosuresSentAsync(app, org.Id));

        // The letter page, the episode page and the source page all show the failure and offer Retry.
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var sourcePage = $"/Sources/{source}";
        string sourceHtml = "";
        foreach (var (url, scope) in new[]
        {
            ($"/Episodes/{referral}/Letters/discharge", "[data-testid=letter-email]"),
            ($"/Episodes/{referral}", "[data-testid=episode-letters] li[data-kind=discharge]"),
            (sourcePage, $"[data-testid=source-letters] tr[data-referral='{referral}'][data-kind=discharge]"),
        })
        {
            var html = await browser.GetStringAsync(url, Ct);
            var shown = Parse(html).QuerySelector($"{scope} [data-testid=email-delivery]");
            Assert.True(shown is not null, $"{url} shows no e-mail delivery state");
            Assert.Equal("Failed", shown.GetAttribute("data-status"));
            Assert.Contains("E-mail failed", shown.TextContent, StringComparison.Ordinal);
            Assert.Contains(failed.GetProperty("error").GetString()!, shown.TextContent, StringComparison.Ordinal);
            Assert.NotNull(shown.QuerySelector("[data-testid=retry-email]"));
            sourceHtml = html;
        }

        // The server is back; Retry from the source page sends it now.
        smtp.Listen();
        var retryForm = Parse(sourceHtml).QuerySelector($"[data-testid=source-letters] tr[data-referral='{referral}'] form.delivery-retry")!;
        using (var post = await browser.PostAsync(retryForm.GetAttribute("action"), Form(sourceHtml,
            ("messageId", messageId.ToString(CultureInfo.InvariantCulture)), ("returnUrl", $"{sourcePage}#letters")), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            Assert.Equal($"{sourcePage}#letters", post.Headers.Location?.OriginalString);
        }
        var after = Parse(await browser.GetStringAsync(sourcePage, Ct));
        Assert.Contains("Discharge summary letter sent", after.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Null(after.QuerySelector($"[data-testid=source-letters] tr[data-referral='{referral}'][data-kind=discharge]"));

        letters = await api.GetOkAsync($"/api/v1/referrals/{referral}/letters");
        Assert.Equal("Sent", Kind(letters, "Discharge").GetProperty("state").GetString());
        var record = Assert.Single(letters.GetProperty("sent").EnumerateArray());
        Assert.Equal("Sent", record.GetProperty("emailStatus").GetString());
        Assert.Equal("Sent", record.GetProperty("emailDelivery").GetProperty("status").GetString());
        Assert.Equal(Iso(Today), record.GetProperty("sentOn").GetString());
        Assert.DoesNotContain((await api.GetOkAsync("/api/v1/letters/due")).EnumerateArray(),
            d => d.GetProperty("referralId").GetInt32() == referral && d.GetProperty("kind").GetString() == "Discharge");
        var touch = Assert.Single((await api.GetOkAsync($"/api/v1/touchpoints?sourceId={source}")).GetProperty("items").EnumerateArray());
        Assert.Equal("Email", touch.GetProperty("method").GetString());
        Assert.Equal(record.GetProperty("touchpointId").GetInt32(), touch.GetProperty("id").GetInt32());
        Assert.Equal(1, await DisclosuresSentAsync(app, org.Id));

        // Once only: a Retry of the sent message, another dispatch and the delivery reported again change nothing.
        var (retryStatus, retried, _) = await api.SendAsync(HttpMethod.Post, $"/api/v1/outbox/{messageId}/retry");
        Assert.True(retryStatus == HttpStatusCode.OK, retried.ToString());
        Assert.Equal("Sent", retried.GetProperty("status").GetString());
        Assert.Equal(0, await DispatchAsync(app));
        Assert.False(await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<LetterService>().RecordEmailDeliveredAsync(messageId, TestClock.UtcNow)));
        Assert.Single(smtp.Received);
        Assert.Single((await api.GetOkAsync($"/api/v1/touchpoints?sourceId={source}")).GetProperty("items").EnumerateArray());
        Assert.Equal(1, await DisclosuresSentAsync(app, org.Id));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_outbox_page_lists_a_failed_survey_invitation_and_its_Retry_sends_it(string database)
    {
        await using var smtp = SmtpTestServer.OnFreePort();
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings(sendQueued: false)));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var api = app.ApiClient(org.ApiKey);
        var (patientId, _) = await NpsTestKit.DischargedPatientAsync(app, org);
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().AddAsync("liaison@harbor.test", RapportApp.Password, Roles.Liaison, "Lia"));

        Assert.Equal(0, await DispatchAsync(app));
        var invitation = Assert.Single((await api.GetOkAsync("/api/v1/nps/invitations")).EnumerateArray());
        Assert.Equal("Failed", invitation.GetProperty("status").GetString()); // not "Queued", let alone "Sent"
        var messageId = invitation.GetProperty("outboxMessageId").GetInt64();
        var listed = Assert.Single((await api.GetOkAsync("/api/v1/outbox?status=Failed")).GetProperty("items").EnumerateArray());
        Assert.Equal(messageId, listed.GetProperty("id").GetInt64());
        Assert.Equal("SurveyInvitation", listed.GetProperty("topic").GetString());

        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        var html = await admin.GetStringAsync("/Settings/Outbox?status=Failed", Ct);
        var row = Parse(html).QuerySelector($"[data-testid=outbox] tr[data-message='{messageId}']");
        Assert.True(row is not null, "the failed message is not listed");
        Assert.Equal("Failed", row.GetAttribute("data-status"));
        Assert.Contains($"Survey invitation, patient #{patientId}", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(invitation.GetProperty("lastError").GetString()!, row.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", row.QuerySelector("td.num")!.TextContent.Trim());
        Assert.Contains($"127.0.0.1:{smtp.Port}", Parse(html).QuerySelector("[data-testid=mail-server]")!.TextContent, StringComparison.Ordinal);
        using (var liaison = await app.SignedInClientAsync("liaison@harbor.test"))
        using (var denied = await liaison.GetAsync("/Settings/Outbox", Ct))
        {
            Assert.True(denied.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"a liaison got {(int)denied.StatusCode}");
        }

        smtp.Listen();
        var form = row.QuerySelector("form.delivery-retry")!;
        using (var post = await admin.PostAsync(form.GetAttribute("action"), Form(html, ("messageId", messageId.ToString(CultureInfo.InvariantCulture))), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        }
        var after = Parse(await admin.GetStringAsync("/Settings/Outbox", Ct));
        Assert.Contains($"Message {messageId} sent", after.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Sent", after.QuerySelector($"[data-testid=outbox] tr[data-message='{messageId}']")!.GetAttribute("data-status"));
        Assert.Equal("jane.roe@example.test", Assert.Single(smtp.Received).To.Mailboxes.Single().Address);
        Assert.Equal("Sent", Assert.Single((await api.GetOkAsync("/api/v1/nps/invitations")).EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(0, (await api.GetOkAsync("/api/v1/outbox?status=Failed")).GetProperty("total").GetInt32());

        // Another practice can neither see nor retry it.
        var other = await app.CreateOrganizationAsync("Elsewhere PT");
        using var otherApi = app.ApiClient(other.ApiKey);
        Assert.Equal(0, (await otherApi.GetOkAsync("/api/v1/outbox")).GetProperty("total").GetInt32());
        var (_, problem, response) = await otherApi.SendAsync(HttpMethod.Post, $"/api/v1/outbox/{messageId}/retry");
        ApiTestKit.AssertProblem(response, HttpStatusCode.NotFound, problem);
    }

    private static JsonElement DueDischarge(JsonElement due, int referral) =>
        due.EnumerateArray().Single(d => d.GetProperty("referralId").GetInt32() == referral && d.GetProperty("kind").GetString() == "Discharge");

    private static async Task<int> DispatchAsync(RapportApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(Ct);
    }

    private static Task<int> DisclosuresSentAsync(RapportApp app, int organizationId) =>
        app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<RapportDbContext>().AuditEvents
            .CountAsync(a => a.Action == LetterService.Disclosed && a.Summary!.Contains("by email"), Ct));

    private static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    private static FormUrlEncodedContent Form(string pageHtml, params (string Name, string Value)[] fields) =>
        new([.. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)),
            new KeyValuePair<string, string>("__RequestVerificationToken", RapportApp.AntiforgeryToken(pageHtml))]);
}
