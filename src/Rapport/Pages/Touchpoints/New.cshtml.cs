using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Rapport.Common;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Pages.Touchpoints;

public sealed class NewModel(TouchpointService touches, SourceQueries sources, PracticeClock time) : TouchFormPage(sources)
{
    public async Task OnGetAsync(int? sourceId, CancellationToken cancellationToken)
    {
        Input = new TouchpointInput { SourceId = sourceId, OccurredOn = time.Today() };
        await FillSourceTextAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (await TrySaveAsync(input => touches.CreateAsync(input, userId, cancellationToken), cancellationToken))
        {
            TempData["Notice"] = "Touch logged.";
            return Redirect($"/Sources/{Input.SourceId}");
        }
        return Page();
    }
}
