using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Referrals;
using Rapport.Users;

namespace Rapport.Pages.Settings;

public sealed record ReferralQueueSettingsForm
{
    public int? ScheduleWithinBusinessDays { get; init; }
}

/// <summary>When a received referral counts as overdue to schedule on the referral queue.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class ReferralsModel(ReferralQueueSettingsService settings) : PageModel
{
    [BindProperty] public ReferralQueueSettingsForm Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Input = new ReferralQueueSettingsForm { ScheduleWithinBusinessDays = (await settings.GetAsync(cancellationToken)).ScheduleWithinBusinessDays };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await settings.SaveAsync(Input.ScheduleWithinBusinessDays, cancellationToken);
            TempData["Notice"] = "Referral queue settings saved.";
            return Redirect("/Settings/Referrals");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e);
            return Page();
        }
    }
}
