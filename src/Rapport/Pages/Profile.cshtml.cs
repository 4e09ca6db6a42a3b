using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages;

public sealed class ProfileInput
{
    public string? DisplayName { get; set; }
    public string? Credentials { get; set; }
}

/// <summary>The signed-in user's own name and credentials: how the app shows them and how their letters are signed.</summary>
public sealed class ProfileModel(UserDirectory users, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public ProfileInput Input { get; set; } = new();
    public string Email { get; private set; } = "";
    public string Signature { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await CurrentAsync(cancellationToken) is not { } user)
        {
            return NotFound();
        }
        Input = new ProfileInput { DisplayName = user.DisplayName, Credentials = user.Credentials };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await CurrentAsync(cancellationToken) is not { } user)
        {
            return NotFound();
        }
        try
        {
            var saved = await users.UpdateProfileAsync(user.Id, new UserProfileInput(Input.DisplayName, Input.Credentials), cancellationToken);
            // The header reads the name from the sign-in cookie, so the cookie is reissued with the new name.
            await signIn.RefreshSignInAsync(saved);
            TempData["Notice"] = $"Saved. Your letters are signed “{UserNames.Signature(saved.DisplayName, saved.Credentials, saved.Email)}”.";
            return Redirect("/Profile");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e);
        }
        return Page();
    }

    private async Task<AppUser?> CurrentAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id || await users.FindAsync(id, cancellationToken) is not { } user)
        {
            return null;
        }
        Email = user.Email ?? "";
        Signature = UserNames.Signature(user.DisplayName, user.Credentials, user.Email);
        return user;
    }
}
