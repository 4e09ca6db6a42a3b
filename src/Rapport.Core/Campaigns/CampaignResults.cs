using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Reports;
using Rapport.Touchpoints;

namespace Rapport.Campaigns;

/// <summary>One row of the campaigns list: what the campaign is, what it cost and the headline of what it brought.</summary>
public sealed record CampaignSummary(
    int Id, string Name, CampaignKind Kind, DateOnly StartsOn, DateOnly? EndsOn, string? OwnerUserId, IReadOnlyList<string> Clinics,
    decimal? Budget, decimal ActualCost, int SourcesReached, int NewReferringSources, int ReferralsAttributed,
    decimal? EstimatedRevenue, decimal? ReturnOnSpend, bool Archived,
    int EvaluatedAttributed = 0, int Visits = 0, decimal? CostPerNewReferringSource = null, decimal? CostPerAttributedReferral = null);

public sealed record CampaignListQuery
{
    public int? ClinicId { get; init; }
    public CampaignKind? Kind { get; init; }
    /// <summary>Campaigns running at any time in this calendar year.</summary>
    public int? Year { get; init; }
    public bool IncludeArchived { get; init; }
}

/// <summary>Everything the campaign page, its PDF, <c>GET /api/v1/campaigns/{id}/results</c> and <c>rapport campaigns show</c> report.</summary>
/// <param name="Rule">The attribution rule in one sentence, with the practice's window.</param>
/// <param name="MeasuredFrom">The campaign's first day.</param>
/// <param name="MeasuredTo">The earlier of today and the day the window closes after the campaign's end (<paramref name="MeasuringEndsOn"/>).</param>
/// <param name="StillMeasuring">Today is inside the measured period: referrals can still be attributed, so the figures are not final.</param>
/// <param name="TouchCosts">What the campaign's touches cost (their own cost field).</param>
/// <param name="EstimatedRevenue">Σ visits × revenue per visit of the referral's payer category; null until the practice sets a rate (Settings → Revenue).</param>
/// <param name="VisitsWithoutRate">Visits whose payer category has no rate (or none recorded): counted apart, never valued at $0.</param>
/// <param name="ReturnOnSpend">Estimated revenue ÷ actual cost ("$3.40 back per $1"); null without a cost or a revenue estimate.</param>
public sealed record CampaignResults(
    int Id, string Name, CampaignKind Kind, string KindLabel, DateOnly StartsOn, DateOnly? EndsOn, string? OwnerUserId, string? OwnerName,
    IReadOnlyList<string> Clinics, IReadOnlyList<string> TargetSpecialties, string? Notes, bool Archived,
    int AttributionWindowDays, string Rule,
    DateOnly MeasuredFrom, DateOnly MeasuredTo, DateOnly MeasuringEndsOn, bool StillMeasuring, bool NotStarted,
    decimal? Budget, IReadOnlyList<CampaignCostLine> CostLines, decimal CostLinesTotal, decimal TouchCosts, decimal ActualCost, decimal? OverBudget,
    int SourcesTargeted, int TargetsReached, int SourcesReached, int Touches, IReadOnlyList<CampaignSourceName> NewReferringSources,
    int ReferralsAttributed, int ReferralsViaTouches, int ReferralsViaIntake, int EvaluatedAttributed, int Visits,
    decimal? EstimatedRevenue, IReadOnlyList<UnpricedVisits> VisitsWithoutRate,
    decimal? CostPerNewReferringSource, decimal? CostPerAttributedReferral, decimal? ReturnOnSpend,
    CampaignComparison Comparison, IReadOnlyList<CampaignTimelineEntry> Timeline, IReadOnlyList<CampaignMonth> Months, string PracticeName);

public sealed record CampaignCostLine(string Description, decimal Amount, DateOnly? IncurredOn);

public sealed record CampaignSourceName(int Id, string Name);

/// <summary>Visits of a payer category that has no revenue per visit ("Not recorded" when the referral has no payer category).</summary>
public sealed record UnpricedVisits(string Category, int Visits);

/// <summary>
/// One line of the campaign's timeline: a touch, or an attributed referral. Referrals show their source (or
/// direct-access channel), never the patient, so the campaign page holds no patient data.
/// </summary>
/// <param name="Kind">"touch" or "referral".</param>
/// <param name="Via">For a referral: "touch" (its source's last campaign touch) or "intake" (a direct-access patient named the campaign).</param>
public sealed record CampaignTimelineEntry(DateOnly On, string Kind, int? SourceId, string Who, string What, decimal? Cost, int? ReferralId, string? Via);

/// <summary>
/// A month of the measured period: referrals attributed to the campaign, and referrals per source of the reached sources
/// beside the comparison group's (all their referrals, attributed or not, so the two are measured alike).
/// </summary>
public sealed record CampaignMonth(MonthPeriod Month, int Attributed, int ReachedReferrals, double? ReachedPerSource,
    int ComparisonReferrals, double? ComparisonPerSource);

/// <summary>
/// What a campaign brought, by the attribution rule in docs/campaigns.md — the one place the rule is applied
/// (<see cref="CampaignAttribution"/>); the list, the campaign page, the PDF, the API and the CLI all read it from here.
/// </summary>
public sealed class CampaignResultsService(RapportDbContext db, PracticeClock clock, RevenueRates revenueRates, CampaignSettingsService settings)
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
        var window = (await settings.GetAsync(cancellationToken)).AttributionWindowDays;
        var attribution = await AttributeAsync([.. rows.Select(r => r.Id)], window, cancellationToken);
        var rates = await revenueRates.GetAsync(cancellationToken);
        return [.. rows.Select(r =>
        {
            var figures = Figures(r.Id, attribution, rates, r.Amounts.Sum());
            return new CampaignSummary(r.Id, r.Name, r.Kind, r.StartsOn, r.EndsOn, r.OwnerUserId, r.Clinics, r.Budget,
                figures.ActualCost, figures.SourcesReached, figures.NewSources.Count, figures.Attributed.Count,
                figures.EstimatedRevenue, figures.ReturnOnSpend, r.ArchivedAt != null,
                figures.Evaluated, figures.Visits, figures.CostPerNewSource, figures.CostPerReferral);
        })];
    }

    /// <summary>
    /// A campaign of the practice by id or by name (ignoring case), for the CLI's <c>show ID|NAME</c>: an unknown name gets
    /// <see cref="CampaignNames.Unknown"/>, the one message every door gives.
    /// </summary>
    public async Task<int> ResolveAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var text = Formats.Clean(idOrName) ?? throw new ValidationException("campaign", "Name a campaign by its id or its name.");
        var campaigns = await db.Campaigns.AsNoTracking().Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);
        if (campaigns.FirstOrDefault(c => string.Equals(c.Name, text, StringComparison.OrdinalIgnoreCase)) is { } named)
        {
            return named.Id;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && campaigns.Any(c => c.Id == id))
        {
            return id;
        }
        throw new ValidationException("campaign", CampaignNames.Unknown(text));
    }

    /// <summary>The campaign's full results; <see cref="NotFoundException"/> for a campaign that is not the practice's.</summary>
    public async Task<CampaignResults> ResultsAsync(int campaignId, CancellationToken cancellationToken = default)
    {
        var campaign = await db.Campaigns.AsNoTracking()
            .Include(c => c.Clinics).ThenInclude(k => k.Clinic)
            .Include(c => c.Costs)
            .Include(c => c.Targets)
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken) ?? throw new NotFoundException("Campaign");
        var window = (await settings.GetAsync(cancellationToken)).AttributionWindowDays;
        var today = clock.Today();
        var attribution = await AttributeAsync([campaign.Id], window, cancellationToken);
        var rates = await revenueRates.GetAsync(cancellationToken);
        var costLines = campaign.Costs.OrderBy(c => c.IncurredOn ?? DateOnly.MaxValue).ThenBy(c => c.Id)
            .Select(c => new CampaignCostLine(c.Description, c.Amount, c.IncurredOn)).ToList();
        var linesTotal = costLines.Sum(c => c.Amount);
        var figures = Figures(campaign.Id, attribution, rates, linesTotal);

        var measuringEndsOn = (campaign.EndsOn ?? today).AddDays(window);
        var notStarted = campaign.StartsOn > today;
        var measuredTo = notStarted ? campaign.StartsOn : Min(today, measuringEndsOn);

        var touches = attribution.TouchesOf(campaign.Id);
        var sourceIds = touches.Select(t => t.SourceId).Concat(figures.Attributed.Where(a => a.SourceId != null).Select(a => a.SourceId!.Value))
            .Distinct().ToList();
        var names = await SourceNamesAsync(sourceIds, cancellationToken);
        var targetIds = campaign.Targets.Select(t => t.SourceId).ToHashSet();
        var reached = touches.Select(t => t.SourceId).ToHashSet();

        var comparison = await new CampaignComparisonBuilder(db).BuildAsync(campaign, reached, campaign.StartsOn, measuredTo, notStarted, cancellationToken);
        var months = await MonthsAsync(campaign.StartsOn, measuredTo, today, figures.Attributed, reached, comparison, notStarted, cancellationToken);

        var timeline = touches.Select(t => new CampaignTimelineEntry(t.OccurredOn, "touch", t.SourceId, names.GetValueOrDefault(t.SourceId, "Source"),
                TouchWhat(t.Method, t.Purpose), t.Cost, null, null))
            .Concat(figures.Attributed.Select(a => new CampaignTimelineEntry(a.ReceivedOn, "referral", a.SourceId,
                a.SourceId is { } s ? names.GetValueOrDefault(s, "Source") : "Direct access: " + ReferralChannels.Label(a.Channel),
                a.EvaluatedOn is null ? "Referral" : "Referral, evaluated", null, a.ReferralId, a.ViaIntake ? "intake" : "touch")))
            .OrderBy(e => e.On).ThenBy(e => e.Kind == "touch" ? 0 : 1).ThenBy(e => e.ReferralId ?? 0)
            .ToList();

        var ownerName = campaign.OwnerUserId is null ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == campaign.OwnerUserId && u.OrganizationId == campaign.OrganizationId)
                .Select(u => u.DisplayName ?? u.Email).FirstOrDefaultAsync(cancellationToken);

        return new CampaignResults(campaign.Id, campaign.Name, campaign.Kind, CampaignKinds.Label(campaign.Kind), campaign.StartsOn, campaign.EndsOn,
            campaign.OwnerUserId, ownerName, [.. campaign.Clinics.Select(k => k.Clinic?.Name ?? "").OrderBy(n => n, StringComparer.OrdinalIgnoreCase)],
            CampaignComparisonBuilder.Specialties(campaign.TargetSpecialties), campaign.Notes, campaign.ArchivedAt != null,
            window, CampaignAttribution.Rule(window),
            campaign.StartsOn, measuredTo, measuringEndsOn, !notStarted && today < measuringEndsOn, notStarted,
            campaign.Budget, costLines, linesTotal, figures.TouchCosts, figures.ActualCost,
            campaign.Budget is { } budget ? figures.ActualCost - budget : null,
            targetIds.Count, targetIds.Count(reached.Contains), figures.SourcesReached, touches.Count,
            [.. figures.NewSources.Select(id => new CampaignSourceName(id, names.GetValueOrDefault(id, "Source"))).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)],
            figures.Attributed.Count, figures.Attributed.Count(a => !a.ViaIntake), figures.Attributed.Count(a => a.ViaIntake), figures.Evaluated, figures.Visits,
            figures.EstimatedRevenue, figures.Unpriced, figures.CostPerNewSource, figures.CostPerReferral, figures.ReturnOnSpend,
            comparison, timeline, months,
            await db.Organizations.AsNoTracking().Where(o => o.Id == campaign.OrganizationId).Select(o => o.Name).FirstAsync(cancellationToken));
    }

    private static string TouchWhat(TouchMethod method, string? purpose) =>
        string.IsNullOrWhiteSpace(purpose) ? $"Touch ({TouchLabel(method)})" : $"Touch ({TouchLabel(method)}): {purpose}";

    private static string TouchLabel(TouchMethod method) => method switch
    {
        TouchMethod.InPerson => "in person",
        _ => method.ToString().ToLowerInvariant(),
    };

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private async Task<Dictionary<int, string>> SourceNamesAsync(List<int> ids, CancellationToken cancellationToken)
    {
        var rows = await db.Set<Sources.ReferralSource>().AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(s => new { s.Id, s.FirstName, s.LastName, s.Credential }).ToListAsync(cancellationToken);
        return rows.ToDictionary(s => s.Id, s => Sources.SourceNames.Display(s.FirstName, s.LastName, s.Credential));
    }

    /// <summary>
    /// Applies the rule to the given campaigns with four queries: their touches; the reached sources' referrals that a
    /// campaign touch could reach (from the first touch to the last touch + W); those sources' campaign touches in ANY
    /// campaign over the same days (last touch wins); and the direct-access referrals naming the campaigns. Plus each reached
    /// source's first referral ever, for "new referring source".
    /// </summary>
    private async Task<CampaignAttribution> AttributeAsync(IReadOnlyList<int> campaignIds, int window, CancellationToken cancellationToken)
    {
        var touches = campaignIds.Count == 0 ? [] : await db.Touchpoints.AsNoTracking()
            .Where(t => t.CampaignId != null && campaignIds.Contains(t.CampaignId.Value))
            .Select(t => new CampaignTouch(t.Id, t.CampaignId!.Value, t.SourceId, t.OccurredOn, t.Method, t.Purpose, t.Cost))
            .ToListAsync(cancellationToken);
        var intake = campaignIds.Count == 0 ? [] : await db.Referrals.AsNoTracking()
            .Where(r => r.SourceId == null && r.CampaignId != null && campaignIds.Contains(r.CampaignId.Value))
            .Select(r => new ReferralFacts(r.Id, r.SourceId, r.CampaignId, r.ReceivedOn, r.EvaluatedOn, r.VisitCount, r.PayerCategory, r.AcquisitionChannel))
            .ToListAsync(cancellationToken);
        if (touches.Count == 0)
        {
            return new CampaignAttribution(window, touches, [], [], intake, new Dictionary<int, DateOnly>());
        }
        var sourceIds = touches.Select(t => t.SourceId).Distinct().ToList();
        var from = touches.Min(t => t.OccurredOn);
        var through = touches.Max(t => t.OccurredOn).AddDays(window);
        var referrals = await db.Referrals.AsNoTracking()
            .Where(r => r.SourceId != null && sourceIds.Contains(r.SourceId.Value) && r.ReceivedOn >= from && r.ReceivedOn <= through)
            .Select(r => new ReferralFacts(r.Id, r.SourceId, r.CampaignId, r.ReceivedOn, r.EvaluatedOn, r.VisitCount, r.PayerCategory, r.AcquisitionChannel))
            .ToListAsync(cancellationToken);
        // A touch in another campaign can only take a referral from ours if it is later than one of ours, so the same days suffice.
        var competing = await db.Touchpoints.AsNoTracking()
            .Where(t => t.CampaignId != null && sourceIds.Contains(t.SourceId) && t.OccurredOn >= from && t.OccurredOn <= through)
            .Select(t => new CampaignTouch(t.Id, t.CampaignId!.Value, t.SourceId, t.OccurredOn, t.Method, null, null))
            .ToListAsync(cancellationToken);
        var firstReferrals = await db.Referrals.AsNoTracking()
            .Where(r => r.SourceId != null && sourceIds.Contains(r.SourceId.Value))
            .GroupBy(r => r.SourceId!.Value)
            .Select(g => new { SourceId = g.Key, First = g.Min(r => r.ReceivedOn) })
            .ToListAsync(cancellationToken);
        return new CampaignAttribution(window, touches, competing, referrals, intake, firstReferrals.ToDictionary(f => f.SourceId, f => f.First));
    }

    private sealed record CampaignFigures(
        int SourcesReached, IReadOnlyList<int> NewSources, IReadOnlyList<AttributedReferral> Attributed, int Evaluated, int Visits,
        decimal TouchCosts, decimal ActualCost, decimal? EstimatedRevenue, IReadOnlyList<UnpricedVisits> Unpriced,
        decimal? CostPerNewSource, decimal? CostPerReferral, decimal? ReturnOnSpend);

    /// <summary>Every figure of one campaign, from the attribution and its cost lines (docs/campaigns.md, "Figures").</summary>
    private static CampaignFigures Figures(int campaignId, CampaignAttribution attribution, IReadOnlyDictionary<PayerCategory, decimal> rates, decimal costLines)
    {
        var touches = attribution.TouchesOf(campaignId);
        var attributed = attribution.AttributedTo(campaignId);
        var touchCosts = touches.Sum(t => t.Cost ?? 0m);
        var actual = costLines + touchCosts;
        var newSources = attribution.NewReferringSources(campaignId, attributed);
        decimal revenue = 0;
        var unpriced = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var referral in attributed.Where(a => a.VisitCount > 0))
        {
            if (referral.PayerCategory is { } category && rates.TryGetValue(category, out var rate))
            {
                revenue += referral.VisitCount * rate;
            }
            else
            {
                var label = referral.PayerCategory is { } c ? PayerLabels.Label(c) : "Not recorded";
                unpriced[label] = unpriced.GetValueOrDefault(label) + referral.VisitCount;
            }
        }
        // Without any rate there is nothing to estimate with: no revenue (null), not $0.
        decimal? estimated = rates.Count == 0 ? null : revenue;
        return new CampaignFigures(touches.Select(t => t.SourceId).Distinct().Count(), newSources, attributed,
            attributed.Count(a => a.EvaluatedOn != null), attributed.Sum(a => a.VisitCount), touchCosts, actual, estimated,
            [.. unpriced.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => new UnpricedVisits(u.Key, u.Value))],
            Per(actual, newSources.Count), Per(actual, attributed.Count),
            estimated is { } e && actual > 0 ? decimal.Round(e / actual, 2, MidpointRounding.AwayFromZero) : null);
    }

    /// <summary>Cost per unit to the cent; none when nothing was brought (not "infinite", not $0).</summary>
    private static decimal? Per(decimal cost, int count) => count == 0 ? null : decimal.Round(cost / count, 2, MidpointRounding.AwayFromZero);

    private async Task<IReadOnlyList<CampaignMonth>> MonthsAsync(DateOnly from, DateOnly to, DateOnly today, IReadOnlyList<AttributedReferral> attributed,
        IReadOnlySet<int> reached, CampaignComparison comparison, bool notStarted, CancellationToken cancellationToken)
    {
        if (notStarted)
        {
            return [];
        }
        var reachedIds = reached.ToList();
        var comparisonIds = comparison.ComparisonSourceIds.ToList();
        var both = reachedIds.Concat(comparisonIds).ToList();
        var referrals = both.Count == 0 ? [] : await db.Referrals.AsNoTracking()
            .Where(r => r.SourceId != null && both.Contains(r.SourceId.Value) && r.ReceivedOn >= from && r.ReceivedOn <= to)
            .Select(r => new { SourceId = r.SourceId!.Value, r.ReceivedOn })
            .ToListAsync(cancellationToken);
        var months = new List<CampaignMonth>();
        for (var month = new DateOnly(from.Year, from.Month, 1); month <= to; month = month.AddMonths(1))
        {
            var period = MonthPeriod.Of(month, today);
            var first = month < from ? from : month;
            var last = period.Through > to ? to : period.Through;
            bool In(DateOnly d) => d >= first && d <= last;
            var reachedCount = referrals.Count(r => In(r.ReceivedOn) && reached.Contains(r.SourceId));
            var comparisonCount = referrals.Count(r => In(r.ReceivedOn) && !reached.Contains(r.SourceId));
            months.Add(new CampaignMonth(period, attributed.Count(a => In(a.ReceivedOn)), reachedCount,
                reachedIds.Count == 0 ? null : (double)reachedCount / reachedIds.Count, comparisonCount,
                comparisonIds.Count == 0 ? null : (double)comparisonCount / comparisonIds.Count));
        }
        return months;
    }
}

internal sealed record CampaignTouch(int Id, int CampaignId, int SourceId, DateOnly OccurredOn, TouchMethod Method, string? Purpose, decimal? Cost);

internal sealed record ReferralFacts(int Id, int? SourceId, int? CampaignId, DateOnly ReceivedOn, DateOnly? EvaluatedOn, int VisitCount,
    PayerCategory? PayerCategory, AcquisitionChannel? Channel);

internal sealed record AttributedReferral(int ReferralId, int CampaignId, int? SourceId, DateOnly ReceivedOn, DateOnly? EvaluatedOn, int VisitCount,
    PayerCategory? PayerCategory, AcquisitionChannel? Channel, bool ViaIntake);

/// <summary>
/// The attribution rule (docs/campaigns.md), in one place. W = the practice's window. A physician referral received on day d
/// belongs to the campaign of its source's LATEST campaign touch with d − W ≤ touch day ≤ d (same day counts; on the same day
/// the higher touch id wins); touches without a campaign never take credit away. A direct-access referral belongs to the
/// campaign its patient named at intake.
/// </summary>
internal sealed class CampaignAttribution
{
    private readonly ILookup<int, CampaignTouch> touchesByCampaign;
    private readonly ILookup<int, AttributedReferral> attributedByCampaign;
    private readonly IReadOnlyDictionary<int, DateOnly> firstReferrals;

    public CampaignAttribution(int window, IReadOnlyList<CampaignTouch> touches, IReadOnlyList<CampaignTouch> competing,
        IReadOnlyList<ReferralFacts> sourceReferrals, IReadOnlyList<ReferralFacts> intakeReferrals, IReadOnlyDictionary<int, DateOnly> firstReferrals)
    {
        touchesByCampaign = touches.ToLookup(t => t.CampaignId);
        this.firstReferrals = firstReferrals;
        var bySource = competing.Concat(touches).DistinctBy(t => t.Id).ToLookup(t => t.SourceId);
        var attributed = new List<AttributedReferral>();
        foreach (var referral in sourceReferrals)
        {
            var winner = LastCampaignTouch(bySource[referral.SourceId!.Value], referral.ReceivedOn, window);
            if (winner is not null && touchesByCampaign.Contains(winner.CampaignId))
            {
                attributed.Add(Attributed(referral, winner.CampaignId, viaIntake: false));
            }
        }
        attributed.AddRange(intakeReferrals.Select(r => Attributed(r, r.CampaignId!.Value, viaIntake: true)));
        attributedByCampaign = attributed.OrderBy(a => a.ReceivedOn).ThenBy(a => a.ReferralId).ToLookup(a => a.CampaignId);
    }

    /// <summary>The rule in a sentence, with the window, for the page, the PDF and the API.</summary>
    public static string Rule(int window) =>
        string.Create(CultureInfo.InvariantCulture,
            $"A physician's referral counts for a campaign when the source was touched in the campaign at most {window} days before the referral ")
            + "(the same day counts); if the source was touched in several campaigns, the latest campaign touch wins, and touches outside any campaign "
            + "take nothing away. A direct-access referral counts for the campaign the patient named at intake.";

    /// <summary>The touch that takes the referral: the latest campaign touch in [d − W, d], the higher id on the same day.</summary>
    private static CampaignTouch? LastCampaignTouch(IEnumerable<CampaignTouch> campaignTouches, DateOnly receivedOn, int window)
    {
        var earliest = receivedOn.AddDays(-window);
        return campaignTouches.Where(t => t.OccurredOn >= earliest && t.OccurredOn <= receivedOn)
            .OrderByDescending(t => t.OccurredOn).ThenByDescending(t => t.Id).FirstOrDefault();
    }

    private static AttributedReferral Attributed(ReferralFacts r, int campaignId, bool viaIntake) =>
        new(r.Id, campaignId, r.SourceId, r.ReceivedOn, r.EvaluatedOn, r.VisitCount, r.PayerCategory, r.Channel, viaIntake);

    public IReadOnlyList<CampaignTouch> TouchesOf(int campaignId) => [.. touchesByCampaign[campaignId].OrderBy(t => t.OccurredOn).ThenBy(t => t.Id)];

    public IReadOnlyList<AttributedReferral> AttributedTo(int campaignId) => [.. attributedByCampaign[campaignId]];

    /// <summary>
    /// Reached sources with no referral received before their first touch in this campaign and at least one referral
    /// attributed to it: the campaign made them referrers.
    /// </summary>
    public IReadOnlyList<int> NewReferringSources(int campaignId, IReadOnlyList<AttributedReferral> attributed)
    {
        var attributedSources = attributed.Where(a => a.SourceId != null).Select(a => a.SourceId!.Value).ToHashSet();
        return [.. touchesByCampaign[campaignId].GroupBy(t => t.SourceId)
            .Where(g => attributedSources.Contains(g.Key)
                && (!firstReferrals.TryGetValue(g.Key, out var first) || first >= g.Min(t => t.OccurredOn)))
            .Select(g => g.Key)];
    }
}
