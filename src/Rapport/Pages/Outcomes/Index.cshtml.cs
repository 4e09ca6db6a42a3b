using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Outcomes;

namespace Rapport.Pages.Outcomes;

/// <summary>Cohort results: how patients did on one instrument, sliced by procedure, clinic, source, ….</summary>
public sealed class IndexModel(OutcomeResults results) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Instrument { get; set; } = "hoos-jr";
    [BindProperty(SupportsGet = true)] public string By { get; set; } = "procedure";
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }

    public CohortResults? Results { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
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
