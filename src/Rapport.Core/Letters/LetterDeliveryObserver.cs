using Microsoft.Extensions.DependencyInjection;
using Rapport.Email;
using Rapport.Tenancy;

namespace Rapport.Letters;

/// <summary>
/// Hears from the (practice-agnostic) outbox dispatcher that a message was accepted by the mail
/// server and, in that message's practice, records the letter it carries as sent. Its own scope:
/// the dispatcher's may belong to no practice (the background worker) or be in the middle of a
/// request.
/// </summary>
public sealed class LetterDeliveryObserver(IServiceScopeFactory scopes) : IOutboxDeliveryObserver
{
    public async Task DeliveredAsync(OutboxDelivered delivered, CancellationToken cancellationToken)
    {
        if (delivered.OrganizationId is not { } organizationId)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var organization = scope.ServiceProvider.GetRequiredService<CurrentOrganization>();
        organization.Set(organizationId);
        organization.Actor = "outbox";
        await scope.ServiceProvider.GetRequiredService<LetterService>().RecordEmailDeliveredAsync(delivered.OutboxMessageId, delivered.SentAt, cancellationToken);
    }
}
