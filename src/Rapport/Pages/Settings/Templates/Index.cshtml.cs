using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Documents;
using Rapport.Users;

namespace Rapport.Pages.Settings.Templates;

[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class IndexModel(DocumentTemplates templates) : PageModel
{
    public IReadOnlyList<(DocumentTemplateKind Kind, bool IsDefault)> Kinds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var kinds = new List<(DocumentTemplateKind, bool)>();
        foreach (var kind in templates.Kinds)
        {
            kinds.Add((kind, (await templates.GetAsync(kind.Key, cancellationToken)).IsDefault));
        }
        Kinds = kinds;
    }
}
