using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Rapport.Users;
using Rapport.Web;

namespace Rapport.Pages.Account;

[EnableRateLimiting(SignInRateLimitPolicy.Name)]
public sealed class LoginModel(SignInManager<AppUser> signIn, SignInThrottle throttle) : PageModel
{
    /// <summary>
    /// The one answer for every failed sign-in — wrong password, unknown e-mail, locked, deactivated —
    /// so the form does not tell who has an account (issue 12, item 5; OWASP ASVS 4.0.3 V2.2, V3.2).
    /// </summary>
    public const string Failed = "That e-mail and password do not match an active account, or the account is locked for a while after too many attempts.";

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!string.IsNullOrWhiteSpace(Email) && !string.IsNullOrEmpty(Password))
        {
            var account = Email.Trim();
            if (!throttle.MayTry(account))
            {
                Error = Failed;
                Password = null;
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            }
            var result = await signIn.PasswordSignInAsync(account, Password, isPersistent: false, lockoutOnFailure: true);
            var next = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
            if (result.Succeeded)
            {
                return LocalRedirect(next);
            }
            if (result.RequiresTwoFactor)
            {
                return Redirect($"/Account/TwoStep?ReturnUrl={Uri.EscapeDataString(next)}");
            }
            throttle.Failed(account);
            Error = Failed;
        }
        else
        {
            Error = "Enter your e-mail and password.";
        }
        Password = null;
        return Page();
    }
}
