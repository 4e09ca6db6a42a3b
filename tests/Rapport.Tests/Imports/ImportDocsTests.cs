using Microsoft.Extensions.DependencyInjection;
using Rapport.Imports;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Imports;

public sealed class ImportDocsTests
{
    /// <summary>docs/import.md is what users read; a column the importer knows but the page omits is a doc bug.</summary>
    [Fact]
    public async Task The_import_guide_documents_every_column()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Docs PT");
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "docs", "import.md")))
        {
            folder = folder.Parent;
        }
        Assert.NotNull(folder);
        var guide = await File.ReadAllTextAsync(Path.Combine(folder.FullName, "docs", "import.md"), TestContext.Current.CancellationToken);

        var undocumented = await app.InOrganizationAsync(org.Id, services => Task.FromResult(Enum.GetValues<ImportKind>()
            .SelectMany(kind => services.GetRequiredService<CsvImporter>().ColumnsOf(kind).Select(c => $"{kind}.{c.Name}"))
            .Where(name => !guide.Contains($"`{name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..]}`", StringComparison.Ordinal))
            .ToList()));

        Assert.Empty(undocumented);
        Assert.All(Enum.GetNames<ImportKind>(), kind => Assert.Contains($"### {kind.ToLowerInvariant()}", guide, StringComparison.Ordinal));
    }
}
