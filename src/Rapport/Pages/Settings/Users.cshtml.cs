using Microsoft.AspNetCore.Authorization;
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
    public string? Role { get; set; }
    public string? Password { get; set; }
}

[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class UsersModel(UserDirectory users) : PageModel
{
    [BindProperty] public NewUserInput Input { get; set; } = new() { Role = Roles.Liaison };
    public List<UserSummary> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Users = await users.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var user = await users.AddAsync(Input.Email?.Trim() ?? "", Input.Password ?? "", Input.Role ?? "", Input.DisplayName);
            TempData["Notice"] = $"Added {user.Email}. Give them their password in person or by phone.";
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
}
