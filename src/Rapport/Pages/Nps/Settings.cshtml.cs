using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Nps;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Nps;

[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class SettingsModel(SurveyInvitations invitations) : PageModel
{
    [BindProperty] public NpsSettingsInput Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var s = await invitations.SettingsAsync(cancellationToken);
        Input = new NpsSettingsInput
        {
            InviteAtDischarge = s.InviteAtDischarge, InviteAfterVisits = s.InviteAfterVisits, ExpiryDays = s.ExpiryDays, ReviewUrl = s.ReviewUrl,
            Subject = s.Subject, Body = s.Body,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await invitations.SaveSettingsAsync(Input, cancellationToken);
            TempData["Notice"] = "Survey settings saved.";
            return Redirect("/Nps/Settings");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e);
            return Page();
        }
    }
}
