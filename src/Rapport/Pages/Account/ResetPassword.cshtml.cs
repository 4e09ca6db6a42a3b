using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Rapport.Common;
using Rapport.Users;
using Rapport.Web;

namespace Rapport.Pages.Account;

/// <summary>Chooses a new password with the one-time link from an e-mail or `rapport users reset-password`.</summary>
[EnableRateLimiting(SignInRateLimitPolicy.Name)]
public sealed class ResetPasswordModel(UserAccounts accounts) : PageModel
{
    public const string InvalidLink = "This reset link is not valid any more: it was used, replaced by a newer one, or is older than 24 hours. Ask for a new one.";

    [BindProperty(SupportsGet = true)] public string? Email { get; set; }
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await accounts.ResetPasswordAsync(Email, Token, NewPassword, cancellationToken))
            {
                TempData["Notice"] = "Your new password is set. Sign in with it.";
                return Redirect("/Account/Login");
            }
            Error = InvalidLink;
        }
        catch (ValidationException e)
        {
            Error = string.Join(" ", e.Errors.SelectMany(x => x.Value));
        }
        NewPassword = null;
        return Page();
    }
}
