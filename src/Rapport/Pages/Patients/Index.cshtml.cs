using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Patients;

namespace Rapport.Pages.Patients;

public sealed class IndexModel(PatientService patients) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public bool ActiveOnly { get; set; }
    [BindProperty(SupportsGet = true)] public bool Archived { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public Paged<PatientSummary> Result { get; private set; } = new([], 0, 1, 50);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Result = await patients.ListAsync(new PatientListQuery { Search = Q, ActiveOnly = ActiveOnly, IncludeArchived = Archived, Page = PageNumber }, cancellationToken);

    /// <summary>Suggestions for the patient fields of the quick forms (see wwwroot/js/lookup.js).</summary>
    public async Task<IActionResult> OnGetLookupAsync(string? term, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(term))
        {
            return new JsonResult(Array.Empty<object>());
        }
        var matches = await patients.ListAsync(new PatientListQuery { Search = term, PageSize = 10 }, cancellationToken);
        return new JsonResult(matches.Items.Select(p => new { id = p.Id, label = Pickers.PatientLabel(p) }));
    }

    public string PageUrl(int page) => Url.Page("/Patients/Index", new
    {
        q = Q, activeOnly = ActiveOnly ? true : (bool?)null, archived = Archived ? true : (bool?)null, page,
    })!;
}
