using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Documents;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Documents;

public sealed class DocumentTemplateStorageTests
{
    private static readonly DocumentTemplateKind TestKind = new("test-note", "Test note", "Hello {{physician.name}}.",
        new Dictionary<string, string> { ["physician.name"] = "The physician's name" });

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_practice_saves_its_own_text_per_kind_validated_and_isolated_from_other_practices(string database)
    {
        await using var app = await RapportApp.StartAsync(database, builder => builder.Services.AddDocumentTemplateKind(TestKind));
        var harbor = await app.CreateOrganizationAsync("Harbor PT");
        var summit = await app.CreateOrganizationAsync("Summit PT");

        var initial = await app.InOrganizationAsync(harbor.Id, sp => sp.GetRequiredService<DocumentTemplates>().GetAsync("test-note"));
        Assert.True(initial.IsDefault);

        var error = await Assert.ThrowsAsync<ValidationException>(() => app.InOrganizationAsync(harbor.Id,
            sp => sp.GetRequiredService<DocumentTemplates>().SaveAsync("test-note", "Dear {{physician.nmae}}")));
        Assert.Contains("unknown placeholder {{physician.nmae}}", error.Errors["markdown"][0], StringComparison.Ordinal);

        await app.InOrganizationAsync(harbor.Id, sp => sp.GetRequiredService<DocumentTemplates>().SaveAsync("test-note", "Dear **{{physician.name}}**, thanks."));
        var rendered = await app.InOrganizationAsync(harbor.Id, sp => sp.GetRequiredService<DocumentTemplates>()
            .RenderAsync("test-note", new Dictionary<string, string?> { ["physician.name"] = "Dr. Lee" }));
        Assert.Contains("<strong>Dr. Lee</strong>", SafeMarkdown.ToHtml(rendered), StringComparison.Ordinal);

        var other = await app.InOrganizationAsync(summit.Id, sp => sp.GetRequiredService<DocumentTemplates>().GetAsync("test-note"));
        Assert.True(other.IsDefault);
        Assert.Equal("Hello {{physician.name}}.", other.Markdown);

        await app.InOrganizationAsync(harbor.Id, async sp => { await sp.GetRequiredService<DocumentTemplates>().ResetAsync("test-note"); return 0; });
        Assert.True((await app.InOrganizationAsync(harbor.Id, sp => sp.GetRequiredService<DocumentTemplates>().GetAsync("test-note"))).IsDefault);
    }
}
