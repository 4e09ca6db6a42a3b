using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Campaigns;
using Rapport.Common;

namespace Rapport.Pages.Campaigns;

/// <summary>
/// A campaign's page: its facts, cost against budget, what it brought by the attribution rule, the comparison group,
/// the months and the timeline. Sources are named, patients never (the page holds no patient data).
/// </summary>
public sealed class DetailsModel(CampaignResultsService service) : PageModel
{
    public CampaignResults Results { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            Results = await service.ResultsAsync(id, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        return Page();
    }
}
