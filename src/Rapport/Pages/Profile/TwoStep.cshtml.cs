using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Profile;

/// <summary>
/// Two-step sign-in (TOTP, RFC 6238) for the signed-in user: the key and its QR code (drawn on the
/// server as inline SVG, nothing fetched), confirmation with a code, 10 recovery codes shown once.
/// </summary>
public sealed class TwoStepModel(UserAccounts accounts, UserManager<AppUser> users, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    public bool Enabled { get; private set; }
    public bool Required { get; private set; }
    public string? Key { get; private set; }
    public string? OtpAuthUri { get; private set; }
    public string? QrSvg { get; private set; }
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken)
    {
        if (UserId is not { } id)
        {
            return NotFound();
        }
        try
        {
            RecoveryCodes = await accounts.EnableTwoStepAsync(id, Code, cancellationToken);
            // The principal loses the "set it up first" mark.
            await signIn.RefreshSignInAsync((await users.FindByIdAsync(id))!);
            Enabled = true;
            return Page();
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, "");
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        if (UserId is not { } id)
        {
            return NotFound();
        }
        try
        {
            await accounts.DisableTwoStepAsync(id, cancellationToken);
            await signIn.RefreshSignInAsync((await users.FindByIdAsync(id))!);
            TempData["Notice"] = "Two-step sign-in is off.";
            return Redirect("/Profile");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, "");
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private string? UserId => User.FindFirstValue(ClaimTypes.NameIdentifier);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (UserId is not { } id || await users.FindByIdAsync(id) is not { } user)
        {
            return false;
        }
        Enabled = user.TwoFactorEnabled;
        Required = await accounts.TwoStepRequiredAsync(user, cancellationToken);
        if (!Enabled)
        {
            (Key, OtpAuthUri, var created) = await accounts.AuthenticatorSetupAsync(id, cancellationToken);
            if (created)
            {
                // A new key changes the security stamp; this session carries the new one.
                await signIn.RefreshSignInAsync((await users.FindByIdAsync(id))!);
            }
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(OtpAuthUri, QRCodeGenerator.ECCLevel.M);
            QrSvg = new SvgQRCode(data).GetGraphic(4);
        }
        return true;
    }
}
