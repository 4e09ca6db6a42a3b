using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;
using static Rapport.Tests.Accounts.AccountsTestKit;

namespace Rapport.Tests.Accounts;

/// <summary>Issue 12, item 4: admin reset link by e-mail, forgot password, reset page, CLI reset, change password.</summary>
public sealed class PasswordResetTests
{
    private const string NewPassword = "a brand new phrase 42";

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Without_a_mail_server_the_reset_link_is_refused_with_the_reason_and_the_cli_prints_one_that_works_once(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var lee = await AddUserAsync(app, org, "lee@harbor-pt.test", Roles.Liaison);
        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        using (var refused = await Forms.PostAsync(admin, "/Settings/Users?handler=Reset", new Dictionary<string, string> { ["userId"] = lee.Id }, tokenFrom: "/Settings/Users"))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Equal(UserAccounts.NoMailServer, (await Forms.ParseAsync(refused)).QuerySelector("#account-error")?.TextContent);
        }

        var cli = await Infrastructure.Cli.RunAsync(app.Database, "users", "reset-password", "lee@harbor-pt.test", "--org", org.Slug);
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        var link = new Uri(ResetLink(cli.Stdout));
        using var lees = app.AnonymousClient();
        var resetUrl = link.PathAndQuery;
        // The link's page works, the rules apply, then the password is set.
        using (var weak = await Forms.PostAsync(lees, resetUrl, new Dictionary<string, string> { ["NewPassword"] = "password12" }))
        {
            Assert.Contains("at least 12 characters", await ErrorAsync(weak), StringComparison.Ordinal);
        }
        using (var done = await Forms.PostAsync(lees, resetUrl, new Dictionary<string, string> { ["NewPassword"] = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        }
        using (var signedIn = await SignInAsync(lees, "lee@harbor-pt.test", NewPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        // Once only.
        using var again = await Forms.PostAsync(app.AnonymousClient(), resetUrl, new Dictionary<string, string> { ["NewPassword"] = "yet another phrase 43" });
        Assert.Equal(Rapport.Pages.Account.ResetPasswordModel.InvalidLink, await ErrorAsync(again));
        // A made-up token is the same answer.
        using var forged = await Forms.PostAsync(app.AnonymousClient(), "/Account/ResetPassword?email=lee%40harbor-pt.test&token=AAAA",
            new Dictionary<string, string> { ["NewPassword"] = "yet another phrase 43" });
        Assert.Equal(Rapport.Pages.Account.ResetPasswordModel.InvalidLink, await ErrorAsync(forged));
    }

    [Fact]
    public async Task The_admin_sends_a_reset_link_by_the_outbox_and_forgot_password_answers_the_same_for_anyone()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings()));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var lee = await AddUserAsync(app, org, "lee@harbor-pt.test", Roles.Liaison);
        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        using (var sent = await Forms.PostAsync(admin, "/Settings/Users?handler=Reset", new Dictionary<string, string> { ["userId"] = lee.Id }, tokenFrom: "/Settings/Users"))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }
        var mail = await smtp.WaitForMessageAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("lee@harbor-pt.test", mail.To.Mailboxes.Single().Address);
        var link = new Uri(ResetLink(mail.TextBody ?? ""));
        var audit = (await Forms.ParseAsync(await admin.GetAsync("/Settings/Audit", Ct))).Body!.TextContent;
        Assert.Contains("E-mailed a password reset link to lee@harbor-pt.test", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.UnescapeDataString(link.Query.Split("token=")[1]), audit, StringComparison.Ordinal);

        using var lees = app.AnonymousClient();
        using (var done = await Forms.PostAsync(lees, link.PathAndQuery, new Dictionary<string, string> { ["NewPassword"] = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        }
        using (var signedIn = await SignInAsync(lees, "lee@harbor-pt.test", NewPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        // Forgot password: the same page for a real account and for nobody; only the real one gets mail.
        var login = await app.AnonymousClient().GetStringAsync("/Account/Login", Ct);
        Assert.Contains("/Account/ForgotPassword", login, StringComparison.Ordinal);
        var before = smtp.Received.Count;
        using var real = await Forms.PostAsync(app.AnonymousClient(), "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "lee@harbor-pt.test" });
        using var nobody = await Forms.PostAsync(app.AnonymousClient(), "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "nobody@harbor-pt.test" });
        var realText = (await Forms.ParseAsync(real)).QuerySelector("#forgot-answer")?.TextContent;
        Assert.Equal(Rapport.Pages.Account.ForgotPasswordModel.Answer, realText);
        Assert.Equal(realText, (await Forms.ParseAsync(nobody)).QuerySelector("#forgot-answer")?.TextContent);
        Assert.Equal(real.StatusCode, nobody.StatusCode);
        var forgotMail = await smtp.WaitForMessageAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("lee@harbor-pt.test", forgotMail.To.Mailboxes.Single().Address);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.DoesNotContain(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == "nobody@harbor-pt.test"));
        Assert.Equal(before + 1, smtp.Received.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Changing_the_password_needs_the_current_one_and_ends_other_sessions(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var laptop = await app.SignedInClientAsync(org.AdminEmail);
        using var phone = await app.SignedInClientAsync(org.AdminEmail);
        using (var wrong = await Forms.PostAsync(laptop, "/Profile?handler=Password", new Dictionary<string, string>
        {
            ["PasswordChange.CurrentPassword"] = "not my password at all", ["PasswordChange.NewPassword"] = NewPassword,
        }, tokenFrom: "/Profile"))
        {
            Assert.Contains("not your current password", (await Forms.ParseAsync(wrong)).QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
        }
        using (var changed = await Forms.PostAsync(laptop, "/Profile?handler=Password", new Dictionary<string, string>
        {
            ["PasswordChange.CurrentPassword"] = RapportApp.Password, ["PasswordChange.NewPassword"] = NewPassword,
        }, tokenFrom: "/Profile"))
        {
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/Sources", Ct)).StatusCode);
        AssertSentToSignIn(await phone.GetAsync("/Sources", Ct));
        using var old = await SignInAsync(app.AnonymousClient(), org.AdminEmail, RapportApp.Password);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        using var fresh = await SignInAsync(app.AnonymousClient(), org.AdminEmail, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
    }
}
