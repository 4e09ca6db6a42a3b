using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rapport.Audit;
using Rapport.Data;
using Rapport.Email;

namespace Rapport.Health;

public sealed record DigestResult(DateOnly WeekOf, IReadOnlyList<string> Recipients, int OwnersWithoutEmail, bool AlreadySent);

/// <summary>
/// The weekly e-mail to each relationship owner: their part of this week's call list, with the
/// alerts' reasons. Messages go through the e-mail outbox, so a mail server outage loses nothing.
/// One digest per organization per week: a second run that week sends nothing unless forced.
/// </summary>
public sealed class WeeklyDigest(CallListService calls, RapportDbContext db, EmailOutbox outbox, MailServer mail, AuditTrail audit, Tenancy.JobLeases leases)
{
    private const string AuditType = "WeeklyDigest";

    /// <summary>Long enough for any practice's digest to be built and queued; a node that dies holding it frees it after this.</summary>
    internal static readonly TimeSpan LeaseLength = TimeSpan.FromMinutes(10);

    /// <summary>Queues this week's digests; refused before anything is queued when no mail server is configured.</summary>
    public async Task<DigestResult> QueueAsync(DateOnly? asOf = null, bool force = false, CancellationToken cancellationToken = default)
    {
        mail.EnsureConfigured();
        var organizationId = db.Organization.RequiredId;
        // Every node may run the digest worker, and an admin may send it by hand at the same time:
        // the practice's lease lets one of them check "already sent" and queue, the others stand aside.
        var lease = $"weekly-digest:{organizationId}";
        if (!await leases.TryAcquireAsync(lease, LeaseLength, cancellationToken))
        {
            var weekOf = (await calls.BuildAsync(asOf, cancellationToken)).WeekOf;
            return new DigestResult(weekOf, [], 0, AlreadySent: true);
        }
        try
        {
            return await QueueHoldingLeaseAsync(organizationId, asOf, force, cancellationToken);
        }
        finally
        {
            await leases.ReleaseAsync(lease, CancellationToken.None);
        }
    }

    private async Task<DigestResult> QueueHoldingLeaseAsync(int organizationId, DateOnly? asOf, bool force, CancellationToken cancellationToken)
    {
        var list = await calls.BuildAsync(asOf, cancellationToken);
        var week = list.WeekOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (!force && await db.AuditEvents.AnyAsync(a => a.EntityType == AuditType && a.EntityId == week, cancellationToken))
        {
            return new DigestResult(list.WeekOf, [], 0, AlreadySent: true);
        }
        var practice = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Name).SingleAsync(cancellationToken);
        // Calls already done this week (a touch since Monday) are not "to call".
        var byOwner = list.Owners.SelectMany(g => g.Calls).Where(c => c.OwnerUserId is not null && !c.Done).GroupBy(c => c.OwnerUserId!).ToList();
        var ownerIds = byOwner.Select(g => g.Key).ToList();
        var owners = (await db.Users.Where(u => u.OrganizationId == organizationId && ownerIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, u.DisplayName }).ToListAsync(cancellationToken))
            .ToDictionary(u => u.Id, u => new { u.Email, Name = Users.UserNames.Display(u.DisplayName, u.Email) });
        var recipients = new List<string>();
        foreach (var group in byOwner)
        {
            if (!owners.TryGetValue(group.Key, out var owner) || string.IsNullOrWhiteSpace(owner.Email))
            {
                continue;
            }
            // In the call list's order: the most urgent first.
            var entries = group.ToList();
            outbox.Add(new EmailMessage(owner.Email, $"{practice}: {entries.Count} {(entries.Count == 1 ? "source" : "sources")} to call this week ({week})",
                Text(owner.Name!, list.WeekOf, entries), Html(owner.Name!, list.WeekOf, entries)));
            recipients.Add(owner.Email);
        }
        // One SaveChanges: the messages and the "sent" record are written together or not at all.
        await audit.RecordAsync("Sent", AuditType, week, $"{recipients.Count} digests queued", cancellationToken);
        return new DigestResult(list.WeekOf, recipients, byOwner.Count - recipients.Count, AlreadySent: false);
    }

    private static string Text(string name, DateOnly weekOf, IReadOnlyList<CallListEntry> entries)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Hello {name},");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Your call list for the week of {weekOf:yyyy-MM-dd}, most urgent first:");
        foreach (var call in entries)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"- {call.Source.Name}{(call.Source.Npi is null ? "" : $" (NPI {call.Source.Npi})")}: {call.Purpose}.");
            text.AppendLine(CultureInfo.InvariantCulture, $"  {CallListService.AtRiskText(call)}.{CallListService.TierText(call)} Last touch: {(call.LastTouchOn is { } on ? $"{on:yyyy-MM-dd} ({call.LastTouchMethod})" : "never")}.");
            foreach (var reason in call.Reasons)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {reason}");
            }
        }
        return text.ToString();
    }

    private static string Html(string name, DateOnly weekOf, IReadOnlyList<CallListEntry> entries)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p>Hello {E(name)},</p><p>Your call list for the week of {weekOf:yyyy-MM-dd}, most urgent first:</p><ol>");
        foreach (var call in entries)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><strong>{E(call.Source.Name)}</strong>: {E(call.Purpose)}. {E(CallListService.AtRiskText(call))}.{E(CallListService.TierText(call))} Last touch: {(call.LastTouchOn is { } on ? $"{on:yyyy-MM-dd} ({E(call.LastTouchMethod)})" : "never")}.<ul>");
            foreach (var reason in call.Reasons)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(reason)}</li>");
            }
            html.Append("</ul></li>");
        }
        html.Append("</ol>");
        return html.ToString();
    }
}
