using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;
using static Rapport.Tests.Accounts.AccountsTestKit;

namespace Rapport.Tests.Accounts;

/// <summary>Issue 12, item 4: optional TOTP second factor (RFC 6238), recovery codes, required for admins when the practice says so.</summary>
public sealed class TwoStepSignInTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Set_up_with_a_code_then_sign_in_with_a_code_or_a_recovery_code(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var clock = app.Services.GetRequiredService<TimeProvider>();
        using var admin = await app.SignedInClientAsync(org.AdminEmail);

        var setup = await Forms.ParseAsync(await admin.GetAsync("/Profile/TwoStep", Ct));
        var key = setup.QuerySelector("#authenticator-key")!.TextContent.Trim();
        Assert.StartsWith("otpauth://totp/Rapport:", setup.QuerySelector("#otpauth-uri")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains($"secret={key}", setup.QuerySelector("#otpauth-uri")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.NotNull(setup.QuerySelector(".qr svg"));

        // A wrong code is refused; the right one (computed here at the app's clock) turns it on and shows 10 recovery codes.
        var rightCode = TotpCode(key, clock.GetUtcNow());
        var wrongCode = ((int.Parse(rightCode, System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        using (var wrong = await Forms.PostAsync(admin, "/Profile/TwoStep?handler=Enable", new Dictionary<string, string> { ["Code"] = wrongCode }, tokenFrom: "/Profile/TwoStep"))
        {
            Assert.Contains("does not match", (await Forms.ParseAsync(wrong)).QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
        }
        List<string> recovery;
        using (var on = await Forms.PostAsync(admin, "/Profile/TwoStep?handler=Enable", new Dictionary<string, string> { ["Code"] = TotpCode(key, clock.GetUtcNow()) }, tokenFrom: "/Profile/TwoStep"))
        {
            recovery = [.. (await Forms.ParseAsync(on)).QuerySelectorAll("#recovery-codes code").Select(c => c.TextContent.Trim())];
        }
        Assert.Equal(10, recovery.Distinct().Count());

        // Signing in now asks for the code.
        using var laptop = app.AnonymousClient();
        using (var first = await SignInAsync(laptop, org.AdminEmail, RapportApp.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            Assert.StartsWith("/Account/TwoStep", first.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        AssertSentToSignIn(await laptop.GetAsync("/Sources", Ct));
        using (var bad = await Forms.PostAsync(laptop, "/Account/TwoStep", new Dictionary<string, string> { ["Code"] = wrongCode }))
        {
            Assert.Equal(Rapport.Pages.Account.TwoStepModel.Failed, await ErrorAsync(bad));
        }
        using (var good = await Forms.PostAsync(laptop, "/Account/TwoStep", new Dictionary<string, string> { ["Code"] = TotpCode(key, clock.GetUtcNow()) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/Sources", Ct)).StatusCode);

        // A recovery code works once.
        foreach (var expected in new[] { HttpStatusCode.Redirect, HttpStatusCode.OK })
        {
            using var phone = app.AnonymousClient();
            (await SignInAsync(phone, org.AdminEmail, RapportApp.Password)).Dispose();
            using var withRecovery = await Forms.PostAsync(phone, "/Account/TwoStep", new Dictionary<string, string> { ["Code"] = recovery[0] });
            Assert.Equal(expected, withRecovery.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task When_the_practice_requires_it_an_admin_without_it_sets_it_up_before_anything_else(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await AddUserAsync(app, org, "lee@harbor-pt.test", Roles.Liaison);
        var clock = app.Services.GetRequiredService<TimeProvider>();
        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        using (var policy = await Forms.PostAsync(admin, "/Settings/Users?handler=TwoStepPolicy", new Dictionary<string, string> { ["required"] = "true" }, tokenFrom: "/Settings/Users"))
        {
            Assert.Equal(HttpStatusCode.Redirect, policy.StatusCode);
        }
        // The same session, next page: sent to set it up.
        using (var next = await admin.GetAsync("/Patients", Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
            Assert.Equal("/Profile/TwoStep", next.Headers.Location?.OriginalString);
        }
        // A liaison is not affected.
        using var lee = await app.SignedInClientAsync("lee@harbor-pt.test");
        Assert.Equal(HttpStatusCode.OK, (await lee.GetAsync("/Patients", Ct)).StatusCode);

        var page = await Forms.ParseAsync(await admin.GetAsync("/Profile/TwoStep", Ct));
        Assert.NotNull(page.QuerySelector("#two-step-required"));
        var key = page.QuerySelector("#authenticator-key")!.TextContent.Trim();
        using (var on = await Forms.PostAsync(admin, "/Profile/TwoStep?handler=Enable", new Dictionary<string, string> { ["Code"] = TotpCode(key, clock.GetUtcNow()) }, tokenFrom: "/Profile/TwoStep"))
        {
            Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Patients", Ct)).StatusCode);
        // Required: it cannot be turned off.
        using var off = await Forms.PostAsync(admin, "/Profile/TwoStep?handler=Disable", new Dictionary<string, string>(), tokenFrom: "/Profile");
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Contains("stays on", (await Forms.ParseAsync(off)).QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
    }
}
