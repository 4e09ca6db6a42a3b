using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Settings;

public sealed class NewUserInput
{
    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? Credentials { get; set; }
    public string? Role { get; set; }
    public string? Password { get; set; }
}

public sealed class EditUserInput
{
    public string? UserId { get; set; }
    public string? DisplayName { get; set; }
    public string? Credentials { get; set; }
}

[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class UsersModel(UserDirectory users, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public NewUserInput Input { get; set; } = new() { Role = Roles.Liaison };
    [BindProperty] public EditUserInput Edit { get; set; } = new();
    public List<UserSummary> Users { get; private set; } = [];

    /// <summary>The user whose name and credentials are being edited (from ?edit=id), if any.</summary>
    [BindProperty(SupportsGet = true, Name = "edit")] public string? EditId { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Users = await users.ListAsync(cancellationToken);
        if (EditId is not null)
        {
            if (Users.FirstOrDefault(u => u.Id == EditId) is not { } editing)
            {
                return NotFound();
            }
            Edit = new EditUserInput { UserId = editing.Id, DisplayName = editing.DisplayName, Credentials = editing.Credentials };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var user = await users.AddAsync(Input.Email?.Trim() ?? "", Input.Password ?? "", Input.Role ?? "", Input.DisplayName, Input.Credentials);
            TempData["Notice"] = $"Added {UserNames.Display(user.DisplayName, user.Email)}. Give them their password in person or by phone.";
            return Redirect("/Settings/Users");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e);
        }
        Input.Password = null;
        Users = await users.ListAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostProfileAsync(CancellationToken cancellationToken)
    {
        EditId = Edit.UserId;
        try
        {
            var saved = await users.UpdateProfileAsync(Edit.UserId ?? "", new UserProfileInput(Edit.DisplayName, Edit.Credentials), cancellationToken);
            if (await signIn.UserManager.GetUserAsync(User) is { } me && me.Id == saved.Id)
            {
                await signIn.RefreshSignInAsync(saved);
            }
            TempData["Notice"] = $"Saved {UserNames.Signature(saved.DisplayName, saved.Credentials, saved.Email)}.";
            return Redirect("/Settings/Users");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, "Edit");
        }
        Users = await users.ListAsync(cancellationToken);
        return Page();
    }
}
