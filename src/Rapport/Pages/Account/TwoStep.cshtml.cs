using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Rapport.Users;
using Rapport.Web;

namespace Rapport.Pages.Account;

/// <summary>The second step of signing in when two-step sign-in is on: a code from the authenticator app, or a recovery code.</summary>
[EnableRateLimiting(SignInRateLimitPolicy.Name)]
public sealed class TwoStepModel(SignInManager<AppUser> signIn) : PageModel
{
    public const string Failed = "That code does not match. Enter the 6 digits your authenticator app shows now, or one of your recovery codes.";

    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/Account/Login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return Redirect("/Account/Login");
        }
        var code = new string((Code ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }
        Error = result.IsLockedOut ? LoginModel.Failed : Failed;
        Code = null;
        return Page();
    }
}
