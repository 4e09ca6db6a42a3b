using Rapport.Pages.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Email;
using Rapport.Users;

namespace Rapport.Pages.Settings;

/// <summary>The practice's recent e-mails (letters, survey invitations, digests): delivery state, attempts, last error, Retry; and how e-mail is set up.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class OutboxModel(OutboxMessages outbox, MailServer mail) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true)] public DeliveryStatus? Status { get; set; }

    public Paged<OutboxEntry> Messages { get; private set; } = null!;
    public int FailedCount { get; private set; }
    public MailServer Mail => mail;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Messages = await outbox.ListAsync(Status, PageNumber, 50, cancellationToken);
        FailedCount = await outbox.FailedCountAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryAsync(long messageId, CancellationToken cancellationToken)
    {
        var notice = await EmailRetry.NoticeAsync(outbox, messageId, $"Message {messageId}", null, cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }
        TempData["Notice"] = notice;
        return Redirect(Url.Page("/Settings/Outbox", new { page = PageNumber, status = Status })!);
    }

    public string PageLink(int page) => Url.Page("/Settings/Outbox", new { page, status = Status })!;
}
