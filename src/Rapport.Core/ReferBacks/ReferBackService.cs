using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.ReferBacks;

public sealed record ReferBackInput
{
    public int? ToSourceId { get; init; }
    public int? PatientId { get; init; }
    public DateOnly? SentOn { get; init; }
    public string? Reason { get; init; }
    public string? Notes { get; init; }
}

public sealed record ReferBackSummary(int Id, int ToSourceId, string SourceName, int? PatientId, string? PatientName, DateOnly SentOn, string? Reason, string? Notes);

public sealed record ReferBackListQuery
{
    public int? SourceId { get; init; }
    public int? PatientId { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

/// <summary>
/// Refer-backs: patients the practice sends back to (or on to) a physician. Those naming a patient
/// are patient data: their reads are audited here (<see cref="Audit.PatientDataAudit"/>).
/// </summary>
public sealed class ReferBackService(RapportDbContext db, PracticeClock time, Audit.PatientDataAudit audit)
{
    public async Task<Paged<ReferBackSummary>> ListAsync(ReferBackListQuery query, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(query.Page, query.PageSize);
        var items = db.ReferralsOut.AsQueryable();
        if (query.SourceId is { } sourceId) items = items.Where(o => o.ToSourceId == sourceId);
        if (query.PatientId is { } patientId) items = items.Where(o => o.PatientId == patientId);
        if (query.From is { } from) items = items.Where(o => o.SentOn >= from);
        if (query.To is { } to) items = items.Where(o => o.SentOn <= to);
        var total = await items.CountAsync(cancellationToken);
        var page1 = await Project(items.OrderByDescending(o => o.SentOn).ThenByDescending(o => o.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
        await audit.ListedAsync(nameof(ReferralOut), page1.Count(o => o.PatientId is not null), Audit.PatientDataAudit.Scope(page, pageSize,
            ("sourceId", query.SourceId), ("patientId", query.PatientId), ("from", query.From), ("to", query.To)), cancellationToken);
        return new Paged<ReferBackSummary>(page1, total, page, pageSize);
    }

    public async Task<ReferBackSummary?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        var referBack = await Project(db.ReferralsOut.Where(o => o.Id == id)).FirstOrDefaultAsync(cancellationToken);
        if (referBack?.PatientId is not null)
        {
            await audit.ReadAsync(nameof(ReferralOut), id, cancellationToken: cancellationToken);
        }
        return referBack;
    }

    public async Task<ReferralOut> CreateAsync(ReferBackInput input, CancellationToken cancellationToken = default)
    {
        var referBack = new ReferralOut();
        await ApplyAsync(referBack, input, cancellationToken);
        db.ReferralsOut.Add(referBack);
        await db.SaveChangesAsync(cancellationToken);
        return referBack;
    }

    public async Task<ReferralOut> UpdateAsync(int id, ReferBackInput input, CancellationToken cancellationToken = default)
    {
        var referBack = await db.ReferralsOut.FirstOrDefaultAsync(o => o.Id == id, cancellationToken) ?? throw new NotFoundException($"Refer-back {id}");
        await ApplyAsync(referBack, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return referBack;
    }

    public async Task DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        var referBack = await db.ReferralsOut.FirstOrDefaultAsync(o => o.Id == id, cancellationToken) ?? throw new NotFoundException($"Refer-back {id}");
        db.ReferralsOut.Remove(referBack);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ApplyAsync(ReferralOut referBack, ReferBackInput input, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        FieldRules.Check<ReferralOut>(input, time.Today(), problems);
        if (input.ToSourceId is null) problems.Add("toSourceId", "The physician referred to is required.");
        if (input.SentOn is null) problems.Add("sentOn", "Date is required.");
        problems.NotInFuture("sentOn", input.SentOn, time.Today(), "Refer-back date");
        if (input.ToSourceId is { } sourceId && !await db.Sources.AnyAsync(s => s.Id == sourceId, cancellationToken))
        {
            problems.Add("toSourceId", $"Source {sourceId} does not exist.");
        }
        if (input.PatientId is { } patientId && !await db.Patients.AnyAsync(p => p.Id == patientId, cancellationToken))
        {
            problems.Add("patientId", $"Patient {patientId} does not exist.");
        }
        problems.ThrowIfAny();
        referBack.ToSourceId = input.ToSourceId!.Value;
        referBack.PatientId = input.PatientId;
        referBack.SentOn = input.SentOn!.Value;
        referBack.Reason = Formats.Clean(input.Reason);
        referBack.Notes = Formats.Clean(input.Notes);
    }

    private static IQueryable<ReferBackSummary> Project(IQueryable<ReferralOut> items) =>
        items.Select(o => new ReferBackSummary(o.Id, o.ToSourceId,
            (o.ToSource!.FirstName == null ? o.ToSource.LastName : o.ToSource.FirstName + " " + o.ToSource.LastName) + (o.ToSource.Credential == null ? "" : ", " + o.ToSource.Credential),
            o.PatientId, o.Patient == null ? null : o.Patient.LastName + ", " + o.Patient.FirstName, o.SentOn, o.Reason, o.Notes));
}
