using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Nps;
using Rapport.Pages.Shared;

namespace Rapport.Pages.Nps;

public sealed class FollowUpsModel(DetractorFollowUps followUps) : PageModel
{
    [BindProperty(SupportsGet = true)] public bool Closed { get; set; }
    public List<FollowUpItem> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Items = await followUps.ListAsync(!Closed, cancellationToken);

    public async Task<IActionResult> OnPostCloseAsync(int id, string? note, CancellationToken cancellationToken)
    {
        try
        {
            await followUps.CloseAsync(id, note, cancellationToken);
            TempData["Notice"] = "Follow-up closed.";
            return Redirect("/Nps/FollowUps");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "", renames: new Dictionary<string, string> { ["note"] = $"Note{id}" });
            Items = await followUps.ListAsync(true, cancellationToken);
            return Page();
        }
    }
}
