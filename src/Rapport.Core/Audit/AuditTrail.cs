using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Audit;

/// <param name="Actor">Who acted, as recorded (a user's e-mail, "api:&lt;key&gt;", "cli:&lt;account&gt;").</param>
/// <param name="ActorName">The same, shown by the name rule when it is a staff member (see <see cref="Users.UserNames"/>).</param>
public sealed record AuditEntry(DateTime At, string? Actor, string Action, string EntityType, string? EntityId, string? Summary)
{
    public string? ActorName { get; init; }
}

/// <summary>
/// Reads and exports for the audit trail; changes are recorded by the DbContext itself. Summaries
/// name what was touched and how much, never patient details.
/// </summary>
public sealed class AuditTrail(RapportDbContext db, PracticeClock time, Users.StaffNames staff)
{
    public const string Read = "Read";
    public const string Exported = "Exported";

    public async Task RecordAsync(string action, string entityType, string? entityId, string? summary = null, CancellationToken cancellationToken = default)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            OrganizationId = db.Organization.RequiredId,
            At = time.GetUtcNow().UtcDateTime,
            Actor = db.Organization.Actor,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Summary = summary,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Paged<AuditEntry>> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        (page, pageSize) = Paging.Clamp(page, pageSize, 100);
        var total = await db.AuditEvents.CountAsync(cancellationToken);
        var items = await db.AuditEvents.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(a => new AuditEntry(a.At, a.Actor, a.Action, a.EntityType, a.EntityId, a.Summary))
            .ToListAsync(cancellationToken);
        // The trail stores who acted as they signed in (an e-mail); people read it by name.
        var names = await staff.BookAsync(cancellationToken);
        return new Paged<AuditEntry>([.. items.Select(e => e with { ActorName = names.Show(e.Actor) })], total, page, pageSize);
    }
}
