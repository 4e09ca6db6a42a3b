using Microsoft.AspNetCore.Mvc;
using Rapport.Common;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Sources;

namespace Rapport.Pages.ReferBacks;

public sealed class NewModel(ReferBackService referBacks, SourceQueries sources, PatientService patients, PracticeClock time)
    : ReferBackFormPage(sources, patients)
{
    public async Task OnGetAsync(int? sourceId, int? patientId, CancellationToken cancellationToken)
    {
        Input = new ReferBackInput { ToSourceId = sourceId, PatientId = patientId, SentOn = time.Today() };
        await FillTextsAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await TrySaveAsync(input => referBacks.CreateAsync(input, cancellationToken), cancellationToken))
        {
            TempData["Notice"] = "Refer-back logged.";
            return Redirect($"/Sources/{Input.ToSourceId}");
        }
        return Page();
    }
}
