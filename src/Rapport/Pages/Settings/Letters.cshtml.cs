using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Documents;
using Rapport.Letters;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Settings;

/// <summary>The practice's letter rules (when a letter is overdue, how far back to chase); the texts are edited under Settings → Templates.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class LettersModel(LetterService letters, DocumentTemplates templates) : PageModel
{
    [BindProperty] public int OverdueAfterDays { get; set; }
    [BindProperty] public int LookbackDays { get; set; }
    public IReadOnlyList<(LetterKind Kind, EffectiveTemplate Template)> Templates { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var settings = await letters.SettingsAsync(cancellationToken);
        OverdueAfterDays = settings.OverdueAfterDays;
        LookbackDays = settings.LookbackDays;
        await LoadTemplatesAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRulesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await letters.SaveSettingsAsync(OverdueAfterDays, LookbackDays, cancellationToken);
            TempData["Notice"] = "Letter rules saved.";
            return Redirect("/Settings/Letters");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "");
            await LoadTemplatesAsync(cancellationToken);
            return Page();
        }
    }

    private async Task LoadTemplatesAsync(CancellationToken cancellationToken)
    {
        var list = new List<(LetterKind, EffectiveTemplate)>();
        foreach (var kind in Enum.GetValues<LetterKind>())
        {
            list.Add((kind, await templates.GetAsync(LetterTemplates.TemplateKey(kind), cancellationToken)));
        }
        Templates = list;
    }
}
