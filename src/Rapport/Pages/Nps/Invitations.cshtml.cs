using Rapport.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Email;
using Rapport.Nps;

namespace Rapport.Pages.Nps;

/// <summary>Sent invitations and their delivery (Retry for a failed e-mail); also where "send survey" buttons (one patient or a checked list) post to.</summary>
public sealed class InvitationsModel(SurveyInvitations invitations, OutboxMessages outbox, MailServer mail) : PageModel
{
    public List<InvitationSummary> Items { get; private set; } = [];
    public bool MailConfigured => mail.IsConfigured;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Items = await invitations.ListAsync(cancellationToken: cancellationToken);

    public async Task<IActionResult> OnPostAsync(int[] patientIds, CancellationToken cancellationToken)
    {
        try
        {
            var result = await invitations.InvitePatientsAsync(patientIds, cancellationToken);
            TempData["Notice"] = $"{result.Queued} invitation(s) queued; {result.NoAddress} patient(s) have no e-mail address; {result.Skipped} skipped (no episode).";
        }
        catch (EmailNotConfiguredException e)
        {
            TempData["Notice"] = "No invitation sent: " + e.Message;
        }
        return Redirect("/Nps/Invitations");
    }

    public async Task<IActionResult> OnPostRetryAsync(long messageId, CancellationToken cancellationToken)
    {
        var notice = await EmailRetry.NoticeAsync(outbox, messageId, "Invitation", null, cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }
        TempData["Notice"] = notice;
        return Redirect("/Nps/Invitations");
    }
}
