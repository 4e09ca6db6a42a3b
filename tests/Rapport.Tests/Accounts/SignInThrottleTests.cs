using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;
using static Rapport.Tests.Accounts.AccountsTestKit;

namespace Rapport.Tests.Accounts;

/// <summary>Issue 12, item 5: one client could try 100 passwords in 0.6 s, and "locked" appeared only for real accounts.</summary>
public sealed class SignInThrottleTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task One_client_guessing_fast_is_mostly_refused_with_429(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var client = app.AnonymousClient();
        var token = RapportApp.AntiforgeryToken(await client.GetStringAsync("/Account/Login", Ct));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            using var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = i % 2 == 0 ? org.AdminEmail : $"guess{i}@harbor-pt.test", ["Password"] = $"guess number {i:D3}", ["__RequestVerificationToken"] = token,
            }), Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && i == 99)
            {
                Assert.Contains("Wait a minute", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
                Assert.True(response.Headers.RetryAfter is not null);
            }
        }
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 85, string.Join(",", statuses.Select(s => (int)s)));
        Assert.True(statuses.Take(5).All(s => s == HttpStatusCode.OK));
        // The sign-in page itself still opens (only its form is limited).
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login", Ct)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Locked_unknown_deactivated_and_wrong_password_read_the_same(string database)
    {
        // Many clients (a client limit per address would mask the per-account rules here): the limit is raised for this test.
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration["SignIn:AttemptsPerMinutePerClient"] = "1000");
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await AddUserAsync(app, org, "locked@harbor-pt.test", Roles.Liaison);
        await AddUserAsync(app, org, "gone@harbor-pt.test", Roles.Liaison);
        Assert.Equal(0, (await Infrastructure.Cli.RunAsync(app.Database, "users", "disable", "gone@harbor-pt.test", "--org", org.Slug)).ExitCode);
        // Lock "locked" out: 10 failures (the per-account throttle lets 5 a minute through, so the
        // lockout is reached through the user manager, as a slow attacker would over two minutes).
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync("locked@harbor-pt.test"))!;
            for (var i = 0; i < 10; i++) await users.AccessFailedAsync(user);
            Assert.True(await users.IsLockedOutAsync(user));
            return 0;
        });

        async Task<(HttpStatusCode, string?)> AttemptAsync(string email, string password)
        {
            using var response = await SignInAsync(app.AnonymousClient(), email, password);
            return (response.StatusCode, await ErrorAsync(response));
        }
        var wrongPassword = await AttemptAsync(org.AdminEmail, "not the password at all");
        var unknown = await AttemptAsync("nobody@harbor-pt.test", "not the password at all");
        var lockedRightPassword = await AttemptAsync("locked@harbor-pt.test", RapportApp.Password);
        var deactivatedRightPassword = await AttemptAsync("gone@harbor-pt.test", RapportApp.Password);
        Assert.Equal((HttpStatusCode.OK, Rapport.Pages.Account.LoginModel.Failed), wrongPassword);
        Assert.Equal(wrongPassword, unknown);
        Assert.Equal(wrongPassword, lockedRightPassword);
        Assert.Equal(wrongPassword, deactivatedRightPassword);

        // Per account: after 5 failures in a minute, even the right password waits — for a real and an unknown name alike.
        for (var i = 0; i < 5; i++)
        {
            await AttemptAsync("nobody@harbor-pt.test", $"guess {i} for nobody");
            await AttemptAsync(org.AdminEmail, $"guess {i} for admin");
        }
        var throttledReal = await AttemptAsync(org.AdminEmail, RapportApp.Password);
        var throttledUnknown = await AttemptAsync("nobody@harbor-pt.test", RapportApp.Password);
        Assert.Equal((HttpStatusCode.TooManyRequests, Rapport.Pages.Account.LoginModel.Failed), throttledReal);
        Assert.Equal(throttledReal, throttledUnknown);
    }
}
