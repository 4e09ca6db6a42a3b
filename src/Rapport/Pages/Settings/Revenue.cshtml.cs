using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Referrals;
using Rapport.Reports;
using Rapport.Users;

namespace Rapport.Pages.Settings;

/// <summary>Revenue per visit by payer category: the referral source report's estimated revenue is visits × these.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class RevenueModel(RevenueRates rates) : PageModel
{
    /// <summary>Keyed by the payer category's name; an empty field means no rate.</summary>
    [BindProperty] public Dictionary<string, decimal?> Rates { get; set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var current = await rates.GetAsync(cancellationToken);
        Rates = Enum.GetValues<PayerCategory>().ToDictionary(c => c.ToString(), c => current.TryGetValue(c, out var rate) ? rate : (decimal?)null);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        try
        {
            var input = Enum.GetValues<PayerCategory>().ToDictionary(c => c, c => Rates.GetValueOrDefault(c.ToString()));
            await rates.SaveAsync(input, cancellationToken);
            TempData["Notice"] = "Revenue per visit saved.";
            return Redirect("/Settings/Revenue");
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                var category = Enum.GetValues<PayerCategory>().FirstOrDefault(c => RevenueRates.FieldName(c) == field);
                foreach (var message in messages)
                {
                    ModelState.AddModelError($"Rates[{category}]", message);
                }
            }
        }
        return Page();
    }
}
