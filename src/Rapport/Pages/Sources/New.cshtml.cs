using Microsoft.AspNetCore.Mvc;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Registry;
using Rapport.Sources;
using Rapport.Users;

namespace Rapport.Pages.Sources;

public sealed class NewModel(SourceService service, RegistryLookup registry, UserDirectory users, OrganizationService organizations) : SourceFormPage(users, organizations)
{
    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadChoicesAsync(cancellationToken);

    public async Task<IActionResult> OnPostFillAsync(CancellationToken cancellationToken)
    {
        await FillFromRegistryAsync(registry, cancellationToken);
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var (source, fill) = await service.CreateWithRegistryAsync(Input, cancellationToken);
                TempData["Notice"] = $"Added {source.DisplayName}." + (fill?.Notice is { } notice ? " " + notice : "");
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
