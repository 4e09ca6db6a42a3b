using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rapport.Data;
using Rapport.Registry;
using Rapport.Registry.Nppes;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Registry;

/// <summary>`rapport import nppes` on both databases: the real sample rows, malformed rows, re-imports, full vs weekly files, a killed run.</summary>
public sealed class NppesImportTests
{
    private static string SampleFile => Path.Combine(AppContext.BaseDirectory, "Registry", "Data", "nppes_sample_first10_rows_329col.csv");

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_ten_real_sample_rows_import_with_their_names_taxonomy_and_address_and_a_reimport_changes_nothing(string database)
    {
        await using var db = await TestDatabases.CreateMigratedAsync(database);
        var first = await Infrastructure.Cli.RunAsync(db, "import", "nppes", SampleFile);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("added           10", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("bad rows        0", first.Stdout, StringComparison.Ordinal);

        using var host = Host(db);
        var rows = await RowsAsync(host);
        Assert.Equal(10, rows.Count);
        var wiebe = rows.Single(r => r.Npi == "1679576722");
        Assert.Equal(("WIEBE", "DAVID", "A", "M.D."), (wiebe.LastName, wiebe.FirstName, wiebe.MiddleName, wiebe.Credential));
        Assert.Equal(RegistryEntityType.Individual, wiebe.EntityType);
        Assert.Equal("207X00000X", wiebe.TaxonomyCode);
        Assert.Equal(("3500 CENTRAL AVE", "KEARNEY", "NE", "688472944", "68847", "US"),
            (wiebe.AddressLine1, wiebe.City, wiebe.State, wiebe.PostalCode, wiebe.Zip5, wiebe.CountryCode));
        Assert.Equal(("3088652512", "3088652506", "M"), (wiebe.Phone, wiebe.Fax, wiebe.Gender));
        Assert.Equal(new DateOnly(2005, 5, 23), wiebe.EnumerationDate);
        Assert.Equal(new DateOnly(2007, 7, 8), wiebe.LastUpdateDate);
        Assert.Equal(40.76003, wiebe.Latitude!.Value, 5);
        Assert.Equal("3500 CENTRAL AVE 68847", wiebe.AddressKey);
        Assert.Null(wiebe.MissingSince);
        // The primary taxonomy is the slot switched Y, not the first one.
        Assert.Equal("207RC0000X", rows.Single(r => r.Npi == "1588667638").TaxonomyCode);
        Assert.Equal("207RH0003X", rows.Single(r => r.Npi == "1215930367").TaxonomyCode);
        Assert.Equal(("DR.", "II"), (rows.Single(r => r.Npi == "1306849450").NamePrefix, rows.Single(r => r.Npi == "1306849450").NameSuffix));
        var hospital = rows.Single(r => r.Npi == "1497758544");
        Assert.Equal(RegistryEntityType.Organization, hospital.EntityType);
        Assert.Equal("CUMBERLAND COUNTY HOSPITAL SYSTEM, INC", hospital.BusinessName);
        Assert.Null(hospital.LastName);
        // Practice location, not the mailing address.
        Assert.Equal(("425 E 25TH ST", "NEW YORK"), (rows.Single(r => r.Npi == "1841293990").AddressLine1, rows.Single(r => r.Npi == "1841293990").City));

        var again = await Infrastructure.Cli.RunAsync(db, "import", "nppes", SampleFile, "--Clock:Now=2026-07-01T00:00:00Z");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("added           0", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("changed         0", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("unchanged       10", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(Snapshot(rows, withUpdatedAt: true), Snapshot(await RowsAsync(host), withUpdatedAt: true));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Filters_keep_the_states_and_groups_asked_for_and_a_file_without_NPI_is_refused(string database)
    {
        await using var db = await TestDatabases.CreateMigratedAsync(database);
        // 1306849450 (TX) is a radiologist: no group asked for.
        var filtered = await Infrastructure.Cli.RunAsync(db, "import", "nppes", SampleFile, "--states", "tx,NE", "--taxonomy-groups", "Orthopaedic surgery,Internal medicine,Pediatrics");
        Assert.True(filtered.ExitCode == 0, filtered.Stderr);
        using var host = Host(db);
        Assert.Equal(["1215930367", "1669475711", "1679576722", "1750384806"], (await RowsAsync(host)).Select(r => r.Npi));

        var unknown = await Infrastructure.Cli.RunAsync(db, "import", "nppes", SampleFile, "--taxonomy-groups", "Astrology");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("Orthopaedic surgery", unknown.Stderr, StringComparison.Ordinal);

        var notNppes = Path.Combine(Path.GetTempPath(), $"not-nppes-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(notNppes, "\"Name\",\"City\"\n\"A\",\"B\"\n");
        var refused = await Infrastructure.Cli.RunAsync(db, "import", "nppes", notNppes);
        File.Delete(notNppes);
        Assert.Equal(NppesCommandsExitCodes.NotAnNppesFile, refused.ExitCode);
        Assert.Contains("NPI", refused.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Malformed_rows_are_skipped_and_reported_by_line_while_the_good_rows_import_and_a_reimport_changes_nothing(string database)
    {
        await using var db = await TestDatabases.CreateMigratedAsync(database);
        var file = TempFile("npidata_pfile_20050523-20260614.csv");
        IReadOnlyList<InjectedBadRow> injected;
        await using (var stream = File.Create(file))
        {
            injected = NppesFileGenerator.Write(stream, new NppesGeneratorOptions(3_000) { Seed = 7, BadRows = 14, MultilineShare = 0.01 });
        }
        Assert.Equal(Enum.GetValues<NppesBadRowKind>().Length * 2, injected.Count);
        using var host = Host(db);
        var first = await ImportAsync(host, file, NppesFilter.Create(null, null, false));
        Assert.Equal(3_000, first.Run.Records);
        Assert.Equal(14, first.Run.BadRows);
        Assert.Equal(injected.Select(i => i.Line), first.Problems.Select(p => p.Line));
        Assert.Contains(first.Problems, p => p.Message.Contains("fields where the header has 330", StringComparison.Ordinal));
        Assert.Contains(first.Problems, p => p.Message.Contains("text after a closing quote", StringComparison.Ordinal));
        Assert.Contains(first.Problems, p => p.Message.Contains("never closes", StringComparison.Ordinal));
        Assert.Contains(first.Problems, p => p.Message.StartsWith("Provider Enumeration Date: '13/45/2010'", StringComparison.Ordinal));
        Assert.Contains(first.Problems, p => p.Message.StartsWith("NPI: ", StringComparison.Ordinal));
        Assert.Contains(first.Problems, p => p.Message.Contains("10,240 characters", StringComparison.Ordinal));
        Assert.Equal(2_986, first.Run.Kept);
        Assert.Equal(2_986, first.Run.Added);
        var rows = await RowsAsync(host);
        Assert.Equal(2_986, rows.Count);
        Assert.Contains(rows, r => r.EntityType is null && r.DeactivationDate is not null);

        var again = await ImportAsync(host, file, NppesFilter.Create(null, null, false), at: TestClock.Now.AddDays(3));
        Assert.Equal((0L, 0L, 2_986L, 14L), (again.Run.Added, again.Changed, again.Run.Unchanged, again.Run.BadRows));
        Assert.Equal(Snapshot(rows, withUpdatedAt: true), Snapshot(await RowsAsync(host), withUpdatedAt: true));
        File.Delete(file);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_full_file_marks_the_NPIs_of_its_scope_it_no_longer_lists_and_a_weekly_file_never_does(string database)
    {
        await using var db = await TestDatabases.CreateMigratedAsync(database);
        var monthly = TempFile("npidata_pfile_20050523-20260607.csv");
        await using (var stream = File.Create(monthly))
        {
            NppesFileGenerator.Write(stream, new NppesGeneratorOptions(1_500) { Seed = 11, States = ["NE", "KS"], DeactivatedShare = 0, MultilineShare = 0 });
        }
        using var host = Host(db);
        await ImportAsync(host, monthly, NppesFilter.Create(null, null, false));
        var all = await RowsAsync(host);
        var lines = await File.ReadAllLinesAsync(monthly);
        var nebraska = all.Where(r => r.State == "NE").Take(4).Select(r => r.Npi).ToHashSet();
        var kansas = all.Where(r => r.State == "KS").Take(3).Select(r => r.Npi).ToHashSet();
        var dropped = nebraska.Concat(kansas).ToHashSet();
        string[] Without(IEnumerable<string> npis) => [.. lines.Where(l => !npis.Any(n => l.StartsWith($"\"{n}\"", StringComparison.Ordinal)))];

        // A weekly file that lacks them marks nothing.
        var weekly = TempFile("npidata_pfile_20260608-20260614.csv");
        await File.WriteAllLinesAsync(weekly, Without(dropped));
        var week = await ImportAsync(host, weekly, NppesFilter.Create(null, null, false));
        Assert.Equal(NppesFileKind.Weekly, week.Run.Kind);
        Assert.Equal(0, week.Run.MarkedMissing);
        Assert.DoesNotContain(await RowsAsync(host), r => r.MissingSince is not null);

        // The next full file, imported for Nebraska only, marks the Nebraska NPIs it lacks, not the Kansas ones.
        var next = TempFile("npidata_pfile_20050523-20260705.csv");
        await File.WriteAllLinesAsync(next, Without(dropped));
        var full = await ImportAsync(host, next, NppesFilter.Create("NE", null, false));
        Assert.Equal(NppesFileKind.Full, full.Run.Kind);
        Assert.Equal(4, full.Run.MarkedMissing);
        var after = await RowsAsync(host);
        Assert.Equal(nebraska.Order(), after.Where(r => r.MissingSince is not null).Select(r => r.Npi).Order());
        Assert.All(after.Where(r => r.MissingSince is not null), r => Assert.Equal(new DateOnly(2026, 7, 5), r.MissingSince));
        Assert.All(after.Where(r => nebraska.Contains(r.Npi)), r => Assert.Equal(all.Single(a => a.Npi == r.Npi).UpdatedAt, r.UpdatedAt));

        // Listed again, they are no longer missing.
        var back = await ImportAsync(host, monthly, NppesFilter.Create("NE", null, false), kind: NppesFileKind.Full);
        Assert.Equal(0, back.Run.MarkedMissing);
        Assert.DoesNotContain(await RowsAsync(host), r => r.MissingSince is not null);
        foreach (var path in new[] { monthly, weekly, next })
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_killed_import_rerun_resumes_and_leaves_the_same_table_as_an_uninterrupted_one(string database)
    {
        var file = TempFile("npidata_pfile_20050523-20260614.csv");
        await using (var stream = File.Create(file))
        {
            NppesFileGenerator.Write(stream, new NppesGeneratorOptions(20_000) { Seed = 5, BadRows = 7, MultilineShare = 0.002 });
        }
        await using var interrupted = await TestDatabases.CreateMigratedAsync(database);
        await using var reference = await TestDatabases.CreateMigratedAsync(database);
        string[] command = ["import", "nppes", file, "--states", "CA,TX,NY,FL,PA,OH,IL", "--batch-size", "20"];

        var killedAt = await StartAndKillAsync(interrupted, command);
        Assert.True(killedAt > 0, "the import finished before it could be killed");
        var resumed = await Infrastructure.Cli.RunAsync(interrupted, command);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("Resumed an interrupted import at line", resumed.Stdout, StringComparison.Ordinal);

        var whole = await Infrastructure.Cli.RunAsync(reference, command);
        Assert.True(whole.ExitCode == 0, whole.Stderr);
        Assert.DoesNotContain("Resumed", whole.Stdout, StringComparison.Ordinal);

        using var interruptedHost = Host(interrupted);
        using var referenceHost = Host(reference);
        var expected = await RowsAsync(referenceHost);
        Assert.True(expected.Count > 1_000);
        Assert.Equal(Snapshot(expected, withUpdatedAt: false), Snapshot(await RowsAsync(interruptedHost), withUpdatedAt: false));
        // The bad rows are reported once each, however often the run was started.
        Assert.Contains("bad rows        7", resumed.Stdout, StringComparison.Ordinal);

        // A completed run is not resumed: the same command starts a new run; killed again, --restart
        // abandons it and starts over, and the table is still the uninterrupted one.
        Assert.True(await StartAndKillAsync(interrupted, command) > 0, "the second import finished before it could be killed");
        var restarted = await Infrastructure.Cli.RunAsync(interrupted, [.. command, "--restart"]);
        Assert.True(restarted.ExitCode == 0, restarted.Stderr);
        Assert.DoesNotContain("Resumed", restarted.Stdout, StringComparison.Ordinal);
        Assert.Contains("added           0", restarted.Stdout, StringComparison.Ordinal);
        Assert.Equal(Snapshot(expected, withUpdatedAt: false), Snapshot(await RowsAsync(interruptedHost), withUpdatedAt: false));
        File.Delete(file);
    }

    /// <summary>Starts the CLI and kills it (the whole process tree) once its checkpoint shows committed batches; returns the checkpoint's line.</summary>
    private static async Task<long> StartAndKillAsync(TestDatabase database, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rapport.dll"));
        foreach (var arg in args.Concat(database.ConfigurationArgs).Append(TestClock.Argument(TestClock.Now)))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var host = Host(database, migrate: false);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
        {
            var line = await CheckpointLineAsync(host);
            if (line > 500)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return line;
            }
            await Task.Delay(15);
        }
        return 0;
    }

    private static async Task<long> CheckpointLineAsync(IHost host)
    {
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            return await db.NppesImportRuns.Where(r => r.Status == NppesRunStatus.Running).Select(r => r.Line).FirstOrDefaultAsync();
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or Npgsql.PostgresException or InvalidOperationException)
        {
            // The child process has not created the tables yet.
            return 0;
        }
    }

    private static IHost Host(TestDatabase database, bool migrate = true)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. database.ConfigurationArgs, TestClock.Argument(TestClock.Now)],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error);
        builder.Services.AddRapportCore(builder.Configuration);
        var host = builder.Build();
        if (migrate)
        {
            using var scope = host.Services.CreateScope();
            scope.ServiceProvider.GetRequiredService<DatabaseMaintenance>().MigrateAsync().GetAwaiter().GetResult();
        }
        return host;
    }

    private static async Task<NppesImportResult> ImportAsync(IHost host, string file, NppesFilter filter, NppesFileKind? kind = null, DateTimeOffset? at = null)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(at ?? TestClock.Now);
        var importer = ActivatorUtilities.CreateInstance<NppesImporter>(scope.ServiceProvider, clock);
        return await importer.ImportAsync(new NppesImportRequest(file, filter) { Kind = kind, BatchSize = 250 }, null, TestContext.Current.CancellationToken);
    }

    private static async Task<List<RegistryProvider>> RowsAsync(IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        var rows = await db.RegistryProviders.AsNoTracking().ToListAsync();
        return [.. rows.OrderBy(r => r.Npi, StringComparer.Ordinal)];
    }

    /// <summary>Every column of every row as text (UpdatedAt optional: two runs start at different instants).</summary>
    private static string Snapshot(IEnumerable<RegistryProvider> rows, bool withUpdatedAt) =>
        string.Join('\n', rows.Select(r =>
        {
            var json = JsonSerializer.Serialize(r);
            return withUpdatedAt ? json : System.Text.RegularExpressions.Regex.Replace(json, "\"UpdatedAt\":\"[^\"]*\"", "");
        }));

    private static string TempFile(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rapport-nppes-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}

/// <summary>The CLI's exit code for a file that is no NPPES file (mirrors Rapport.Cli.NppesCommands).</summary>
internal static class NppesCommandsExitCodes
{
    public const int NotAnNppesFile = Rapport.Cli.NppesCommands.NotAnNppesFile;
}
