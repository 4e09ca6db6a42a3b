using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Documents;
using Rapport.Users;

namespace Rapport.Pages.Settings.Templates;

/// <summary>Edits one template kind's Markdown, with a safe preview of the text as saved (placeholders shown as written).</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class EditModel(DocumentTemplates templates) : PageModel
{
    [BindProperty] public string? Markdown { get; set; }

    public EffectiveTemplate Template { get; private set; } = null!;

    public string PreviewHtml { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string kind, CancellationToken cancellationToken)
    {
        try
        {
            Template = await templates.GetAsync(kind, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        Markdown = Template.Markdown;
        PreviewHtml = SafeMarkdown.ToHtml(Markdown);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string kind, CancellationToken cancellationToken)
    {
        try
        {
            await templates.SaveAsync(kind, Markdown ?? "", cancellationToken);
            TempData["Notice"] = "Template saved.";
            return Redirect($"/Settings/Templates/{kind}");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationException e)
        {
            foreach (var message in e.Errors.SelectMany(x => x.Value))
            {
                ModelState.AddModelError(nameof(Markdown), message);
            }
        }
        Template = await templates.GetAsync(kind, cancellationToken);
        PreviewHtml = SafeMarkdown.ToHtml(Markdown ?? "");
        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync(string kind, CancellationToken cancellationToken)
    {
        try
        {
            await templates.ResetAsync(kind, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        TempData["Notice"] = "The default text applies again.";
        return Redirect($"/Settings/Templates/{kind}");
    }
}
