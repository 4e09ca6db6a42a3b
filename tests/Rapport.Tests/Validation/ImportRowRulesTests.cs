using Microsoft.Extensions.DependencyInjection;
using Rapport.Imports;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Validation;

/// <summary>
/// A NUL in a CSV printed a PostgreSQL stack trace (issue 12, item 2). The import checks each row with the
/// same field rules as the API (the services' static Check), so the row is refused by line and column and
/// nothing is written, on both databases.
/// </summary>
public sealed class ImportRowRulesTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_nul_or_control_character_in_a_csv_is_a_row_error(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Import PT");
        var csv = $"npi,first_name,last_name,credential\n{Api.ApiTestKit.NextNpi()},Gregory,Ho\0use,MD\n{Api.ApiTestKit.NextNpi()},Lisa,Cuddy\u0007,MD\n{Api.ApiTestKit.NextNpi()},James,Wilson,MD\n";
        var result = await app.InOrganizationAsync(org.Id, services =>
            services.GetRequiredService<CsvImporter>().ImportAsync(ImportKind.Sources, new StringReader(csv), "sources.csv", new ImportOptions(), cancellationToken: ct));
        Assert.False(result.Written);
        Assert.Contains(result.Errors, e => e.Line == 2 && e.Column == "last_name" && e.Message.Contains("U+0000", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 3 && e.Column == "last_name" && e.Message.Contains("U+0007", StringComparison.Ordinal));
    }
}
