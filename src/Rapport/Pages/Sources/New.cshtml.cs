using Microsoft.AspNetCore.Mvc;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Sources;
using Rapport.Users;

namespace Rapport.Pages.Sources;

public sealed class NewModel(SourceService service, UserDirectory users, OrganizationService organizations) : SourceFormPage(users, organizations)
{
    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadChoicesAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var source = await service.CreateAsync(Input, cancellationToken);
                TempData["Notice"] = $"Added {source.DisplayName}.";
                return Redirect($"/Sources/{source.Id}");
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e);
            }
        }
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }
}
