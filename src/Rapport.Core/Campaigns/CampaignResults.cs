using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Campaigns;

/// <summary>One row of the campaigns list: what the campaign is, what it cost and the headline of what it brought.</summary>
public sealed record CampaignSummary(
    int Id, string Name, CampaignKind Kind, DateOnly StartsOn, DateOnly? EndsOn, string? OwnerUserId, IReadOnlyList<string> Clinics,
    decimal? Budget, decimal ActualCost, int SourcesReached, int NewReferringSources, int ReferralsAttributed,
    decimal? EstimatedRevenue, decimal? ReturnOnSpend, bool Archived);

public sealed record CampaignListQuery
{
    public int? ClinicId { get; init; }
    public CampaignKind? Kind { get; init; }
    /// <summary>Campaigns running at any time in this calendar year.</summary>
    public int? Year { get; init; }
    public bool IncludeArchived { get; init; }
}

/// <summary>
/// What a campaign brought, by the attribution rule in docs/campaigns.md. INTERIM (foundation): only the counts that
/// need no attribution are computed here; the results helper replaces this class keeping <see cref="SummariesAsync"/>'s
/// signature and the <see cref="CampaignSummary"/> fields.
/// </summary>
public sealed class CampaignResultsService(RapportDbContext db)
{
    public async Task<IReadOnlyList<CampaignSummary>> SummariesAsync(CampaignListQuery query, CancellationToken cancellationToken = default)
    {
        var campaigns = db.Campaigns.AsNoTracking().AsQueryable();
        if (!query.IncludeArchived) campaigns = campaigns.Where(c => c.ArchivedAt == null);
        if (query.Kind is { } kind) campaigns = campaigns.Where(c => c.Kind == kind);
        if (query.ClinicId is { } clinicId) campaigns = campaigns.Where(c => !c.Clinics.Any() || c.Clinics.Any(k => k.ClinicId == clinicId));
        if (query.Year is { } year)
        {
            var first = new DateOnly(year, 1, 1);
            var last = new DateOnly(year, 12, 31);
            campaigns = campaigns.Where(c => c.StartsOn <= last && (c.EndsOn == null || c.EndsOn >= first));
        }
        var rows = await campaigns.OrderByDescending(c => c.StartsOn).ThenBy(c => c.Name)
            .Select(c => new
            {
                c.Id, c.Name, c.Kind, c.StartsOn, c.EndsOn, c.OwnerUserId, c.Budget, c.ArchivedAt,
                Clinics = c.Clinics.Select(k => k.Clinic!.Name).ToList(),
                // SQLite cannot sum decimals in SQL: the amounts come back and are summed here.
                Amounts = c.Costs.Select(k => k.Amount).ToList(),
            })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var touches = await db.Touchpoints.AsNoTracking().Where(t => t.CampaignId != null && ids.Contains(t.CampaignId.Value))
            .Select(t => new { CampaignId = t.CampaignId!.Value, t.SourceId, t.Cost }).ToListAsync(cancellationToken);
        var byCampaign = touches.ToLookup(t => t.CampaignId);
        return [.. rows.Select(r => new CampaignSummary(r.Id, r.Name, r.Kind, r.StartsOn, r.EndsOn, r.OwnerUserId, r.Clinics, r.Budget,
            r.Amounts.Sum() + byCampaign[r.Id].Sum(t => t.Cost ?? 0m), byCampaign[r.Id].Select(t => t.SourceId).Distinct().Count(),
            0, 0, null, null, r.ArchivedAt != null))];
    }
}
