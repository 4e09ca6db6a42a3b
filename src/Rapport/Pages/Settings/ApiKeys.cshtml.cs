using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.ApiKeys;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Settings;

[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class ApiKeysModel(ApiKeyService keys) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    /// <summary>Only set on the response that created the key: it is never shown again.</summary>
    public string? NewSecret { get; private set; }
    public List<ApiKeySummary> Keys { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Keys = await keys.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var created = await keys.CreateAsync(Name ?? "", User.FindFirstValue(ClaimTypes.Email) ?? User.Identity?.Name, cancellationToken);
            NewSecret = created.Secret;
            Name = null;
            ModelState.Clear();
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, "");
        }
        // Rendered directly (not redirected) so the secret never travels in a URL or TempData cookie.
        Keys = await keys.ListAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            await keys.RevokeAsync(id, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        TempData["Notice"] = "Key revoked: programs using it are refused from now on.";
        return Redirect("/Settings/ApiKeys");
    }
}
