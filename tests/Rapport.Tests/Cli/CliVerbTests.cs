using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;
using Rapport.ReferBacks;

namespace Rapport.Tests.Cli;

/// <summary>The `rapport` verbs, run as a separate process against the same database as the app.</summary>
public sealed class CliVerbTests
{
    private static readonly string[] SourceJsonFields =
        ["id", "npi", "name", "specialty", "status", "activePatients", "referrals90d", "referrals12m", "lastTouchAt", "lastTouchMethod", "daysSinceTouch", "referBacks12m", "lastReferBackAt"];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Sources_list_and_show_print_the_metrics_as_json_csv_and_table(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Cli Practice");
        var today = TestClock.Today;
        var npi = Formats.NpiWithCheckDigit("400000001");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { Npi = npi, FirstName = "Gregory", LastName = "House", Credential = "MD", TaxonomyCode = "207X00000X" });
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "P1", FirstName = "Ann", LastName = "Lee" });
            await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput { PatientId = patient.Id, SourceId = source.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-10), EvaluatedOn = today.AddDays(-5) });
            await sp.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput { SourceId = source.Id, OccurredOn = today.AddDays(-3), Method = TouchMethod.Email });
            await sp.GetRequiredService<ReferBackService>().CreateAsync(new ReferBackInput { ToSourceId = source.Id, SentOn = today.AddDays(-2), PatientId = patient.Id });
            return 0;
        });

        var list = await Infrastructure.Cli.RunAsync(app.Database, "sources", "list", "--format", "json");
        Assert.True(list.ExitCode == 0, list.Stderr);
        var row = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray());
        foreach (var field in SourceJsonFields)
        {
            Assert.True(row.TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.Equal(npi, row.GetProperty("npi").GetString());
        Assert.Equal("Gregory House, MD", row.GetProperty("name").GetString());
        Assert.Equal(1, row.GetProperty("activePatients").GetInt32());
        Assert.Equal(1, row.GetProperty("referrals90d").GetInt32());
        Assert.Equal(today.AddDays(-3).ToString("yyyy-MM-dd"), row.GetProperty("lastTouchAt").GetString());
        Assert.Equal("Email", row.GetProperty("lastTouchMethod").GetString());
        Assert.Equal(3, row.GetProperty("daysSinceTouch").GetInt32());
        Assert.Equal(1, row.GetProperty("referBacks12m").GetInt32());
        Assert.Equal(today.AddDays(-2).ToString("yyyy-MM-dd"), row.GetProperty("lastReferBackAt").GetString());

        var show = await Infrastructure.Cli.RunAsync(app.Database, "sources", "show", npi, "--format", "json");
        Assert.True(show.ExitCode == 0, show.Stderr);
        var details = JsonDocument.Parse(show.Stdout).RootElement;
        Assert.Equal(row.GetProperty("id").GetInt32(), details.GetProperty("id").GetInt32());
        var months = details.GetProperty("monthlyReferrals").EnumerateArray().ToList();
        Assert.Equal(24, months.Count);
        Assert.Equal(1, months.Sum(m => m.GetProperty("count").GetInt32()));

        var csv = await Infrastructure.Cli.RunAsync(app.Database, "sources", "list", "--format", "csv");
        var lines = csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', SourceJsonFields), lines[0].TrimEnd('\r'));
        Assert.Contains("\"Gregory House, MD\"", lines[1], StringComparison.Ordinal);

        var table = await Infrastructure.Cli.RunAsync(app.Database, "sources", "show", npi);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Email (3 days ago)", table.Stdout, StringComparison.Ordinal);

        var missing = await Infrastructure.Cli.RunAsync(app.Database, "sources", "show", "999999");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("No source", missing.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Users_add_creates_a_user_who_can_sign_in_and_rejects_unknown_roles(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Users Practice");
        var added = await Infrastructure.Cli.RunAsync(app.Database, "users", "add", "--email", "liaison@users.test", "--role", "liaison", "--org", org.Slug, "--password", "liaison-pass-1");
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Contains("Liaison", added.Stdout, StringComparison.Ordinal);

        var bad = await Infrastructure.Cli.RunAsync(app.Database, "users", "add", "--email", "x@users.test", "--role", "janitor", "--org", org.Slug);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("role:", bad.Stderr, StringComparison.Ordinal);

        var unknownOrg = await Infrastructure.Cli.RunAsync(app.Database, "users", "add", "--email", "y@users.test", "--role", "Admin", "--org", "nope");
        Assert.NotEqual(0, unknownOrg.ExitCode);
        Assert.Contains("nope", unknownOrg.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Users_add_takes_a_name_and_credentials_checked_like_the_profile_page(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Names Practice");
        var added = await Infrastructure.Cli.RunAsync(app.Database, "users", "add", "--email", "elena@names.test", "--role", "clinician", "--name", "Elena Park",
            "--credentials", "PT, DPT", "--org", org.Slug, "--password", "clinician-pass-1");
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Contains("Added Elena Park, PT, DPT (elena@names.test) as Clinician.", added.Stdout, StringComparison.Ordinal);
        var list = await Infrastructure.Cli.RunAsync(app.Database, "users", "list", "--org", org.Slug);
        Assert.Contains("PT, DPT", list.Stdout, StringComparison.Ordinal);

        var tooLong = await Infrastructure.Cli.RunAsync(app.Database, "users", "add", "--email", "x@names.test", "--role", "clinician",
            "--credentials", new string('X', 101), "--org", org.Slug);
        Assert.NotEqual(0, tooLong.ExitCode);
        Assert.Contains("credentials:", tooLong.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Db_migrate_reports_up_to_date_and_backup_copies_sqlite_or_points_to_pg_dump(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        await app.CreateOrganizationAsync("Backup Practice");
        // A real `rapport` process: the built binary starts, finds its configuration and reaches both databases.
        var migrate = await Infrastructure.Cli.RunProcessAsync(app.Database, "db", "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        Assert.Contains("up to date", migrate.Stdout, StringComparison.Ordinal);

        var target = Path.Combine(Path.GetTempPath(), $"rapport-backup-{Guid.NewGuid():N}.db");
        var backup = await Infrastructure.Cli.RunAsync(app.Database, "db", "backup", "--out", target);
        if (database == TestDatabases.Sqlite)
        {
            Assert.True(backup.ExitCode == 0, backup.Stderr);
            await using var copy = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={target};Pooling=False");
            await copy.OpenAsync();
            await using var count = copy.CreateCommand();
            count.CommandText = "SELECT Name FROM Organizations";
            Assert.Equal("Backup Practice", (string?)await count.ExecuteScalarAsync());
            File.Delete(target);
        }
        else
        {
            Assert.NotEqual(0, backup.ExitCode);
            Assert.Contains("pg_dump", backup.Stderr, StringComparison.Ordinal);
        }
    }
}
