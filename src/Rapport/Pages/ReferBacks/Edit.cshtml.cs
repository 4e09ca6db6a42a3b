using Microsoft.AspNetCore.Mvc;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Sources;

namespace Rapport.Pages.ReferBacks;

public sealed class EditModel(ReferBackService referBacks, SourceQueries sources, PatientService patients) : ReferBackFormPage(sources, patients)
{
    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await referBacks.GetAsync(id, cancellationToken) is not { } o)
        {
            return NotFound();
        }
        Input = new ReferBackInput { ToSourceId = o.ToSourceId, PatientId = o.PatientId, SentOn = o.SentOn, Reason = o.Reason, Notes = o.Notes };
        await FillTextsAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (await referBacks.GetAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }
        if (await TrySaveAsync(input => referBacks.UpdateAsync(id, input, cancellationToken), cancellationToken))
        {
            TempData["Notice"] = "Refer-back saved.";
            return Redirect($"/Sources/{Input.ToSourceId}");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        if (await referBacks.GetAsync(id, cancellationToken) is not { } o)
        {
            return NotFound();
        }
        await referBacks.DeleteAsync(id, cancellationToken);
        TempData["Notice"] = "Refer-back deleted.";
        return Redirect($"/Sources/{o.ToSourceId}");
    }
}
