using Microsoft.EntityFrameworkCore;
using Rapport.Campaigns;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Touchpoints;

public sealed record TouchpointInput
{
    public string? ExternalId { get; init; }
    public int? SourceId { get; init; }
    public DateOnly? OccurredOn { get; init; }
    public TouchMethod? Method { get; init; }
    public string? Purpose { get; init; }
    public string? Notes { get; init; }
    public string? ByName { get; init; }
    /// <summary>The campaign the touch was made in, by id …</summary>
    public int? CampaignId { get; init; }
    /// <summary>… or by name (the touch import's column, API clients that know the name); matched ignoring case. The id wins when both are given.</summary>
    public string? Campaign { get; init; }
    public DateOnly? FollowUpOn { get; init; }
    /// <summary>US dollars, e.g. 85.50 for a catered lunch; blank when it cost nothing.</summary>
    public decimal? Cost { get; init; }
}

public sealed record TouchpointSummary(int Id, string? ExternalId, int SourceId, string SourceName, DateOnly OccurredOn, TouchMethod Method,
    string? Purpose, string? Notes, string? ByName, int? CampaignId, string? Campaign, DateOnly? FollowUpOn, decimal? Cost);

public sealed record TouchpointListQuery
{
    public int? SourceId { get; init; }
    public TouchMethod? Method { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    /// <summary>Touches made by this staff member: logged under their user id, or under the e-mail they acted as (letters, report cards).</summary>
    public string? ByUserId { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

public sealed class TouchpointService(RapportDbContext db, PracticeClock time, Users.StaffNames staff)
{
    public async Task<Paged<TouchpointSummary>> ListAsync(TouchpointListQuery query, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(query.Page, query.PageSize);
        var touches = await FilterAsync(query, cancellationToken);
        var total = await touches.CountAsync(cancellationToken);
        var items = await ReadAsync(touches.OrderByDescending(t => t.OccurredOn).ThenByDescending(t => t.Id)
            .Skip((page - 1) * pageSize).Take(pageSize), cancellationToken);
        return new Paged<TouchpointSummary>(items, total, page, pageSize);
    }

    /// <summary>Every touch matching the list's filters, newest first, unpaged (exports).</summary>
    public async Task<IReadOnlyList<TouchpointSummary>> AllAsync(TouchpointListQuery query, CancellationToken cancellationToken = default) =>
        await ReadAsync((await FilterAsync(query, cancellationToken)).OrderByDescending(t => t.OccurredOn).ThenByDescending(t => t.Id), cancellationToken);

    private async Task<IQueryable<Touchpoint>> FilterAsync(TouchpointListQuery query, CancellationToken cancellationToken)
    {
        var touches = db.Touchpoints.AsQueryable();
        if (query.SourceId is { } sourceId) touches = touches.Where(t => t.SourceId == sourceId);
        if (query.Method is { } method) touches = touches.Where(t => t.Method == method);
        if (query.From is { } from) touches = touches.Where(t => t.OccurredOn >= from);
        if (query.To is { } to) touches = touches.Where(t => t.OccurredOn <= to);
        if (Formats.Clean(query.ByUserId) is { } userId)
        {
            // Users sit outside the tenant filter (see AppUser), so the organization is matched here.
            var email = await db.Users.Where(u => u.Id == userId && u.OrganizationId == db.Organization.RequiredId)
                .Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
            touches = touches.Where(t => t.ByUserId == userId || (email != null && t.ByName == email));
        }
        return touches;
    }

    public async Task<TouchpointSummary?> GetAsync(int id, CancellationToken cancellationToken = default) =>
        (await ReadAsync(db.Touchpoints.Where(t => t.Id == id), cancellationToken)).FirstOrDefault();

    public async Task<Touchpoint> CreateAsync(TouchpointInput input, string? byUserId = null, CancellationToken cancellationToken = default)
    {
        var touch = new Touchpoint { ByUserId = byUserId };
        await ApplyAsync(touch, input, cancellationToken);
        db.Touchpoints.Add(touch);
        await db.SaveChangesAsync(cancellationToken);
        return touch;
    }

    public async Task<Touchpoint> UpdateAsync(int id, TouchpointInput input, CancellationToken cancellationToken = default)
    {
        var touch = await db.Touchpoints.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new NotFoundException($"Touchpoint {id}");
        await ApplyAsync(touch, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return touch;
    }

    public async Task DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        var touch = await db.Touchpoints.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new NotFoundException($"Touchpoint {id}");
        db.Touchpoints.Remove(touch);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ApplyAsync(Touchpoint touch, TouchpointInput input, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        Check(input, time.Today(), problems);
        if (input.SourceId is { } sourceId && !await db.Sources.AnyAsync(s => s.Id == sourceId, cancellationToken))
        {
            problems.Add("sourceId", $"Source {sourceId} does not exist.");
        }
        var campaignId = await Campaigns.CampaignNames.ResolveAsync(db, input.CampaignId, input.Campaign, problems, cancellationToken);
        problems.ThrowIfAny();
        if (Formats.Clean(input.ExternalId) is { } externalId
            && await db.Touchpoints.AnyAsync(t => t.ExternalId == externalId && t.Id != touch.Id, cancellationToken))
        {
            throw new ConflictException("externalId", externalId, $"A touchpoint with external id {externalId} already exists.");
        }
        CopyOnto(touch, input with { CampaignId = campaignId });
    }


    public static void Check(TouchpointInput input, DateOnly today, Problems problems)
    {
        FieldRules.Check<Touchpoint>(input, today, problems);
        if (input.SourceId is null) problems.Add("sourceId", "Source is required.");
        if (input.OccurredOn is null) problems.Add("occurredOn", "Date is required.");
        if (input.Method is null) problems.Add("method", $"Method is required ({string.Join(", ", Enum.GetNames<TouchMethod>())}).");
        problems.NotInFuture("occurredOn", input.OccurredOn, today, "Touch date");
        problems.NotBefore("followUpOn", input.FollowUpOn, input.OccurredOn, "Follow-up date", "the touch date");
        if (input.Cost is < 0 or > 1_000_000) problems.Add("cost", "Cost must be between 0 and 1,000,000 dollars.");
        else if (input.Cost is { } cost && decimal.Round(cost, 2) != cost) problems.Add("cost", "Cost has at most two decimals (cents).");
    }

    public static void CopyOnto(Touchpoint touch, TouchpointInput input)
    {
        touch.ExternalId = Formats.Clean(input.ExternalId);
        touch.SourceId = input.SourceId!.Value;
        touch.OccurredOn = input.OccurredOn!.Value;
        touch.Method = input.Method!.Value;
        touch.Purpose = Formats.Clean(input.Purpose);
        touch.Notes = Formats.Clean(input.Notes);
        touch.ByName = Formats.Clean(input.ByName) ?? touch.ByName;
        touch.CampaignId = input.CampaignId;
        touch.FollowUpOn = input.FollowUpOn;
        touch.Cost = input.Cost;
    }

    /// <summary>The touches as summaries, each "by" shown by the staff name rule (user id, the e-mail acted as, or the name as typed).</summary>
    private async Task<List<TouchpointSummary>> ReadAsync(IQueryable<Touchpoint> touches, CancellationToken cancellationToken)
    {
        var rows = await touches.Select(t => new
        {
            Summary = new TouchpointSummary(t.Id, t.ExternalId, t.SourceId,
                (t.Source!.FirstName == null ? t.Source.LastName : t.Source.FirstName + " " + t.Source.LastName) + (t.Source.Credential == null ? "" : ", " + t.Source.Credential),
                t.OccurredOn, t.Method, t.Purpose, t.Notes, t.ByName, t.CampaignId, t.Campaign!.Name, t.FollowUpOn, t.Cost),
            t.ByUserId,
        }).ToListAsync(cancellationToken);
        var names = await staff.BookAsync(cancellationToken);
        return [.. rows.Select(r => r.Summary with { ByName = names.Show(r.Summary.ByName, r.ByUserId) })];
    }
}
