using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Nps;

/// <summary>
/// A task in the follow-up queue. Staff-only: it names the patient (via the invitation) so the
/// manager can call them; imported answers have no patient.
/// </summary>
public sealed record FollowUpItem(int Id, int ResponseId, int Score, string? Comment, DateOnly RespondedOn, string? Clinic, string? Therapist,
    int? PatientId, string? PatientName, string? AssigneeUserId, string? Assignee, DateTime CreatedAt, DateTime? ClosedAt, string? ClosedBy, string? Note);

/// <summary>The follow-up queue. Items naming a patient are patient data: the list read is audited here (<see cref="Audit.PatientDataAudit"/>).</summary>
public sealed class DetractorFollowUps(RapportDbContext db, PracticeClock time, Users.StaffNames staff, Audit.PatientDataAudit audit)
{
    public Task<int> OpenCountAsync(CancellationToken cancellationToken = default) =>
        db.Set<DetractorFollowUp>().CountAsync(f => f.ClosedAt == null, cancellationToken);

    public async Task<List<FollowUpItem>> ListAsync(bool open = true, CancellationToken cancellationToken = default)
    {
        var organizationId = db.Organization.RequiredId;
        var followUps = db.Set<DetractorFollowUp>().Where(f => open ? f.ClosedAt == null : f.ClosedAt != null);
        var rows = await (from f in followUps
                          join r in db.Set<NpsResponse>() on f.ResponseId equals r.Id
                          join c in db.Clinics on f.ClinicId equals c.Id into clinic
                          from c in clinic.DefaultIfEmpty()
                          join i in db.Set<SurveyInvitation>() on r.InvitationId equals i.Id into invitation
                          from i in invitation.DefaultIfEmpty()
                          join p in db.Patients on i.PatientId equals p.Id into patient
                          from p in patient.DefaultIfEmpty()
                          // Users sit outside the tenant filter (see AppUser), so the organization is matched here.
                          join u in db.Users.Where(u => u.OrganizationId == organizationId) on f.AssigneeUserId equals u.Id into user
                          from u in user.DefaultIfEmpty()
                          orderby f.CreatedAt descending, f.Id descending
                          select new FollowUpItem(f.Id, r.Id, r.Score, r.Comment, r.RespondedOn, c == null ? null : c.Name, r.Therapist,
                              p == null ? null : p.Id, p == null ? null : p.LastName + ", " + p.FirstName,
                              f.AssigneeUserId, null, f.CreatedAt, f.ClosedAt, f.ClosedBy, f.Note))
            .Take(500).ToListAsync(cancellationToken);
        await audit.ListedAsync(nameof(DetractorFollowUp), rows.Count(f => f.PatientId is not null), Audit.PatientDataAudit.Scope(null, null, ("open", open), ("closed", !open)), cancellationToken);
        var names = await staff.BookAsync(cancellationToken);
        return [.. rows.Select(f => f with { Assignee = names.Show(f.AssigneeUserId), ClosedBy = names.Show(f.ClosedBy) })];
    }

    public async Task CloseAsync(int id, string? note, CancellationToken cancellationToken = default)
    {
        var followUp = await db.Set<DetractorFollowUp>().FirstOrDefaultAsync(f => f.Id == id, cancellationToken) ?? throw new NotFoundException($"Follow-up {id}");
        if (Formats.Clean(note) is not { } text)
        {
            throw new ValidationException("note", "Say what was done: a note is required to close the follow-up.");
        }
        var problems = new Problems();
        FieldRules.Text(problems, "note", text, FieldRules.MaxLengthOf<DetractorFollowUp>(nameof(DetractorFollowUp.Note)), multiLine: true);
        problems.ThrowIfAny();
        if (followUp.ClosedAt is not null)
        {
            throw new ValidationException("id", "This follow-up is already closed.");
        }
        followUp.ClosedAt = time.GetUtcNow().UtcDateTime;
        followUp.ClosedBy = db.Organization.Actor;
        followUp.Note = text;
        await db.SaveChangesAsync(cancellationToken);
    }
}
