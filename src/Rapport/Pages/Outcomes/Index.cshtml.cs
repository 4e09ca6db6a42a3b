using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Outcomes;

namespace Rapport.Pages.Outcomes;

/// <summary>Cohort results: how patients did on one instrument, sliced by procedure, clinic, source, ….</summary>
public sealed class IndexModel(OutcomeResults results) : PageModel
{
    // Nullable so a bare /Outcomes is not a validation error; the defaults apply in OnGetAsync.
    [BindProperty(SupportsGet = true)] public string? Instrument { get; set; }
    [BindProperty(SupportsGet = true)] public string? By { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }

    public CohortResults? Results { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Instrument ??= "hoos-jr";
        By ??= "procedure";
        try
        {
            Results = await results.CohortAsync(new CohortQuery { Instrument = Instrument, By = CohortSlices.Parse(By), From = From, To = To }, cancellationToken);
        }
        catch (ValidationException e)
        {
            foreach (var (field, problems) in e.Errors)
            {
                foreach (var problem in problems)
                {
                    ModelState.AddModelError(field, problem);
                }
            }
        }
    }
}
