using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Documents;
using Rapport.Pages.Shared;
using Rapport.ReportCards;
using Rapport.Users;

namespace Rapport.Pages.Settings;

public sealed record ReportCardSettingsForm
{
    public int? MinimumCellSize { get; init; }
    public PaperSize? Paper { get; init; }
}

[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class ReportCardsModel(ReportCardSettingsService settings) : PageModel
{
    [BindProperty] public ReportCardSettingsForm Input { get; set; } = new();

    public bool HasLogo { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var current = await settings.GetAsync(cancellationToken);
        Input = new ReportCardSettingsForm { MinimumCellSize = current.MinimumCellSize, Paper = current.Paper };
        HasLogo = current.Logo is not null;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await settings.SaveAsync(new ReportCardSettingsInput(Input.MinimumCellSize, Input.Paper), cancellationToken);
            TempData["Notice"] = "Report card settings saved.";
            return Redirect("/Settings/ReportCards");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e);
        }
        HasLogo = (await settings.GetAsync(cancellationToken)).Logo is not null;
        return Page();
    }

    public async Task<IActionResult> OnPostLogoAsync(IFormFile? logo, bool remove, CancellationToken cancellationToken)
    {
        try
        {
            byte[]? image = null;
            if (!remove)
            {
                if (logo is null || logo.Length == 0)
                {
                    throw new ValidationException("logo", "Choose a PNG or JPEG file.");
                }
                if (logo.Length > ReportCardSettings.MaxLogoBytes)
                {
                    throw new ValidationException("logo", $"The logo is {logo.Length / 1024:N0} KB; the limit is {ReportCardSettings.MaxLogoBytes / 1024} KB.");
                }
                using var buffer = new MemoryStream();
                await logo.CopyToAsync(buffer, cancellationToken);
                image = buffer.ToArray();
            }
            await settings.SetLogoAsync(image, cancellationToken);
            TempData["Notice"] = remove ? "Logo removed." : "Logo saved.";
            return Redirect("/Settings/ReportCards");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "");
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetLogoAsync(CancellationToken cancellationToken) =>
        (await settings.GetAsync(cancellationToken)).Logo is { } logo ? File(logo, logo[0] == 0x89 ? "image/png" : "image/jpeg") : NotFound();
}
