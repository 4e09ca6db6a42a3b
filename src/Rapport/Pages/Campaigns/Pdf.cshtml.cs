using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Campaigns;
using Rapport.Common;

namespace Rapport.Pages.Campaigns;

/// <summary>The campaign's results as a one-page PDF (the same figures as the page and <c>/api/v1/campaigns/{id}/results.pdf</c>).</summary>
public sealed class PdfModel(CampaignResultsService service) : PageModel
{
    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            var results = await service.ResultsAsync(id, cancellationToken);
            return File(CampaignResultsPdf.Render(results), "application/pdf", CampaignResultsPdf.FileName(results));
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }
}
