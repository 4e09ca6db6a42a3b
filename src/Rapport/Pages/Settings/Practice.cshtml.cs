using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Settings;

/// <summary>The practice itself: its name and the time zone its calendar is read in.</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class PracticeModel(OrganizationService organizations) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? TimeZoneId { get; set; }
    public string? Slug { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var practice = await organizations.CurrentAsync(cancellationToken);
        (Name, TimeZoneId, Slug) = (practice.Name, practice.TimeZoneId, practice.Slug);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var practice = await organizations.SavePracticeAsync(new PracticeInput { Name = Name, TimeZoneId = TimeZoneId }, cancellationToken);
            TempData["Notice"] = $"Practice saved. Its dates now follow {practice.TimeZoneId}.";
            return Redirect("/Settings/Practice");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "");
            Slug = (await organizations.CurrentAsync(cancellationToken)).Slug;
            return Page();
        }
    }
}
