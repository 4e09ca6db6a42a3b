using Microsoft.AspNetCore.Mvc;
using Rapport.Campaigns;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Users;

namespace Rapport.Pages.Campaigns;

public sealed class NewModel(CampaignService campaigns, UserDirectory users, OrganizationService organizations, PracticeClock time)
    : CampaignFormPage(users, organizations)
{
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Input = new CampaignForm { StartsOn = time.Today(), OwnerUserId = await ActingUserIdAsync(cancellationToken) };
        await LoadChoicesAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await TrySaveAsync(input => campaigns.CreateAsync(input, cancellationToken), cancellationToken) is { } id)
        {
            TempData["Notice"] = "Campaign created. Log the people you meet, or add target sources.";
            return Redirect($"/Campaigns/{id}");
        }
        return Page();
    }
}
