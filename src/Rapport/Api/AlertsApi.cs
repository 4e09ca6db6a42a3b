using Microsoft.AspNetCore.Http.HttpResults;
using Rapport.Health;
using Rapport.Tenancy;

namespace Rapport.Api;

public static class AlertsApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", async (AlertService alerts, DateOnly? asOf, bool? includeHandled, int? sourceId, string? kind, string? tier,
            string? ownerId, int? page, int? pageSize, CancellationToken ct) =>
            {
                // Checked before the alerts are computed: a mistyped tier or page is a 400 naming it, not an empty list.
                SourceAlerts.CheckTier(tier);
                AlertList.CheckPaging(page, pageSize);
                return TypedResults.Ok((await alerts.ListAsync(asOf, includeHandled ?? false, sourceId, ct)).OfKind(kind).OfTier(tier).OfOwner(ownerId).Paged(page, pageSize));
            })
            .WithSummary("Relationship health alerts, computed from the data")
            .WithDescription("asOf (yyyy-MM-dd) computes everything as if today were that date. Acknowledged and snoozed alerts are left out unless includeHandled=true. kind (declining, lapsed, touch_overdue, reciprocity_gap, new_referrer, rising, concentration) keeps one kind. tier (alert, watch) keeps one tier: alert = strong evidence or a plain fact, watch = probably down, not yet certain; each alert carries its tier. ownerId keeps the alerts of one owner (a user id, or unassigned). "
                + "page (from 1) and pageSize (default 100, at most 1000) return one page; without either, every alert. total is how many alerts match in all.")
            .ProducesValidationProblem();

        group.MapPost("/acknowledge", async Task<NoContent> (AlertActionInput input, AlertService alerts, CurrentOrganization organization, CancellationToken ct) =>
            {
                await alerts.AcknowledgeAsync(input, organization.Actor, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Acknowledge an alert; it comes back when its evidence changes")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/snooze", async Task<NoContent> (AlertActionInput input, AlertService alerts, CurrentOrganization organization, CancellationToken ct) =>
            {
                await alerts.SnoozeAsync(input, organization.Actor, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Snooze an alert until a date (inclusive)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
