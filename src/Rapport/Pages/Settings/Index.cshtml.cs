using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rapport.Pages.Settings;

public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => Redirect("/Settings/Clinics");
}
