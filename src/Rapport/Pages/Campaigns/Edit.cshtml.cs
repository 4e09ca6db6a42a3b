using Microsoft.AspNetCore.Mvc;
using Rapport.Campaigns;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Campaigns;

public sealed class EditModel(CampaignService campaigns, UserDirectory users, OrganizationService organizations) : CampaignFormPage(users, organizations)
{
    public CampaignDetails? Campaign { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if ((Campaign = await campaigns.GetAsync(id, cancellationToken)) is not { } c)
        {
            return NotFound();
        }
        Input = new CampaignForm
        {
            Name = c.Name, Kind = c.Kind, StartsOn = c.StartsOn, EndsOn = c.EndsOn, OwnerUserId = c.OwnerUserId, Budget = c.Budget,
            TargetSpecialties = c.TargetSpecialties, Notes = c.Notes, ClinicIds = [.. c.Clinics.Select(k => k.Id)],
            Costs = [.. c.Costs.Select(k => new CampaignCostRow { Description = k.Description, Amount = k.Amount, IncurredOn = k.IncurredOn })],
        };
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if ((Campaign = await campaigns.GetAsync(id, cancellationToken)) is null)
        {
            return NotFound();
        }
        if (await TrySaveAsync(input => campaigns.UpdateAsync(id, input, cancellationToken), cancellationToken) is not null)
        {
            TempData["Notice"] = "Campaign saved.";
            return Redirect($"/Campaigns/{id}");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostArchiveAsync(int id, bool archived, CancellationToken cancellationToken)
    {
        if (await campaigns.GetAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }
        await campaigns.SetArchivedAsync(id, archived, cancellationToken);
        TempData["Notice"] = archived ? "Campaign archived: hidden from the list and the touch form; its results are kept." : "Campaign restored.";
        return Redirect($"/Campaigns/{id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        if ((Campaign = await campaigns.GetAsync(id, cancellationToken)) is not { } c)
        {
            return NotFound();
        }
        try
        {
            await campaigns.DeleteAsync(id, cancellationToken);
        }
        catch (ValidationException e)
        {
            TempData["Notice"] = string.Join(" ", e.Errors.SelectMany(x => x.Value));
            return Redirect($"/Campaigns/{id}/Edit");
        }
        TempData["Notice"] = $"Campaign \"{c.Name}\" deleted.";
        return Redirect("/Campaigns");
    }
}
