using System.Net;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;
using static Rapport.Tests.Accounts.AccountsTestKit;

namespace Rapport.Tests.Accounts;

/// <summary>Issue 12, item 5: adding a user whose e-mail belongs to another practice's staff said "already exists".</summary>
public sealed class EmailUniquenessTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_refusal_is_the_same_for_this_practice_and_another_and_names_neither(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var harbor = await app.CreateOrganizationAsync("Harbor PT");
        var cedar = await app.CreateOrganizationAsync("Cedar Rehab");
        await AddUserAsync(app, cedar, "pat@cedar-rehab.test", Roles.Liaison);
        await AddUserAsync(app, harbor, "lee@harbor-pt.test", Roles.Liaison);
        using var admin = await app.SignedInClientAsync(harbor.AdminEmail);

        async Task<string?> AddAsync(string email)
        {
            using var response = await Forms.PostAsync(admin, "/Settings/Users", new Dictionary<string, string>
            {
                ["Input.Email"] = email, ["Input.Role"] = "Liaison", ["Input.Password"] = RapportApp.Password,
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await Forms.ParseAsync(response)).QuerySelector(".error-summary li")?.TextContent;
        }
        var otherPractice = await AddAsync("pat@cedar-rehab.test");
        var samePractice = await AddAsync("LEE@harbor-pt.test");
        Assert.Equal(UserDirectory.EmailUnavailable, otherPractice);
        Assert.Equal(otherPractice, samePractice);
        Assert.DoesNotContain("exists", otherPractice, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Cedar", otherPractice, StringComparison.OrdinalIgnoreCase);
        var cli = await Infrastructure.Cli.RunAsync(app.Database, "users", "add", "--email", "pat@cedar-rehab.test", "--role", "liaison", "--org", harbor.Slug);
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("cannot be used for a new account", cli.Stdout + cli.Stderr, StringComparison.Ordinal);
    }
}
