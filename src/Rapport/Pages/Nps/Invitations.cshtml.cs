using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Nps;

namespace Rapport.Pages.Nps;

/// <summary>Sent invitations and their delivery; also where "send survey" buttons (one patient or a checked list) post to.</summary>
public sealed class InvitationsModel(SurveyInvitations invitations) : PageModel
{
    public List<InvitationSummary> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Items = await invitations.ListAsync(cancellationToken: cancellationToken);

    public async Task<IActionResult> OnPostAsync(int[] patientIds, CancellationToken cancellationToken)
    {
        var result = await invitations.InvitePatientsAsync(patientIds, cancellationToken);
        TempData["Notice"] = $"{result.Queued} invitation(s) queued; {result.NoAddress} patient(s) have no e-mail address; {result.Skipped} skipped (no episode).";
        return Redirect("/Nps/Invitations");
    }
}
