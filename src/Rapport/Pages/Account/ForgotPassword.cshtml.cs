using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Rapport.Users;
using Rapport.Web;

namespace Rapport.Pages.Account;

/// <summary>"Forgot password?": always the same answer, whether or not the address has an account (OWASP ASVS 4.0.3 V2.5).</summary>
[EnableRateLimiting(SignInRateLimitPolicy.Name)]
public sealed class ForgotPasswordModel(UserAccounts accounts) : PageModel
{
    public const string Answer = "If that address belongs to an active account, a link to choose a new password is on its way; it works once, for 24 hours. "
        + "No e-mail? Ask your practice's administrator to send a reset link.";

    [BindProperty] public string? Email { get; set; }
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await accounts.RequestResetAsync(Email, cancellationToken);
        Sent = true;
        return Page();
    }
}
