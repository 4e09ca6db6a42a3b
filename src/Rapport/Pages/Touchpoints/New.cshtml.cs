using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Rapport.Common;
using Rapport.Liaison;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Pages.Touchpoints;

public sealed class NewModel(TouchpointService touches, SourceQueries sources, PracticeClock time, LiaisonWeekService week,
    Rapport.Campaigns.CampaignService campaigns) : TouchFormPage(sources, campaigns)
{
    /// <summary>Where to go after saving (the call list, the alerts page): a local address only, never another site.</summary>
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>Why the method was chosen ("your usual method"), shown under the form.</summary>
    public string? MethodReason { get; private set; }

    /// <param name="purpose">The call's suggested purpose (the call list's), prefilled and editable.</param>
    public async Task OnGetAsync(int? sourceId, string? purpose, CancellationToken cancellationToken)
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        var suggestion = await week.SuggestMethodAsync(userId, sourceId, cancellationToken);
        MethodReason = suggestion.MethodReason;
        Input = new TouchpointInput { SourceId = sourceId, OccurredOn = time.Today(), Method = suggestion.Method, Purpose = Formats.Clean(purpose) };
        await FillSourceTextAsync(cancellationToken);
        await LoadCampaignsAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (await TrySaveAsync(input => touches.CreateAsync(input, userId, cancellationToken), cancellationToken))
        {
            TempData["Notice"] = "Touch logged.";
            return Redirect(LocalReturnUrl() ?? $"/Sources/{Input.SourceId}");
        }
        return Page();
    }

    /// <summary>The return address when it is on this site (a path, not "//host" or "/\host"); null otherwise.</summary>
    public string? LocalReturnUrl() => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) && !ReturnUrl.StartsWith('~') ? ReturnUrl : null;
}
