using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Audit;
using Rapport.Common;
using Rapport.Users;

namespace Rapport.Pages.Settings;

[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class AuditModel(AuditTrail audit) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public Paged<AuditEntry> Entries { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Entries = await audit.ListAsync(PageNumber, 100, cancellationToken);
}
