using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Health;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Settings;

[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class AlertsModel(AlertService alerts) : PageModel
{
    [BindProperty] public HealthSettingsInput Input { get; set; } = new();
    /// <summary>The practice's sources' specialties, to tick those that are not referred back to.</summary>
    public IReadOnlyList<string> Specialties { get; private set; } = [];

    public bool NotReferredBack(string specialty) =>
        Input.NoReferBackSpecialties?.Contains(specialty, StringComparer.OrdinalIgnoreCase) ?? false;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var s = await alerts.SettingsAsync(cancellationToken);
        Input = new HealthSettingsInput
        {
            RecentMonths = s.RecentMonths, DeclineThresholdPercent = s.DeclineThresholdPercent, FalseDiscoveryRate = s.FalseDiscoveryRate,
            LapsedMinimumDays = s.LapsedMinimumDays, ReciprocityGapDays = s.ReciprocityGapDays, TopReferrerCadenceDays = s.TopReferrerCadenceDays,
            OtherCadenceDays = s.OtherCadenceDays, ProspectCadenceDays = s.ProspectCadenceDays, ConcentrationPercent = s.ConcentrationPercent,
            NewReferrerDays = s.NewReferrerDays, NonMonetaryCapUsd = s.NonMonetaryCapUsd, CallsPerOwner = s.CallsPerOwner,
            NoReferBackSpecialties = [.. s.NoReferBackSpecialtyList()],
        };
        Specialties = await alerts.SpecialtiesAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                await alerts.SaveSettingsAsync(Input, cancellationToken);
                TempData["Notice"] = "Alert settings saved.";
                return Redirect("/Settings/Alerts");
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e, prefix: "Input");
            }
        }
        Specialties = await alerts.SpecialtiesAsync(cancellationToken);
        return Page();
    }
}
