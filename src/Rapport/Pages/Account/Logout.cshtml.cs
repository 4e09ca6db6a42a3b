using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Users;

namespace Rapport.Pages.Account;

/// <summary>
/// Sign-out is a POST (with antiforgery) so a link or image elsewhere cannot sign people out. It
/// changes the user's security stamp, so the cookie just dropped — or a copy of it — opens nothing
/// afterwards (the stamp is checked on every request); the user's other sessions end too.
/// </summary>
public sealed class LogoutModel(SignInManager<AppUser> signIn, UserAccounts accounts) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            await accounts.EndSessionsAsync(userId);
        }
        await signIn.SignOutAsync();
        return Redirect("/Account/Login");
    }
}
