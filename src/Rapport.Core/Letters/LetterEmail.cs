using System.Net;
using Rapport.Email;

namespace Rapport.Letters;

/// <summary>
/// The e-mail that carries a letter. Subject and body name no patient (mail subjects show in
/// previews and notifications); the patient is named only in the attached PDF.
/// </summary>
public static class LetterEmail
{
    public static EmailMessage Compose(LetterContent content, byte[] pdf)
    {
        var title = content.Title;
        var subject = $"{title} from {content.From.ClinicName} (referral {content.Episode.ReferralId})";
        var contact = content.From.Phone is null ? "" : $" Questions: {content.From.Phone}.";
        var text = $"Dear {content.To.Salutation},\n\n"
            + $"Attached is the {title.ToLowerInvariant()} for a patient you referred to {content.From.ClinicName} (our referral {content.Episode.ReferralId}, received {LetterFormat.Date(content.Episode.ReceivedOn)}).{contact}\n\n"
            + $"{content.From.PracticeName}\n\n"
            + "This message and its attachment are confidential and meant only for the addressee, for the patient's treatment. If you received it by mistake, please tell us and delete it.";
        var html = string.Join("", text.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>"));
        return new EmailMessage(content.To.Email!, subject, text, html)
        {
            Attachments = [new EmailAttachment(GeneratedLetter.FileNameOf(content), "application/pdf", pdf)],
        };
    }
}
