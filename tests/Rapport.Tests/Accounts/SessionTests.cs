using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;
using static Rapport.Tests.Accounts.AccountsTestKit;

namespace Rapport.Tests.Accounts;

/// <summary>Issue 12, item 4: sessions end on the server, deactivation and role changes take effect at once.</summary>
public sealed class SessionTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_cookie_copied_before_sign_out_opens_nothing_after_it(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var patientId = await PatientAsync(app, org);
        var (client, handler) = Browser(app);
        using var _ = client;
        using (var signedIn = await SignInAsync(client, org.AdminEmail, RapportApp.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        var copied = SessionCookie(app, client, handler);
        using var thief = WithCookie(app, copied);
        using (var before = await thief.GetAsync($"/Patients/{patientId}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var signOut = await Forms.PostAsync(client, "/Account/Logout", new Dictionary<string, string>(), tokenFrom: "/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }
        using var after = await thief.GetAsync($"/Patients/{patientId}", Ct);
        AssertSentToSignIn(after);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_deactivated_user_is_signed_out_at_once_cannot_sign_in_and_can_be_reactivated(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await AddUserAsync(app, org, "liaison@harbor-pt.test", Roles.Liaison);
        using var liaison = await app.SignedInClientAsync("liaison@harbor-pt.test");
        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        Assert.Equal(HttpStatusCode.OK, (await liaison.GetAsync("/Sources", Ct)).StatusCode);

        var liaisonId = (await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserAccounts>().FindAsync("liaison@harbor-pt.test", Ct))).Id;
        using (var disabled = await Forms.PostAsync(admin, "/Settings/Users?handler=Disable", new Dictionary<string, string> { ["userId"] = liaisonId }, tokenFrom: "/Settings/Users"))
        {
            Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        }
        AssertSentToSignIn(await liaison.GetAsync("/Sources", Ct));
        var users = await admin.GetStringAsync("/Settings/Users", Ct);
        Assert.Contains("Deactivated", users, StringComparison.Ordinal);

        using var retry = app.AnonymousClient();
        using var refused = await SignInAsync(retry, "liaison@harbor-pt.test", RapportApp.Password);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(Rapport.Pages.Account.LoginModel.Failed, await ErrorAsync(refused));

        // The audit trail names the action, never a password.
        var audit = await admin.GetStringAsync("/Settings/Audit", Ct);
        Assert.Contains("Deactivated the account of liaison@harbor-pt.test", audit, StringComparison.Ordinal);

        using (var enabled = await Forms.PostAsync(admin, "/Settings/Users?handler=Enable", new Dictionary<string, string> { ["userId"] = liaisonId }, tokenFrom: "/Settings/Users"))
        {
            Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        }
        using var back = await SignInAsync(retry, "liaison@harbor-pt.test", RapportApp.Password);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_role_change_applies_to_the_next_request_and_the_last_admin_stays(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await AddUserAsync(app, org, "second@harbor-pt.test", Roles.Admin);
        using var second = await app.SignedInClientAsync("second@harbor-pt.test");
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/Settings/Practice", Ct)).StatusCode);

        // The first admin cannot deactivate themselves, whatever the form says.
        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        var adminId = (await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserAccounts>().FindAsync(org.AdminEmail, Ct))).Id;
        using (var self = await Forms.PostAsync(admin, "/Settings/Users?handler=Disable", new Dictionary<string, string> { ["userId"] = adminId }, tokenFrom: "/Settings/Users"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
            Assert.Contains("cannot deactivate your own account", (await Forms.ParseAsync(self)).QuerySelector("#account-error")?.TextContent, StringComparison.Ordinal);
        }

        var result = await Infrastructure.Cli.RunAsync(app.Database, "users", "set-role", "second@harbor-pt.test", "liaison", "--org", org.Slug);
        Assert.True(result.ExitCode == 0, result.Stderr);
        // Same cookie, next request: no longer an admin.
        using var after = await second.GetAsync("/Settings/Practice", Ct);
        Assert.NotEqual(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/Sources", Ct)).StatusCode);

        // The practice's only active admin now: neither demoted nor deactivated.
        var demote = await Infrastructure.Cli.RunAsync(app.Database, "users", "set-role", org.AdminEmail, "manager", "--org", org.Slug);
        Assert.NotEqual(0, demote.ExitCode);
        Assert.Contains("at least one active administrator", demote.Stdout + demote.Stderr, StringComparison.Ordinal);
        var disable = await Infrastructure.Cli.RunAsync(app.Database, "users", "disable", org.AdminEmail, "--org", org.Slug);
        Assert.NotEqual(0, disable.ExitCode);
        Assert.Contains("at least one active administrator", disable.Stdout + disable.Stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Settings/Practice", Ct)).StatusCode);

        // CLI disable and enable of someone else work, and are audited with the CLI actor.
        Assert.Equal(0, (await Infrastructure.Cli.RunAsync(app.Database, "users", "disable", "second@harbor-pt.test", "--org", org.Slug)).ExitCode);
        AssertSentToSignIn(await second.GetAsync("/Sources", Ct));
        Assert.Equal(0, (await Infrastructure.Cli.RunAsync(app.Database, "users", "enable", "second@harbor-pt.test", "--org", org.Slug)).ExitCode);
        var audit = (await Forms.ParseAsync(await admin.GetAsync("/Settings/Audit", Ct))).Body!.TextContent;
        Assert.Contains("Role of second@harbor-pt.test: Admin → Liaison.", audit, StringComparison.Ordinal);
        Assert.Contains("Reactivated the account of second@harbor-pt.test.", audit, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task An_unchanged_session_keeps_its_cookie_and_a_rename_elsewhere_shows_on_the_next_request(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var session = await SignedInSessionAsync(app, org);
        for (var i = 0; i < 2; i++)
        {
            // The one-query check (SessionCheck) found nothing changed: the principal and cookie stand.
            using var page = await session.GetAsync("/Sources", Ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.DoesNotContain(SetCookies(page), c => c.StartsWith("rapport=", StringComparison.Ordinal));
        }

        var adminId = (await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserAccounts>().FindAsync(org.AdminEmail, Ct))).Id;
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().UpdateProfileAsync(adminId, new UserProfileInput("Dana Whitfield", null), Ct));
        // Renamed elsewhere (the CLI, another admin): the next request rebuilds the principal and reissues the cookie.
        using var renamed = await session.GetAsync("/Sources", Ct);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Dana Whitfield", (await Forms.ParseAsync(renamed)).QuerySelector("a.username")?.TextContent.Trim());
        Assert.Contains(SetCookies(renamed), c => c.StartsWith("rapport=", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_signed_in_page_reads_the_practice_data_version_once_with_the_session_check(string database)
    {
        var commands = new CommandTexts();
        await using var app = await RapportApp.StartAsync(database, builder =>
        {
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information);
            builder.Logging.AddProvider(commands);
        });
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var session = await SignedInSessionAsync(app, org);
        using (var first = await session.GetAsync("/Sources", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        commands.Clear();
        using (var second = await session.GetAsync("/Sources", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }
        // The list is cached for the version: the session check's query read it, and nothing else asked again.
        var versionReads = commands.Texts.Where(t => t.Contains("\"PracticeDataVersions\"", StringComparison.Ordinal)).ToList();
        var read = Assert.Single(versionReads);
        Assert.Contains("\"SecurityStamp\"", read, StringComparison.Ordinal);
    }

    /// <summary>A client carrying the admin's session cookie, signed in through the real form.</summary>
    private static async Task<HttpClient> SignedInSessionAsync(RapportApp app, TestOrganization org)
    {
        var (client, handler) = Browser(app);
        using var _ = client;
        using (var signedIn = await SignInAsync(client, org.AdminEmail, RapportApp.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        return WithCookie(app, SessionCookie(app, client, handler));
    }

    /// <summary>The SQL text of every command the app's EF Core logs.</summary>
    private sealed class CommandTexts : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> texts = new();
        public IReadOnlyList<string> Texts => [.. texts];
        public void Clear() => texts.Clear();
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, texts);
        public void Dispose() { }

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> texts) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => category == "Microsoft.EntityFrameworkCore.Database.Command";
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel) && eventId.Name?.EndsWith("CommandExecuted", StringComparison.Ordinal) == true)
                {
                    texts.Enqueue(formatter(state, exception));
                }
            }
        }
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    [Fact]
    public async Task Checking_the_stamp_on_every_request_costs_little()
    {
        // What ValidationInterval = 0 adds: the same signed-in page on two apps, the stamp checked each
        // request on one and once in 30 minutes on the other, requests alternated so both see the same machine.
        await using var everyRequest = await StartAsync(TimeSpan.Zero);
        await using var every30Minutes = await StartAsync(TimeSpan.FromMinutes(30));
        using var checkedClient = await SignedInAsync(everyRequest);
        using var cachedClient = await SignedInAsync(every30Minutes);
        List<TimeSpan> checkedTimes = [], cachedTimes = [];
        for (var i = 0; i < 110; i++)
        {
            var a = await TimeAsync(checkedClient);
            var b = await TimeAsync(cachedClient);
            if (i >= 10) { checkedTimes.Add(a); cachedTimes.Add(b); }
        }
        var perRequest = checkedTimes.Order().ElementAt(checkedTimes.Count / 2);
        var cached = cachedTimes.Order().ElementAt(cachedTimes.Count / 2);
        output.WriteLine($"GET /Sources, median of 100: stamp checked every request {perRequest.TotalMilliseconds:F2} ms, every 30 min {cached.TotalMilliseconds:F2} ms, "
            + $"difference {(perRequest - cached).TotalMilliseconds:F2} ms");
        Assert.True(perRequest - cached < TimeSpan.FromMilliseconds(25), $"The per-request stamp check costs {(perRequest - cached).TotalMilliseconds:F1} ms.");
    }

    private static Task<RapportApp> StartAsync(TimeSpan interval) =>
        RapportApp.StartAsync(TestDatabases.Sqlite, b => b.Services.Configure<Microsoft.AspNetCore.Identity.SecurityStampValidatorOptions>(o => o.ValidationInterval = interval));

    private static async Task<HttpClient> SignedInAsync(RapportApp app) =>
        await app.SignedInClientAsync((await app.CreateOrganizationAsync("Harbor PT")).AdminEmail);

    private static async Task<TimeSpan> TimeAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync("/Sources", Ct);
        var elapsed = watch.Elapsed;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return elapsed;
    }
}
