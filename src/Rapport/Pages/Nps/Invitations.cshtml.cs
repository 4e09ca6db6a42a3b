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
        try
        {
            var delivery = await outbox.RetryAsync(messageId, cancellationToken);
            TempData["Notice"] = delivery.Status == DeliveryStatus.Sent ? "Invitation sent: the mail server accepted it." : $"Invitation still not sent: {delivery.Error}";
        }
        catch (EmailNotConfiguredException e)
        {
            TempData["Notice"] = "Not sent: " + e.Message;
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        return Redirect("/Nps/Invitations");
    }
}
