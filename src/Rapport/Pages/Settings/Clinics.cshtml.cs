using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Settings;

[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class ClinicsModel(OrganizationService organizations) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Edit { get; set; }
    [BindProperty] public ClinicInput Input { get; set; } = new();
    public List<ClinicSummary> Clinics { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Clinics = await organizations.ClinicsAsync(includeArchived: true, cancellationToken);
        if (Edit is { } id)
        {
            if (Clinics.FirstOrDefault(c => c.Id == id) is not { } c)
            {
                return NotFound();
            }
            Input = new ClinicInput { Name = c.Name, AddressLine = c.AddressLine, City = c.City, State = c.State, Zip = c.Zip, Phone = c.Phone, Fax = c.Fax, Niche = c.Niche };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                await organizations.SaveClinicAsync(Edit, Input, cancellationToken);
                TempData["Notice"] = Edit is null ? "Clinic added." : "Clinic saved.";
                return Redirect("/Settings/Clinics");
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
        Clinics = await organizations.ClinicsAsync(includeArchived: true, cancellationToken);
        return Page();
    }
}
