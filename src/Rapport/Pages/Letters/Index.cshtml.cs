using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Letters;
using Rapport.Organizations;

namespace Rapport.Pages.Letters;

/// <summary>Every letter the practice owes referring physicians now, most overdue first.</summary>
public sealed class IndexModel(LetterService letters, OrganizationService organizations) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? ClinicId { get; set; }
    [BindProperty(SupportsGet = true)] public bool OverdueOnly { get; set; }

    public IReadOnlyList<DueLetter> Due { get; private set; } = [];
    public IReadOnlyList<ClinicSummary> Clinics { get; private set; } = [];
    public LetterRules Rules { get; private set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
        Rules = await letters.RulesAsync(cancellationToken);
        Due = await letters.DueAsync(new LetterDueQuery { ClinicId = ClinicId, OverdueOnly = OverdueOnly }, cancellationToken);
    }
}
