using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Patients;

namespace Rapport.Pages.Patients;

public sealed class EditModel(PatientService patients) : PageModel
{
    [BindProperty] public PatientInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await patients.GetAsync(id, cancellationToken) is not { } p)
        {
            return NotFound();
        }
        Input = new PatientInput
        {
            ExternalId = p.ExternalId, FirstName = p.FirstName, LastName = p.LastName, BirthDate = p.BirthDate, Sex = p.Sex, Zip = p.Zip,
            Payer = p.Payer, AcquisitionChannel = p.AcquisitionChannel, Email = p.Email, Phone = p.Phone,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (await patients.GetAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }
        if (ModelState.IsValid)
        {
            try
            {
                await patients.UpdateAsync(id, Input, cancellationToken);
                TempData["Notice"] = "Saved.";
                return Redirect($"/Patients/{id}");
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e);
            }
        }
        return Page();
    }
}
