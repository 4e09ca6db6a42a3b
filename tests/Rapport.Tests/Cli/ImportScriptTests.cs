using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Imports;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Cli;

/// <summary>Issue 13, item 2 at the command line: a practice set up and filled by script, a saved mapping reused, history and undo.</summary>
public sealed class ImportScriptTests
{
    private static readonly string House = Formats.NpiWithCheckDigit("123456789");

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_script_sets_up_a_practice_and_imports_referrals_with_their_patients_then_undoes_it(string database)
    {
        await using var db = await TestDatabases.CreateAsync(database);
        var folder = Directory.CreateTempSubdirectory("rapport-script-");
        try
        {
            var sources = Path.Combine(folder.FullName, "sources.csv");
            var referrals = Path.Combine(folder.FullName, "referrals.csv");
            await File.WriteAllTextAsync(sources, $"npi,first_name,last_name\n{House},Gregory,House\n", TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(referrals, $"""
                external_id,source_npi,patient_external_id,patient_first_name,patient_last_name,patient_birth_date,patient_email,received_date
                R1,{House},MRN-1,Ada,Lovelace,1958-12-10,ada@example.com,2026-03-02
                R2,{House},,Alan,Turing,1912-06-23,,2026-03-03
                R3,,MRN-1,Ada,Lovelace,1958-12-10,,2026-03-04
                """, TestContext.Current.CancellationToken);

            var created = await Infrastructure.Cli.RunAsync(db, "orgs", "create", "--name", "Harbor Physical Therapy", "--slug", "harbor",
                "--time-zone", "America/Los_Angeles", "--admin-email", "owner@harbor.test", "--admin-password", "a long passphrase nobody guesses");
            Assert.True(created.ExitCode == 0, created.Stderr);
            var sourcesRun = await Infrastructure.Cli.RunAsync(db, "import", "sources", sources, "--org", "harbor");
            Assert.True(sourcesRun.ExitCode == 0, sourcesRun.Stderr);
            var referralsRun = await Infrastructure.Cli.RunAsync(db, "import", "referrals", referrals, "--org", "harbor");
            Assert.True(referralsRun.ExitCode == 0, referralsRun.Stderr);
            Assert.Contains("3 added, 0 updated, 0 unchanged, 0 skipped, 2 new patient(s).", referralsRun.Stdout, StringComparison.Ordinal);

            var history = await Infrastructure.Cli.RunAsync(db, "import", "history", "--format", "json", "--org", "harbor");
            Assert.True(history.ExitCode == 0, history.Stderr);
            var runs = JsonDocument.Parse(history.Stdout).RootElement.EnumerateArray()
                .Select(r => (Id: r.GetProperty("id").GetInt32(), Kind: r.GetProperty("kind").GetString(), Added: r.GetProperty("added").GetInt32(),
                    Patients: r.GetProperty("patientsAdded").GetInt32(), Status: r.GetProperty("status").GetString())).ToList();
            Assert.Equal([("referrals", 3, 2, "done"), ("sources", 1, 0, "done")], runs.Select(r => (r.Kind, r.Added, r.Patients, r.Status)));

            // The sources import cannot be undone while referrals of its source exist; the referrals import can.
            var refused = await Infrastructure.Cli.RunAsync(db, "import", "undo", runs[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--org", "harbor");
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("cannot be undone", refused.Stderr, StringComparison.Ordinal);
            var undone = await Infrastructure.Cli.RunAsync(db, "import", "undo", runs[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--org", "harbor");
            Assert.True(undone.ExitCode == 0, undone.Stderr);
            Assert.Contains("5 row(s) removed", undone.Stdout, StringComparison.Ordinal);
            var after = await Infrastructure.Cli.RunAsync(db, "import", "history", "--format", "json", "--org", "harbor");
            Assert.Equal("undone", JsonDocument.Parse(after.Stdout).RootElement[0].GetProperty("status").GetString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_mapping_saved_in_the_app_is_reused_by_the_cli_for_an_xlsx_file(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        string[] headers = ["Patient ID", "Given Name", "Family Name", "Date of Birth", "Shoe size"];
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ImportMappings>().SaveAsync(ImportKind.Patients, "Raintree patients",
            new Dictionary<string, string> { ["Patient ID"] = "external_id", ["Given Name"] = "first_name", ["Family Name"] = "last_name", ["Date of Birth"] = "birth_date", ["Shoe size"] = "" }));
        var folder = Directory.CreateTempSubdirectory("rapport-mapping-");
        try
        {
            var path = Path.Combine(folder.FullName, "patients.xlsx");
            await File.WriteAllBytesAsync(path, Imports.ImportMappingTests.Workbook(headers,
                ["P1", "Ada", "Lovelace", new DateTime(1958, 12, 10), 38d],
                ["P2", "Alan", "", new DateTime(1912, 6, 23), 44d]), TestContext.Current.CancellationToken);

            var rejected = await Infrastructure.Cli.RunAsync(app.Database, "import", "patients", path, "--mapping", "raintree patients", "--org", org.Slug);
            Assert.Equal(Rapport.Cli.ImportCommands.Rejected, rejected.ExitCode);
            Assert.StartsWith($"{path}:3: Family Name: ", rejected.Stderr.Trim(), StringComparison.Ordinal);

            var unknown = await Infrastructure.Cli.RunAsync(app.Database, "import", "patients", path, "--mapping", "WebPT", "--org", org.Slug);
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains("saved ones: Raintree patients", unknown.Stderr, StringComparison.Ordinal);

            await File.WriteAllBytesAsync(path, Imports.ImportMappingTests.Workbook(headers,
                ["P1", "Ada", "Lovelace", new DateTime(1958, 12, 10), 38d],
                ["P2", "Alan", "Turing", new DateTime(1912, 6, 23), 44d]), TestContext.Current.CancellationToken);
            var imported = await Infrastructure.Cli.RunAsync(app.Database, "import", "patients", path, "--mapping", "raintree patients", "--org", org.Slug);
            Assert.True(imported.ExitCode == 0, imported.Stderr);
            Assert.Contains("2 added, 0 updated, 0 unchanged, 0 skipped.", imported.Stdout, StringComparison.Ordinal);
            var history = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ImportRuns>().HistoryAsync());
            Assert.Equal([(ImportRunStatus.Done, "Raintree patients", 2), (ImportRunStatus.Rejected, "Raintree patients", 0)],
                history.Select(r => (r.Status, r.MappingName, r.Added)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
