using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Sources;

namespace Rapport.Pages.ReferBacks;

/// <summary>What logging and editing a refer-back share: the input, the source and patient fields, and saving.</summary>
public abstract class ReferBackFormPage(SourceQueries sources, PatientService patients) : PageModel
{
    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["toSourceId"] = nameof(SourceText), ["patientId"] = nameof(PatientText),
    };

    [BindProperty] public ReferBackInput Input { get; set; } = new();
    [BindProperty] public string? SourceText { get; set; }
    [BindProperty] public string? PatientText { get; set; }

    protected async Task FillTextsAsync(CancellationToken cancellationToken)
    {
        if (Input.ToSourceId is { } id && await sources.SummaryAsync(id, cancellationToken) is { } s)
        {
            SourceText = Pickers.SourceLabel(s);
        }
        if (Input.PatientId is { } pid && await patients.GetAsync(pid, cancellationToken) is { } p)
        {
            PatientText = Pickers.PatientLabel(p);
        }
    }

    protected async Task<bool> TrySaveAsync(Func<ReferBackInput, Task> save, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return false;
        }
        var sourceId = await Pickers.ResolveSourceAsync(sources, Input.ToSourceId, SourceText, cancellationToken);
        var patientId = await Pickers.ResolvePatientAsync(patients, Input.PatientId, PatientText, cancellationToken);
        if (sourceId is null && !string.IsNullOrWhiteSpace(SourceText))
        {
            ModelState.AddModelError(nameof(SourceText), $"No single source matches '{SourceText}'. Pick one from the suggestions or type its NPI.");
        }
        if (patientId is null && !string.IsNullOrWhiteSpace(PatientText))
        {
            ModelState.AddModelError(nameof(PatientText), $"No single patient matches '{PatientText}'. Pick one from the suggestions or type the MRN.");
        }
        if (!ModelState.IsValid)
        {
            return false;
        }
        Input = Input with { ToSourceId = sourceId, PatientId = patientId };
        try
        {
            await save(Input);
            return true;
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, renames: Renames);
            return false;
        }
    }
}
