using System.Net;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;
using static Rapport.Tests.Accounts.AccountsTestKit;

namespace Rapport.Tests.Accounts;

/// <summary>Issue 12, item 4: NIST SP 800-63B §5.1.1.2 password rules, the same at every door.</summary>
public sealed class PasswordRulesTests
{
    [Theory]
    [InlineData("password12")] // the probe's example: too short
    [InlineData("short-1")]
    [InlineData("qwerty123456")] // on the common-password list
    [InlineData("1qaz2wsx3edc")]
    [InlineData("Password2024!")] // a listed word with digits and a symbol appended is still that word
    [InlineData("aaaaaaaaaaaaaaaa")] // repetitive
    [InlineData("abababababababab")]
    [InlineData("dana@cedar.test")] // the e-mail itself (15 characters)
    [InlineData("Cedar Rehab 2026")] // the practice's name with a year
    public void Refused(string password) =>
        Assert.NotNull(PasswordRules.Check(password, "dana@cedar.test", "Cedar Rehab"));

    [Theory]
    [InlineData("rapport-demo-1")] // the demo password, 14 characters
    [InlineData("correct horse battery staple")] // spaces are fine
    [InlineData("zwölf Äpfel für Jürgen")] // so is Unicode
    [InlineData("long-but-no-digit-or-capital")] // no composition rules
    public void Accepted(string password) =>
        Assert.Null(PasswordRules.Check(password, "dana@cedar.test", "Cedar Rehab"));

    [Fact]
    public void At_least_64_characters_are_allowed_and_a_pasted_novel_is_not()
    {
        Assert.Null(PasswordRules.Check(string.Concat(Enumerable.Range(0, 16).Select(i => $"w{i:D2} ")), null, null)); // 64
        Assert.Null(PasswordRules.Check(new string('x', 60) + "abcdefgh" + new string('y', 60), null, null)); // 128
        Assert.NotNull(PasswordRules.Check(new string('x', 60) + "abcdefghi" + new string('y', 60), null, null)); // 129
    }

    [Fact]
    public void The_shipped_list_is_loaded_in_full()
    {
        // 10,000 entries: a handful of the 12+ character ones must be refused for being common, not for length.
        foreach (var common in new[] { "123456789qwe", "qwertyqwerty", "leavemealone", "sonyericsson" })
        {
            Assert.Contains("commonly used", PasswordRules.Check(common, null, null), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Every_door_refuses_a_common_password(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        using var setupClient = app.AnonymousClient();
        var setupFields = new Dictionary<string, string>
        {
            ["Input.PracticeName"] = "Cedar Rehab", ["Input.ShortName"] = "cedar", ["Input.ClinicName"] = "Main",
            ["Input.AdminName"] = "Dana", ["Input.Email"] = "dana@cedar.test", ["Input.Password"] = "password12", ["Input.TimeZoneId"] = "UTC",
        };
        // First-run setup.
        using (var weak = await Forms.PostAsync(setupClient, "/Setup", setupFields))
        {
            Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
            Assert.Contains("at least 12 characters", (await Forms.ParseAsync(weak)).QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
        }
        setupFields["Input.Password"] = RapportApp.Password;
        using (var created = await Forms.PostAsync(setupClient, "/Setup", setupFields))
        {
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }

        // Settings → Users.
        using (var added = await Forms.PostAsync(setupClient, "/Settings/Users", new Dictionary<string, string>
        {
            ["Input.Email"] = "lee@cedar.test", ["Input.Role"] = "Liaison", ["Input.Password"] = "qwertyqwerty",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
            Assert.Contains("commonly used", (await Forms.ParseAsync(added)).QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
        }

        // rapport users add and reset-password --password.
        var cli = await Infrastructure.Cli.RunAsync(app.Database, "users", "add", "--email", "lee@cedar.test", "--role", "liaison", "--password", "password12");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("at least 12 characters", cli.Stdout + cli.Stderr, StringComparison.Ordinal);
        var reset = await Infrastructure.Cli.RunAsync(app.Database, "users", "reset-password", "dana@cedar.test", "--password", "Cedar Rehab!!!!");
        Assert.NotEqual(0, reset.ExitCode);
        Assert.Contains("practice's name", reset.Stdout + reset.Stderr, StringComparison.Ordinal);

        // My profile → change password.
        using var changed = await Forms.PostAsync(setupClient, "/Profile?handler=Password", new Dictionary<string, string>
        {
            ["PasswordChange.CurrentPassword"] = RapportApp.Password, ["PasswordChange.NewPassword"] = "1qaz2wsx3edc",
        }, tokenFrom: "/Profile");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("commonly used", (await Forms.ParseAsync(changed)).QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
    }
}
