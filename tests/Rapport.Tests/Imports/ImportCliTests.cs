using Rapport.Common;
using Rapport.Imports;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Imports;

public sealed class ImportCliTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_cli_rejects_a_bad_file_with_file_line_field_errors_then_imports_the_fixed_one(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Princeton PT");
        await app.CreateOrganizationAsync("Other PT");
        var folder = Directory.CreateTempSubdirectory("rapport-import-");
        var path = Path.Combine(folder.FullName, "sources.csv");
        var good = Formats.NpiWithCheckDigit("123456789");
        var badCheckDigit = good[..9] + (good[9] == '9' ? '0' : (char)(good[9] + 1));
        try
        {
            await File.WriteAllTextAsync(path, $"""
                npi,first_name,last_name,phone
                {good},Gregory,House,609-555-0100
                {badCheckDigit},James,Wilson,
                {Formats.NpiWithCheckDigit("222222222")},Lisa,Cuddy,
                {Formats.NpiWithCheckDigit("333333333")},Eric,,call me
                """, TestContext.Current.CancellationToken);

            var rejected = await Infrastructure.Cli.RunAsync(app.Database, "import", "sources", path, "--org", org.Slug);

            Assert.Equal(Rapport.Cli.ImportCommands.Rejected, rejected.ExitCode);
            var errors = rejected.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Collection(errors,
                l => Assert.StartsWith($"{path}:3: npi: '{badCheckDigit}' is not a valid NPI", l, StringComparison.Ordinal),
                // The NPI could have supplied the name from the registry; none is imported, and the message says so.
                l => Assert.Equal($"{path}:5: last_name: Last name (or organization name) is required: no NPI registry is imported to fill it from (rapport import nppes).", l),
                l => Assert.StartsWith($"{path}:5: phone: 'call me' is not a US phone number", l, StringComparison.Ordinal));
            Assert.Contains("rejected, nothing written: 2 of 4 rows have 3 problem(s)", rejected.Stdout, StringComparison.Ordinal);

            var skipped = await Infrastructure.Cli.RunAsync(app.Database, "import", "sources", path, "--org", org.Slug, "--skip-invalid");
            Assert.Equal(0, skipped.ExitCode);
            Assert.Contains("2 added, 0 updated, 0 unchanged, 2 skipped", skipped.Stdout, StringComparison.Ordinal);

            var again = await Infrastructure.Cli.RunAsync(app.Database, "import", "sources", path, "--org", org.Slug, "--skip-invalid", "--dry-run");
            Assert.Equal(0, again.ExitCode);
            Assert.Contains("0 added, 0 updated, 2 unchanged, 2 skipped (dry run, nothing written)", again.Stdout, StringComparison.Ordinal);

            var missing = await Infrastructure.Cli.RunAsync(app.Database, "import", "sources", path + ".nope", "--org", org.Slug);
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("no such file", missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
