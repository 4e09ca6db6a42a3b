using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Organizations;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

public sealed class AccountPagesTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Signing_in_works_and_a_wrong_password_shows_an_error(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");

        using var signedIn = await app.SignedInClientAsync(org.AdminEmail);
        var home = await signedIn.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("Sign out", home, StringComparison.Ordinal);
        Assert.Contains("Harbor PT Admin", home, StringComparison.Ordinal);

        using var anonymous = app.AnonymousClient();
        using var wrong = await Forms.PostAsync(anonymous, "/Account/Login", new Dictionary<string, string>
        {
            ["Email"] = org.AdminEmail, ["Password"] = "not-the-password-1",
        });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var page = await Forms.ParseAsync(wrong);
        Assert.Contains("do not match", page.QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
        using var stillOut = await anonymous.GetAsync("/Sources", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, stillOut.StatusCode);
        Assert.StartsWith("/Account/Login", stillOut.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Concurrent_setups_make_one_practice_and_one_admin(string database)
    {
        // Issue 12, item 9: six at once made five practices and five admins.
        await using var app = await RapportApp.StartAsync(database);
        var clients = Enumerable.Range(0, 6).Select(_ => app.AnonymousClient()).ToList();
        var posts = clients.Select((client, i) => Forms.PostAsync(client, "/Setup", new Dictionary<string, string>
        {
            ["Input.PracticeName"] = $"Race Rehab {i}", ["Input.ShortName"] = $"race-{i}", ["Input.ClinicName"] = "Main",
            ["Input.AdminName"] = $"Owner {i}", ["Input.Email"] = $"owner{i}@race.test", ["Input.Password"] = RapportApp.Password,
            ["Input.TimeZoneId"] = "America/Denver",
        })).ToList();
        var responses = await Task.WhenAll(posts);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Rapport.Data.RapportDbContext>();
        Assert.Equal(1, await db.Organizations.IgnoreQueryFilters().CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.Users.IgnoreQueryFilters().CountAsync(TestContext.Current.CancellationToken));
        foreach (var r in responses) r.Dispose();
        foreach (var c in clients) c.Dispose();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Setup_creates_the_practice_and_admin_and_cannot_run_twice(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        using var client = app.AnonymousClient();
        var fields = new Dictionary<string, string>
        {
            ["Input.PracticeName"] = "Cedar Rehab", ["Input.ShortName"] = "", ["Input.ClinicName"] = "Cedar Downtown",
            ["Input.AdminName"] = "Dana Owner", ["Input.Email"] = "dana@cedar.test", ["Input.Password"] = RapportApp.Password,
            ["Input.TimeZoneId"] = "",
        };
        // The practice's time zone is required: its calendar decides every date.
        using var noZone = await Forms.PostAsync(client, "/Setup", fields);
        Assert.Equal(HttpStatusCode.OK, noZone.StatusCode);
        Assert.Contains("Choose the practice's time zone", (await Forms.ParseAsync(noZone)).QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
        fields["Input.TimeZoneId"] = "America/Denver";
        using var created = await Forms.PostAsync(client, "/Setup", fields);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/", created.Headers.Location?.OriginalString);

        // The admin is signed in straight away, with the Admin role in the cookie.
        var home = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("Dana Owner", home, StringComparison.Ordinal);
        Assert.Contains("/Settings/Clinics", home, StringComparison.Ordinal);

        using var again = await client.GetAsync("/Setup", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/", again.Headers.Location?.OriginalString);
        using var anonymousAgain = await app.AnonymousClient().GetAsync("/Setup", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, anonymousAgain.StatusCode);

        // Posting the form a second time does not create a second practice.
        using var secondPost = await client.PostAsync("/Setup", new FormUrlEncodedContent(new Dictionary<string, string>(fields)
        {
            ["Input.PracticeName"] = "Intruder", ["Input.Email"] = "x@intruder.test",
            ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(await client.GetStringAsync("/Sources/New", TestContext.Current.CancellationToken)),
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, secondPost.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var organizations = await scope.ServiceProvider.GetRequiredService<OrganizationService>().AllAsync(TestContext.Current.CancellationToken);
        var only = Assert.Single(organizations);
        Assert.Equal("Cedar Rehab", only.Name);
        Assert.Equal("cedar-rehab", only.Slug);
        Assert.Equal("America/Denver", only.TimeZoneId);
    }
}
