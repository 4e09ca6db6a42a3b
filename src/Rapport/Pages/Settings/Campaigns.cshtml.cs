using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Campaigns;
using Rapport.Common;
using Rapport.Users;

namespace Rapport.Pages.Settings;

/// <summary>The campaign attribution window: how long after a campaign touch a source's referral still counts for the campaign.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class CampaignsModel(CampaignSettingsService settings) : PageModel
{
    [BindProperty] public int AttributionWindowDays { get; set; } = CampaignSettings.DefaultAttributionWindowDays;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        AttributionWindowDays = (await settings.GetAsync(cancellationToken)).AttributionWindowDays;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        try
        {
            await settings.SaveAsync(new CampaignSettingsView(AttributionWindowDays), cancellationToken);
            TempData["Notice"] = $"Attribution window saved: {AttributionWindowDays} days.";
            return Redirect("/Settings/Campaigns");
        }
        catch (ValidationException e)
        {
            foreach (var message in e.Errors.SelectMany(x => x.Value))
            {
                ModelState.AddModelError(nameof(AttributionWindowDays), message);
            }
        }
        return Page();
    }
}
