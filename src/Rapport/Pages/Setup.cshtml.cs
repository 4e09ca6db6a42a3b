using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages;

public sealed class SetupInput
{
    public string? PracticeName { get; set; }
    public string? ShortName { get; set; }
    public string? ClinicName { get; set; }
    public string? TimeZoneId { get; set; }
    public string? AdminName { get; set; }
    public string? Email { get; set; }
    public string? Password { get; set; }
}

/// <summary>First run only: creates the practice and its admin. Once a practice exists it is never shown again.</summary>
public sealed class SetupModel(OrganizationService organizations, UserManager<AppUser> users, SignInManager<AppUser> signIn) : PageModel
{
    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["name"] = "Input.PracticeName",
        ["slug"] = "Input.ShortName",
        ["clinicName"] = "Input.ClinicName",
        ["timeZoneId"] = "Input.TimeZoneId",
        ["adminEmail"] = "Input.Email",
        ["email"] = "Input.Email",
        ["password"] = "Input.Password",
    };

    [BindProperty] public SetupInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync() => await organizations.IsEmptyAsync() ? Page() : Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await organizations.IsEmptyAsync())
        {
            return Redirect("/");
        }
        try
        {
            if (await organizations.CreateFirstAsync(Input.PracticeName ?? "", Input.ShortName, Input.ClinicName ?? "",
                    Input.Email?.Trim() ?? "", Input.Password ?? "", Input.AdminName, Input.TimeZoneId ?? "", HttpContext.RequestAborted) is not var (_, admin))
            {
                // Another submission set the practice up first.
                return Redirect("/");
            }
            // Roles were added inside the setup transaction; reload so the cookie carries them.
            await signIn.SignInAsync(await users.FindByIdAsync(admin.Id) ?? admin, isPersistent: false);
            TempData["Notice"] = "Your practice is ready. Start by adding your referral sources.";
            return Redirect("/");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, renames: Renames);
            Input.Password = null;
            return Page();
        }
    }
}
