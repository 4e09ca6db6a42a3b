using Microsoft.AspNetCore.Mvc;
using Rapport.Common;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Pages.Touchpoints;

public sealed class EditModel(TouchpointService touches, SourceQueries sources, Rapport.Campaigns.CampaignService campaigns) : TouchFormPage(sources, campaigns)
{
    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await touches.GetAsync(id, cancellationToken) is not { } t)
        {
            return NotFound();
        }
        Input = new TouchpointInput
        {
            ExternalId = t.ExternalId, SourceId = t.SourceId, OccurredOn = t.OccurredOn, Method = t.Method, Purpose = t.Purpose,
            Notes = t.Notes, ByName = t.ByName, CampaignId = t.CampaignId, FollowUpOn = t.FollowUpOn, Cost = t.Cost,
        };
        await FillSourceTextAsync(cancellationToken);
        await LoadCampaignsAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (await touches.GetAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }
        if (await TrySaveAsync(input => touches.UpdateAsync(id, input, cancellationToken), cancellationToken))
        {
            TempData["Notice"] = "Touch saved.";
            return Redirect($"/Sources/{Input.SourceId}");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        if (await touches.GetAsync(id, cancellationToken) is not { } t)
        {
            return NotFound();
        }
        await touches.DeleteAsync(id, cancellationToken);
        TempData["Notice"] = "Touch deleted.";
        return Redirect($"/Sources/{t.SourceId}");
    }
}
