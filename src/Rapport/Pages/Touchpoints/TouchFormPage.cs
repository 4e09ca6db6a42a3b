using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Sources;
using Rapport.Touchpoints;
using Rapport.Users;

namespace Rapport.Pages.Touchpoints;

/// <summary>What logging and editing a touch share: the input, the source field and saving.</summary>
public abstract class TouchFormPage(SourceQueries sources, Rapport.Campaigns.CampaignService campaigns) : PageModel
{
    protected static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal) { ["sourceId"] = nameof(SourceText) };

    [BindProperty] public TouchpointInput Input { get; set; } = new();
    [BindProperty] public string? SourceText { get; set; }

    /// <summary>The campaign select: the practice's campaigns that are not archived, plus the touch's own.</summary>
    public IReadOnlyList<(int Id, string Name)> Campaigns { get; private set; } = [];

    protected async Task LoadCampaignsAsync(CancellationToken cancellationToken) =>
        Campaigns = await campaigns.ChoicesAsync(Input.CampaignId, cancellationToken);

    protected async Task FillSourceTextAsync(CancellationToken cancellationToken)
    {
        if (Input.SourceId is { } id && await sources.SummaryAsync(id, cancellationToken) is { } s)
        {
            SourceText = Pickers.SourceLabel(s);
        }
    }

    /// <summary>Resolves the typed source, then saves; false means the form shows errors.</summary>
    protected async Task<bool> TrySaveAsync(Func<TouchpointInput, Task> save, CancellationToken cancellationToken)
    {
        await LoadCampaignsAsync(cancellationToken);
        if (!ModelState.IsValid)
        {
            return false;
        }
        var sourceId = await Pickers.ResolveSourceAsync(sources, Input.SourceId, SourceText, cancellationToken);
        if (sourceId is null && !string.IsNullOrWhiteSpace(SourceText))
        {
            ModelState.AddModelError(nameof(SourceText), $"No single source matches '{SourceText}'. Pick one from the suggestions or type its NPI.");
            return false;
        }
        // A blank "by" means the signed-in user, kept as their user id (New) so the touch follows
        // their name if they change it; a typed name is someone else and is kept as typed.
        Input = Input with { SourceId = sourceId, ByName = Formats.Clean(Input.ByName) };
        try
        {
            await save(Input);
            return true;
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, renames: Renames);
            return false;
        }
    }
}
