using System.Globalization;
using Rapport.Common;
using Rapport.Email;

namespace Rapport.Pages.Shared;

/// <summary>
/// One e-mail's delivery state on a page, with a Retry button when it failed.
/// <paramref name="RetryAction"/> is the handler the button posts to (with <c>messageId</c> and <c>returnUrl</c>); null shows no button.
/// </summary>
public sealed record EmailDeliveryView(EmailDelivery Delivery, string? RetryAction, string? ReturnUrl = null, bool Compact = false)
{
    public string Label => Delivery.Status switch
    {
        DeliveryStatus.Sent => "E-mail sent",
        DeliveryStatus.Failed => "E-mail failed",
        _ => "E-mail queued",
    };

    /// <summary>What happens next, in the practice's time: "attempt 3; next automatic try Dec 2 17:04", "no more automatic tries".</summary>
    public string Next(Func<DateTime, DateTime> toLocal) => Delivery switch
    {
        { Status: DeliveryStatus.Sent, SentAt: { } at } => $"accepted by the mail server {Moment(toLocal(at))}",
        { Status: DeliveryStatus.Failed, NextAttemptAt: { } next } => $"attempt {Delivery.Attempts}; next automatic try {Moment(toLocal(next))}",
        { Status: DeliveryStatus.Failed } => $"after {Delivery.Attempts} attempts; no more automatic tries",
        _ => "waiting for the mail server; it counts as sent once the server accepts it",
    };

    private static string Moment(DateTime local) => local.ToString("MMM d HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>Retry from a page: tries the message now and words the outcome as the page's notice.</summary>
public static class EmailRetry
{
    /// <summary>The notice for a retry of <paramref name="what"/> ("Discharge letter", "Invitation", "Message 12"); null when the message is not the practice's.</summary>
    public static async Task<string?> NoticeAsync(OutboxMessages outbox, long messageId, string what, string? onSent, CancellationToken cancellationToken)
    {
        try
        {
            var delivery = await outbox.RetryAsync(messageId, cancellationToken);
            return delivery.Status switch
            {
                DeliveryStatus.Sent => $"{what} sent: the mail server accepted it{onSent}.",
                DeliveryStatus.Failed => $"{what} still not sent: {delivery.Error}",
                _ => $"{what} queued again.",
            };
        }
        catch (EmailNotConfiguredException e)
        {
            return "Not sent: " + e.Message;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }
}
