using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Patients;
using Rapport.Referrals;

namespace Rapport.Pages.Patients;

public sealed class DetailsModel(PatientService patients, ReferralService referrals) : PageModel
{
    public PatientSummary Patient { get; private set; } = null!;
    public IReadOnlyList<ReferralSummary> Referrals { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await patients.GetAsync(id, cancellationToken) is not { } patient)
        {
            return NotFound();
        }
        Patient = patient;
        Referrals = (await referrals.ListAsync(new ReferralListQuery { PatientId = id, PageSize = 200 }, cancellationToken)).Items;
        return Page();
    }

    public Task<IActionResult> OnPostArchiveAsync(int id, CancellationToken cancellationToken) => SetArchived(id, true, cancellationToken);

    public Task<IActionResult> OnPostUnarchiveAsync(int id, CancellationToken cancellationToken) => SetArchived(id, false, cancellationToken);

    private async Task<IActionResult> SetArchived(int id, bool archived, CancellationToken cancellationToken)
    {
        try
        {
            await patients.SetArchivedAsync(id, archived, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        TempData["Notice"] = archived ? "Patient archived." : "Patient restored.";
        return Redirect($"/Patients/{id}");
    }
}
