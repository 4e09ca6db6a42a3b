using Microsoft.AspNetCore.Mvc;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Registry;
using Rapport.Sources;
using Rapport.Users;

namespace Rapport.Pages.Sources;

public sealed class EditModel(SourceService service, SourceQueries queries, RegistryLookup registry, UserDirectory users, OrganizationService organizations)
    : SourceFormPage(users, organizations)
{
    public string Name { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        // Another practice's id is invisible through the query filters, so it reads as not found.
        if (await queries.ProfileAsync(id, cancellationToken) is not { } s)
        {
            return NotFound();
        }
        Name = s.DisplayName;
        Input = new SourceInput
        {
            Npi = s.Npi, FirstName = s.FirstName, LastName = s.LastName, Credential = s.Credential, TaxonomyCode = s.TaxonomyCode,
            Specialty = s.Specialty, PracticeName = s.PracticeName, AddressLine = s.AddressLine, City = s.City, State = s.State, Zip = s.Zip,
            Phone = s.Phone, Fax = s.Fax, Email = s.Email, PreferredContactMethod = s.PreferredContactMethod, OwnerUserId = s.OwnerUserId,
            ClinicId = s.ClinicId, Status = s.Status, TouchCadenceDays = s.TouchCadenceDays, ExpectsReferBacks = s.ExpectsReferBacks, Tags = s.Tags,
        };
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostFillAsync(int id, CancellationToken cancellationToken)
    {
        if (await queries.SummaryAsync(id, cancellationToken) is not { } current)
        {
            return NotFound();
        }
        Name = current.Name;
        await FillFromRegistryAsync(registry, cancellationToken);
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (await queries.SummaryAsync(id, cancellationToken) is not { } current)
        {
            return NotFound();
        }
        Name = current.Name;
        if (ModelState.IsValid)
        {
            try
            {
                var saved = await service.UpdateWithRegistryAsync(id, Input, cancellationToken);
                TempData["Notice"] = "Saved." + (saved.Registry?.Notice is { } notice ? " " + notice : "");
                return Redirect($"/Sources/{id}");
            }
            catch (NotFoundException)
            {
                return NotFound();
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
