using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rapport.Pages.Settings;

[Authorize(Roles = Users.Roles.Admin + "," + Users.Roles.Manager)]
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => Redirect("/Settings/Clinics");
}
