using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages;

public sealed class PasswordChangeInput
{
    public string? CurrentPassword { get; set; }
    public string? NewPassword { get; set; }
}

public sealed class ProfileInput
{
    public string? DisplayName { get; set; }
    public string? Credentials { get; set; }
}

/// <summary>The signed-in user's own name and credentials: how the app shows them and how their letters are signed.</summary>
public sealed class ProfileModel(UserDirectory users, UserAccounts accounts, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public ProfileInput Input { get; set; } = new();
    [BindProperty] public PasswordChangeInput PasswordChange { get; set; } = new();
    public bool TwoStepOn { get; private set; }
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

    /// <summary>Changes the password (the current one first); other sessions end, this one is signed in again.</summary>
    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken cancellationToken)
    {
        if (await CurrentAsync(cancellationToken) is not { } user)
        {
            return NotFound();
        }
        try
        {
            var saved = await accounts.ChangePasswordAsync(user.Id, PasswordChange.CurrentPassword, PasswordChange.NewPassword, cancellationToken);
            await signIn.RefreshSignInAsync(saved);
            TempData["Notice"] = "Password changed. Your other sessions, on other devices, have ended.";
            return Redirect("/Profile");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, "PasswordChange");
        }
        Input = new ProfileInput { DisplayName = user.DisplayName, Credentials = user.Credentials };
        PasswordChange = new();
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
        TwoStepOn = user.TwoFactorEnabled;
        return user;
    }
}
