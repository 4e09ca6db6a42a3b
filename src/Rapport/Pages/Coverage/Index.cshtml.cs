using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Registry;

namespace Rapport.Pages.Coverage;

/// <summary>
/// Coverage by specialty niche (docs/coverage.md): per clinic and PT referral group, the registry's
/// physicians within the radius and how many refer, are prospects or neither. The choices are query
/// values, so a view can be bookmarked; each row leads to the prospects of that niche.
/// </summary>
public sealed class IndexModel(CoverageService coverage, OrganizationService organizations) : PageModel
{
    /// <summary>The radius choices offered; any other value in the address is kept and shown.</summary>
    public static readonly double[] RadiusChoices = [5, 10, 15, 25, 50];

    [BindProperty(SupportsGet = true)] public int? Clinic { get; set; }
    [BindProperty(SupportsGet = true)] public double? Radius { get; set; }

    public CoverageReport? Report { get; private set; }
    public List<ClinicSummary> Clinics { get; private set; } = [];

    public double Miles => Radius ?? CoverageService.DefaultRadiusMiles;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
        try
        {
            Report = await coverage.ReportAsync(Clinic, Radius, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "");
        }
        return Page();
    }

    /// <summary>Helper C's prospects page, with exactly these query names.</summary>
    public static string ProspectsUrl(int clinicId, string group, double miles) =>
        $"/Prospects?clinic={clinicId}&specialty={Uri.EscapeDataString(group)}&radius={Uri.EscapeDataString(Number(miles))}";

    public static string Number(double value) => value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    public static string Per(double? value) => value?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "—";
}
