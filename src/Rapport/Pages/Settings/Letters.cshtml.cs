using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Documents;
using Rapport.Letters;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Settings;

/// <summary>The practice's letter rules (when a letter is overdue, how far back to chase) and the text of each letter kind.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class LettersModel(LetterService letters, DocumentTemplates templates) : PageModel
{
    [BindProperty] public int OverdueAfterDays { get; set; }
    [BindProperty] public int LookbackDays { get; set; }
    [BindProperty] public string? Markdown { get; set; }
    /// <summary>The kind whose form was posted and failed, to keep its text.</summary>
    public LetterKind? Failed { get; private set; }

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

    public async Task<IActionResult> OnPostTemplateAsync(string kind, CancellationToken cancellationToken)
    {
        if (LetterFormat.ParseKind(kind) is not { } letterKind)
        {
            return NotFound();
        }
        try
        {
            await templates.SaveAsync(LetterTemplates.TemplateKey(letterKind), Markdown ?? "", cancellationToken);
            TempData["Notice"] = $"{LetterFormat.Title(letterKind)} letter text saved.";
            return Redirect($"/Settings/Letters#{LetterFormat.Slug(letterKind)}");
        }
        catch (ValidationException e)
        {
            foreach (var message in e.Errors.SelectMany(x => x.Value))
            {
                ModelState.AddModelError(nameof(Markdown), message);
            }
            Failed = letterKind;
            var settings = await letters.SettingsAsync(cancellationToken);
            OverdueAfterDays = settings.OverdueAfterDays;
            LookbackDays = settings.LookbackDays;
            await LoadTemplatesAsync(cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostResetAsync(string kind, CancellationToken cancellationToken)
    {
        if (LetterFormat.ParseKind(kind) is not { } letterKind)
        {
            return NotFound();
        }
        await templates.ResetAsync(LetterTemplates.TemplateKey(letterKind), cancellationToken);
        TempData["Notice"] = $"{LetterFormat.Title(letterKind)} letter text restored to the default.";
        return Redirect($"/Settings/Letters#{LetterFormat.Slug(letterKind)}");
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
