using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Campaigns;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Sources;

namespace Rapport.Pages.Campaigns;

/// <summary>The sources a campaign sets out to reach: add by picking a source or typing registry NPIs (new ones become prospects), remove.</summary>
public sealed class TargetsModel(CampaignService campaigns, SourceQueries sources) : PageModel
{
    public CampaignDetails? Campaign { get; private set; }

    [BindProperty] public string? SourceText { get; set; }
    [BindProperty] public int? SourceId { get; set; }
    /// <summary>NPIs separated by spaces, commas or lines.</summary>
    [BindProperty] public string? Npis { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        (Campaign = await campaigns.GetAsync(id, cancellationToken)) is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostAddAsync(int id, CancellationToken cancellationToken)
    {
        if ((Campaign = await campaigns.GetAsync(id, cancellationToken)) is null)
        {
            return NotFound();
        }
        var sourceId = await Pickers.ResolveSourceAsync(sources, SourceId, SourceText, cancellationToken);
        if (sourceId is null && !string.IsNullOrWhiteSpace(SourceText))
        {
            ModelState.AddModelError(nameof(SourceText), $"No single source matches '{SourceText}'. Pick one from the suggestions or type its NPI.");
        }
        var npis = (Npis ?? "").Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (ModelState.IsValid && sourceId is null && npis.Length == 0)
        {
            ModelState.AddModelError(nameof(SourceText), "Pick a source or type at least one NPI.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await campaigns.AddTargetsAsync(id, new CampaignTargetsInput { SourceIds = sourceId is { } s ? [s] : [], Npis = npis }, cancellationToken);
        TempData["Notice"] = Summary(result);
        return Redirect($"/Campaigns/{id}/Targets");
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, int sourceId, CancellationToken cancellationToken)
    {
        if ((Campaign = await campaigns.GetAsync(id, cancellationToken)) is null)
        {
            return NotFound();
        }
        try
        {
            await campaigns.RemoveTargetAsync(id, sourceId, cancellationToken);
            TempData["Notice"] = "Target removed.";
        }
        catch (NotFoundException)
        {
            TempData["Notice"] = "That source was not a target of this campaign.";
        }
        return Redirect($"/Campaigns/{id}/Targets");
    }

    public static string Summary(CampaignTargetsResult result)
    {
        var parts = new List<string>();
        if (result.Added.Count > 0) parts.Add($"{result.Added.Count} target{(result.Added.Count == 1 ? "" : "s")} added.");
        if (result.CreatedProspects.Count > 0) parts.Add($"{result.CreatedProspects.Count} new prospect source{(result.CreatedProspects.Count == 1 ? "" : "s")} from the NPI registry.");
        if (result.AlreadyTargeted.Count > 0) parts.Add($"{result.AlreadyTargeted.Count} already targeted.");
        parts.AddRange(result.Refused.Select(r => $"Not added ({r.Value}): {r.Reason}"));
        return parts.Count == 0 ? "Nothing to add." : string.Join(" ", parts);
    }
}
