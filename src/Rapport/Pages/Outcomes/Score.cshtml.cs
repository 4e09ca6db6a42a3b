using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Outcomes.Instruments;

namespace Rapport.Pages.Outcomes;

/// <summary>Scores a form without storing it: the same catalogue path as the API and `rapport score`.</summary>
public sealed class ScoreModel : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Instrument { get; set; }
    [BindProperty(SupportsGet = true)] public string? Answers { get; set; }

    public InstrumentScore? Result { get; private set; }
    public Instrument? Selected { get; private set; }

    public void OnGet()
    {
        Selected = InstrumentCatalog.Find(Instrument);
        if (Instrument is not null && Selected is null)
        {
            ModelState.AddModelError(nameof(Instrument), $"Unknown instrument '{Instrument}'.");
            return;
        }
        if (Selected is null || Answers is null)
        {
            return;
        }
        try
        {
            Result = Selected.Score(Answers);
        }
        catch (ValidationException e)
        {
            foreach (var problem in e.Errors.SelectMany(x => x.Value))
            {
                ModelState.AddModelError(nameof(Answers), problem);
            }
        }
    }
}
