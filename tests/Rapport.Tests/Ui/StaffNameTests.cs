using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Users;

namespace Rapport.Tests.Ui;

public sealed class StaffNameTests
{
    [Theory]
    [InlineData("Jane Smith", "jane@harbor.test", "Jane Smith")]
    [InlineData(null, "demo@rapport.test", "demo@rapport.test")]
    [InlineData("  ", "demo@rapport.test", "demo@rapport.test")]
    public void A_user_is_shown_by_display_name_else_full_email(string? displayName, string email, string shown) =>
        Assert.Equal(shown, UserNames.Display(displayName, email));

    [Fact]
    public void A_signature_adds_the_credentials()
    {
        Assert.Equal("Jane Smith, PT, DPT", UserNames.Signature("Jane Smith", "PT, DPT", "jane@harbor.test"));
        Assert.Equal("Jane Smith", UserNames.Signature("Jane Smith", null, "jane@harbor.test"));
    }

    [Fact]
    public void Names_and_credentials_are_checked_for_length_and_control_characters()
    {
        var problems = new Problems();
        UserNames.Check(problems, "Jane\tSmith", new string('P', 101));
        var e = Assert.Throws<ValidationException>(problems.ThrowIfAny);
        Assert.Contains("control characters", e.Errors["displayName"][0], StringComparison.Ordinal);
        Assert.Contains("at most 100", e.Errors["credentials"][0], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_same_user_has_the_same_name_on_every_page(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var ct = TestContext.Current.CancellationToken;
        var (janeId, sourceId) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var jane = await sp.GetRequiredService<UserDirectory>().AddAsync("jane@harbor.test", RapportApp.Password, Roles.Manager, "Jane Smith", "PT, DPT");
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { FirstName = "Lisa", LastName = "Cuddy", OwnerUserId = jane.Id });
            return (jane.Id, source.Id);
        });
        using var client = await app.SignedInClientAsync("jane@harbor.test");

        // A touch logged with "by" left blank is hers.
        using var touched = await Forms.PostAsync(client, "/Touchpoints/New", new Dictionary<string, string>
        {
            ["SourceText"] = $"Cuddy (#{sourceId})", ["Input.Method"] = "Phone", ["Input.OccurredOn"] = TestClock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, touched.StatusCode);

        var home = await Forms.ParseAsync(await client.GetAsync("/", ct));
        Assert.Equal("Jane Smith", home.QuerySelector("header .who a.username")?.TextContent.Trim());
        Assert.Equal("/Profile", home.QuerySelector("header .who a.username")?.GetAttribute("href"));

        var source = await Forms.ParseAsync(await client.GetAsync($"/Sources/{sourceId}", ct));
        Assert.Equal("Jane Smith", source.QuerySelector("#touches td[data-col='by']")?.TextContent.Trim());
        Assert.Equal("Jane Smith", source.QuerySelector("[data-field='owner']")?.TextContent.Trim());

        var users = await Forms.ParseAsync(await client.GetAsync("/Settings/Users", ct));
        Assert.Equal("Jane Smith", users.QuerySelector($"#users tr[data-user-id='{janeId}'] td[data-col='name']")?.TextContent.Trim());
        Assert.Equal("PT, DPT", users.QuerySelector($"#users tr[data-user-id='{janeId}'] td[data-col='credentials']")?.TextContent.Trim());

        var audit = await Forms.ParseAsync(await client.GetAsync("/Settings/Audit", ct));
        var actors = audit.QuerySelectorAll("td[data-col='actor']").Select(td => td.TextContent.Trim()).ToList();
        Assert.Contains("Jane Smith", actors);
        Assert.DoesNotContain("jane@harbor.test", actors);

        // The owner filter of the sources list uses the same name.
        var list = await Forms.ParseAsync(await client.GetAsync("/Sources", ct));
        Assert.Equal("Jane Smith", list.QuerySelector($"#owner option[value='{janeId}']")?.TextContent.Trim());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_user_edits_their_name_and_credentials_on_my_profile_and_an_admin_in_settings(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var ct = TestContext.Current.CancellationToken;
        var samId = await app.InOrganizationAsync(org.Id, async sp =>
            (await sp.GetRequiredService<UserDirectory>().AddAsync("sam@harbor.test", RapportApp.Password, Roles.Clinician)).Id);
        using var sam = await app.SignedInClientAsync("sam@harbor.test");

        // No display name yet: the full e-mail, never just "sam".
        var before = await Forms.ParseAsync(await sam.GetAsync("/Profile", ct));
        Assert.Equal("sam@harbor.test", before.QuerySelector("header .who a.username")?.TextContent.Trim());

        using var refused = await Forms.PostAsync(sam, "/Profile", new Dictionary<string, string> { ["Input.DisplayName"] = "Sam\nOkafor", ["Input.Credentials"] = "PT" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("control characters", (await Forms.ParseAsync(refused)).QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);

        using var saved = await Forms.PostAsync(sam, "/Profile", new Dictionary<string, string> { ["Input.DisplayName"] = " Sam Okafor ", ["Input.Credentials"] = "PT, DPT" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await Forms.ParseAsync(await sam.GetAsync("/Profile", ct));
        Assert.Equal("Sam Okafor", after.QuerySelector("header .who a.username")?.TextContent.Trim());
        Assert.Equal("Sam Okafor, PT, DPT", after.QuerySelector("#profile-signature")?.TextContent.Trim());

        // An admin changes the credentials under Settings → Users.
        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        var edit = await Forms.ParseAsync(await admin.GetAsync($"/Settings/Users?edit={samId}", ct));
        Assert.Equal("Sam Okafor", edit.QuerySelector("#Edit_DisplayName")?.GetAttribute("value"));
        using var changed = await Forms.PostAsync(admin, "/Settings/Users?handler=Profile", new Dictionary<string, string>
        {
            ["Edit.UserId"] = samId, ["Edit.DisplayName"] = "Sam Okafor", ["Edit.Credentials"] = "PT, DPT, SCS",
        }, tokenFrom: $"/Settings/Users?edit={samId}");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var stored = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().FindAsync(samId));
        Assert.Equal(("Sam Okafor", "PT, DPT, SCS"), (stored!.DisplayName, stored.Credentials));

        // A clinician cannot reach the users settings.
        using var denied = await sam.GetAsync("/Settings/Users", ct);
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
    }
}
