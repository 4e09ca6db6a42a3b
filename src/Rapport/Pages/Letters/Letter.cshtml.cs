using Rapport.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Email;
using Rapport.Letters;

namespace Rapport.Pages.Letters;

/// <summary>One letter of an episode: the preview as it will print, the clinician's notes, and the ways to send it.</summary>
public sealed class LetterModel(LetterService letters, OutboxMessages outbox, MailServer mail) : PageModel
{
    public bool MailConfigured => mail.IsConfigured;

    public LetterContent? Letter { get; private set; }
    public EpisodeLetters Episode { get; private set; } = null!;
    public LetterStatus Status { get; private set; } = null!;
    public LetterKind Kind { get; private set; }
    /// <summary>Why the letter cannot be written yet (no evaluation, no discharge, direct access).</summary>
    public string? Unavailable { get; private set; }

    [BindProperty] public string? Notes { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, string kind, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, kind, cancellationToken) is { } problem)
        {
            return problem;
        }
        Notes = Episode.Notes.GetValueOrDefault(Kind);
        return Page();
    }

    public async Task<IActionResult> OnGetPdfAsync(int id, string kind, CancellationToken cancellationToken)
    {
        if (LetterFormat.ParseKind(kind) is not { } letterKind)
        {
            return NotFound();
        }
        try
        {
            var letter = await letters.PdfAsync(id, letterKind, cancellationToken);
            return File(letter.Pdf.Bytes, "application/pdf", letter.FileName);
        }
        catch (ValidationException e)
        {
            TempData["Notice"] = string.Join(" ", e.Errors.SelectMany(x => x.Value));
            return Redirect($"/Episodes/{id}/Letters/{LetterFormat.Slug(letterKind)}");
        }
    }

    public async Task<IActionResult> OnGetFaxCoverAsync(int id, string kind, CancellationToken cancellationToken)
    {
        if (LetterFormat.ParseKind(kind) is not { } letterKind)
        {
            return NotFound();
        }
        try
        {
            var cover = await letters.FaxCoverAsync(id, letterKind, cancellationToken);
            return File(cover.Pdf.Bytes, "application/pdf", $"fax-cover-referral-{id}.pdf");
        }
        catch (ValidationException e)
        {
            TempData["Notice"] = string.Join(" ", e.Errors.SelectMany(x => x.Value));
            return Redirect($"/Episodes/{id}/Letters/{LetterFormat.Slug(letterKind)}");
        }
    }

    public async Task<IActionResult> OnPostNotesAsync(int id, string kind, CancellationToken cancellationToken)
    {
        if (LetterFormat.ParseKind(kind) is not { } letterKind)
        {
            return NotFound();
        }
        try
        {
            await letters.SaveNotesAsync(id, letterKind, Notes, cancellationToken);
        }
        catch (ValidationException e)
        {
            ModelState.AddModelError(nameof(Notes), string.Join(" ", e.Errors.SelectMany(x => x.Value)));
            return await LoadAsync(id, kind, cancellationToken) ?? Page();
        }
        TempData["Notice"] = "Notes saved; the preview shows them.";
        return Redirect($"/Episodes/{id}/Letters/{LetterFormat.Slug(letterKind)}");
    }

    /// <summary>Sends by e-mail, or records a fax or mailed letter; posted from this page, the source page and the due list.</summary>
    public async Task<IActionResult> OnPostSendAsync(int id, string kind, string? via, string? returnUrl, CancellationToken cancellationToken)
    {
        if (LetterFormat.ParseKind(kind) is not { } letterKind)
        {
            return NotFound();
        }
        var back = returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? returnUrl : $"/Episodes/{id}/Letters/{LetterFormat.Slug(letterKind)}";
        // A delivery the form did not offer is refused, never read as e-mail: an e-mail carries patient details.
        if (!Enum.TryParse<LetterDelivery>(via, ignoreCase: true, out var delivery) || !Enum.IsDefined(delivery))
        {
            TempData["Notice"] = $"Not sent: unknown delivery '{via}' (email, fax or mail).";
            return LocalRedirect(back);
        }
        try
        {
            var sent = await letters.SendAsync(id, letterKind, delivery, cancellationToken: cancellationToken);
            TempData["Notice"] = delivery == LetterDelivery.Email
                ? $"{LetterFormat.Title(letterKind)} letter queued by e-mail to the referring source. It counts as sent, and the touch is logged, once the mail server accepts it."
                : $"{LetterFormat.Title(letterKind)} letter recorded as sent by {delivery.ToString().ToLowerInvariant()} on {sent.SentOn:yyyy-MM-dd}; touch logged.";
        }
        catch (ValidationException e)
        {
            TempData["Notice"] = "Not sent: " + string.Join(" ", e.Errors.SelectMany(x => x.Value));
        }
        catch (EmailNotConfiguredException e)
        {
            TempData["Notice"] = "Not sent: " + e.Message;
        }
        return Redirect(back);
    }

    /// <summary>Tries the letter's failed e-mail again now; posted from this page, the episode page, the source page and the due list.</summary>
    public async Task<IActionResult> OnPostRetryAsync(int id, string kind, long messageId, string? returnUrl, CancellationToken cancellationToken)
    {
        if (LetterFormat.ParseKind(kind) is not { } letterKind)
        {
            return NotFound();
        }
        var back = returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? returnUrl : $"/Episodes/{id}/Letters/{LetterFormat.Slug(letterKind)}";
        var notice = await EmailRetry.NoticeAsync(outbox, messageId, $"{LetterFormat.Title(letterKind)} letter", "; touch logged", cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }
        TempData["Notice"] = notice;
        return LocalRedirect(back);
    }

    private async Task<IActionResult?> LoadAsync(int id, string kind, CancellationToken cancellationToken)
    {
        if (LetterFormat.ParseKind(kind) is not { } letterKind)
        {
            return NotFound();
        }
        Kind = letterKind;
        try
        {
            Episode = await letters.EpisodeAsync(id, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        Status = Episode.Letters.First(l => l.Kind == letterKind);
        try
        {
            Letter = await letters.ComposeAsync(id, letterKind, cancellationToken);
        }
        catch (ValidationException e)
        {
            Unavailable = string.Join(" ", e.Errors.SelectMany(x => x.Value));
        }
        return null;
    }
}
