using System.Text.Json;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Cli;

/// <summary>Issue 13, item 1: a practice set up by script, on an empty database, without the web first-run page.</summary>
public sealed class OrgsCommandTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_script_creates_a_practice_then_the_other_verbs_work_in_it(string database)
    {
        await using var db = await TestDatabases.CreateAsync(database);

        // A real `rapport` process on an empty database: the binary migrates it on first use.
        var empty = await Infrastructure.Cli.RunProcessAsync(db, "users", "list");
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("rapport orgs create", empty.Stderr, StringComparison.Ordinal);

        var created = await Infrastructure.Cli.RunAsync(db, "orgs", "create", "--name", "Harbor Physical Therapy", "--slug", "harbor",
            "--time-zone", "America/Los_Angeles", "--admin-email", "owner@harbor.test", "--admin-password", "a long passphrase nobody guesses");
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Contains("Created practice Harbor Physical Therapy (--org harbor", created.Stdout, StringComparison.Ordinal);

        // Without a password the administrator gets a one-time link to choose one.
        var second = await Infrastructure.Cli.RunAsync(db, "orgs", "create", "--name", "Cedar PT", "--admin-email", "owner@cedar.test");
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("/Account/ResetPassword", second.Stdout, StringComparison.Ordinal);

        var list = await Infrastructure.Cli.RunAsync(db, "orgs", "list", "--format", "json");
        Assert.True(list.ExitCode == 0, list.Stderr);
        var practices = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray()
            .Select(o => (Slug: o.GetProperty("slug").GetString(), Zone: o.GetProperty("timeZone").GetString())).ToList();
        Assert.Equal([("harbor", "America/Los_Angeles"), ("cedar-pt", "UTC")], practices);

        var users = await Infrastructure.Cli.RunAsync(db, "users", "list", "--org", "harbor");
        Assert.True(users.ExitCode == 0, users.Stderr);
        Assert.Contains("owner@harbor.test", users.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("owner@cedar.test", users.Stdout, StringComparison.Ordinal);

        // Bad input names its field, exits 2 (a validation problem, as every verb) and creates nothing.
        var taken = await Infrastructure.Cli.RunAsync(db, "orgs", "create", "--name", "Harbor Again", "--slug", "harbor", "--admin-email", "x@harbor.test",
            "--admin-password", "a long passphrase nobody guesses");
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains("slug", taken.Stderr, StringComparison.Ordinal);
        var zone = await Infrastructure.Cli.RunAsync(db, "orgs", "create", "--name", "Nowhere PT", "--time-zone", "Mars/Olympus", "--admin-email", "x@nowhere.test",
            "--admin-password", "a long passphrase nobody guesses");
        Assert.Equal(2, zone.ExitCode);
        Assert.Contains("Mars/Olympus", zone.Stderr, StringComparison.Ordinal);
        var weak = await Infrastructure.Cli.RunAsync(db, "orgs", "create", "--name", "Weak PT", "--admin-email", "x@weak.test", "--admin-password", "password12");
        Assert.Equal(2, weak.ExitCode);
        Assert.Contains("password", weak.Stderr, StringComparison.OrdinalIgnoreCase);
        var after = await Infrastructure.Cli.RunAsync(db, "orgs", "list", "--format", "json");
        Assert.Equal(2, JsonDocument.Parse(after.Stdout).RootElement.GetArrayLength());
    }
}
