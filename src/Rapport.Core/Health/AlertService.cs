using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Health;

public sealed record AlertView(string Kind, AlertSource Source, IReadOnlyList<string> Reasons, DateOnly FirstRaisedAt, AlertNumbers Numbers,
    string Status, DateTime? AcknowledgedAt, DateOnly? SnoozedUntil, string? OwnerUserId, string? Owner)
{
    /// <summary><see cref="AlertTiers.Alert"/> (strong evidence or a plain fact) or <see cref="AlertTiers.Watch"/> (probably down, not yet certain).</summary>
    public string Tier { get; init; } = AlertTiers.Alert;
}

public sealed record AlertList(DateOnly AsOf, IReadOnlyList<AlertView> Alerts, long ComputeMilliseconds)
{
    /// <summary>The same list with one kind only; null keeps every kind.</summary>
    public AlertList OfKind(string? kind) => string.IsNullOrEmpty(kind) ? this : this with { Alerts = Alerts.Where(a => a.Kind == kind).ToList() };

    /// <summary>The same list with one tier only (alert or watch); null or blank keeps both, anything else is a validation problem on <c>tier</c>.</summary>
    public AlertList OfTier(string? tier) => SourceAlerts.CheckTier(tier) is { } known ? this with { Alerts = Alerts.Where(a => a.Tier == known).ToList() } : this;

    /// <summary>
    /// One row per source with all its alerts (<see cref="SourceAlerts"/>), alert-tier sources first,
    /// then by referrals/month at risk (<see cref="SourceAlerts.Ordered"/>).
    /// </summary>
    public IReadOnlyList<SourceAlerts> BySource() => SourceAlerts.Ordered(Alerts.GroupBy(a => a.Source.Id).Select(SourceAlerts.Of));

    /// <summary>
    /// The same list with the alerts of one owner (a user id) only, or of sources without an owner for
    /// <see cref="AlertRows.Unassigned"/> (as the alerts page's filter); null or blank keeps every owner.
    /// </summary>
    public AlertList OfOwner(string? ownerId) => ownerId switch
    {
        null or "" => this,
        AlertRows.Unassigned => this with { Alerts = Alerts.Where(a => a.OwnerUserId is null).ToList() },
        var id => this with { Alerts = Alerts.Where(a => a.OwnerUserId == id).ToList() },
    };

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    /// <summary>
    /// One page of the list, in its order, with how many there are in all. Neither page nor size
    /// given: every alert on one page (what clients had before paging). A page alone is
    /// <see cref="DefaultPageSize"/> long; a size above <see cref="MaxPageSize"/> or a page below 1
    /// is a validation problem.
    /// </summary>
    public AlertPage Paged(int? page, int? pageSize)
    {
        CheckPaging(page, pageSize);
        if (page is null && pageSize is null)
        {
            return new AlertPage(AsOf, Alerts, ComputeMilliseconds, Alerts.Count, 1, null);
        }
        var size = pageSize ?? DefaultPageSize;
        var number = page ?? 1;
        var items = Alerts.Skip((int)Math.Min(int.MaxValue, (long)(number - 1) * size)).Take(size).ToList();
        return new AlertPage(AsOf, items, ComputeMilliseconds, Alerts.Count, number, size);
    }

    /// <summary>A page below 1 or a size outside 1 to <see cref="MaxPageSize"/> is a validation problem naming the parameter.</summary>
    public static void CheckPaging(int? page, int? pageSize)
    {
        var problems = new Problems();
        if (page < 1) problems.Add("page", "Page must be 1 or more.");
        if (pageSize is < 1 or > MaxPageSize) problems.Add("pageSize", $"Page size must be between 1 and {MaxPageSize}.");
        problems.ThrowIfAny();
    }

    /// <summary>How many alerts of each kind, in <see cref="AlertKinds.All"/> order, kinds without any left out.</summary>
    public IReadOnlyList<(string Kind, int Count)> CountsByKind() =>
        AlertKinds.All.Select(k => (k, Alerts.Count(a => a.Kind == k))).Where(c => c.Item2 > 0).ToList();
}

/// <summary>
/// A page of an <see cref="AlertList"/>: the list's fields, and <paramref name="Total"/> alerts in all
/// (after the filters), <paramref name="Page"/> from 1, <paramref name="PageSize"/> null when unpaged.
/// </summary>
public sealed record AlertPage(DateOnly AsOf, IReadOnlyList<AlertView> Alerts, long ComputeMilliseconds, int Total, int Page, int? PageSize);

public sealed record AlertActionInput
{
    public int? SourceId { get; init; }
    public string? Kind { get; init; }
    /// <summary>For a snooze: the last day the alert stays hidden.</summary>
    public DateOnly? Until { get; init; }
}

public static class AlertStatuses
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Snoozed = "snoozed";
}

public sealed record HealthSettingsInput
{
    public int? RecentMonths { get; init; }
    public double? DeclineThresholdPercent { get; init; }
    public double? FalseDiscoveryRate { get; init; }
    public int? LapsedMinimumDays { get; init; }
    public int? ReciprocityGapDays { get; init; }
    public int? TopReferrerCadenceDays { get; init; }
    public int? OtherCadenceDays { get; init; }
    public int? ProspectCadenceDays { get; init; }
    public double? ConcentrationPercent { get; init; }
    public int? NewReferrerDays { get; init; }
    public decimal? NonMonetaryCapUsd { get; init; }
    /// <summary>Optional: left out, the current value stays (it came after the others, and scripts send those).</summary>
    public int? CallsPerOwner { get; init; }
    /// <summary>
    /// Specialties whose sources are not expected to receive refer-backs (<see cref="HealthSettings.NoReferBackSpecialties"/>).
    /// Optional like <see cref="CallsPerOwner"/>: null keeps the current list, an empty one clears it; blanks are ignored.
    /// </summary>
    public string?[]? NoReferBackSpecialties { get; init; }
}

public sealed record YearSpend(int Year, decimal Spend, int Touches, int Referrals);

/// <param name="NearCap">This calendar year's spend has reached <see cref="AlertService.CapWarningShare"/> of the cap.</param>
public sealed record SourceSpend(IReadOnlyList<YearSpend> Years, decimal CapUsd, decimal ThisYear, bool NearCap, bool OverCap);

/// <summary>
/// Relationship health for one organization: reads what the signals need in a handful of set-based
/// queries, evaluates them in memory (<see cref="HealthEvaluator"/>), and overlays acknowledgements
/// and snoozes. The alerts page, the API, the CLI, and later the dashboard and digest call this.
/// </summary>
public sealed class AlertService(RapportDbContext db, HealthSnapshotReader snapshots, PracticeClock time, PracticeReadCache cache)
{
    public async Task<HealthSettings> SettingsAsync(CancellationToken cancellationToken = default) =>
        await db.Set<HealthSettings>().AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new HealthSettings();

    public async Task<HealthSettings> SaveSettingsAsync(HealthSettingsInput input, CancellationToken cancellationToken = default)
    {
        var problems = new Problems();
        void Range(string field, double? value, double min, double max, string label)
        {
            if (value is null) problems.Add(field, $"{label} is required.");
            else if (value < min || value > max) problems.Add(field, $"{label} must be between {min} and {max}.");
        }
        Range("recentMonths", input.RecentMonths, 2, 12, "Recent window (months)");
        Range("declineThresholdPercent", input.DeclineThresholdPercent, 5, 95, "Drop threshold (%)");
        Range("falseDiscoveryRate", input.FalseDiscoveryRate, 0.001, 0.5, "False discovery rate");
        Range("lapsedMinimumDays", input.LapsedMinimumDays, 14, 730, "Lapsed minimum (days)");
        Range("reciprocityGapDays", input.ReciprocityGapDays, 7, 730, "Refer-back gap (days)");
        Range("topReferrerCadenceDays", input.TopReferrerCadenceDays, 1, 365, "Top referrer cadence (days)");
        Range("otherCadenceDays", input.OtherCadenceDays, 1, 365, "Other sources cadence (days)");
        Range("prospectCadenceDays", input.ProspectCadenceDays, 1, 365, "Prospect cadence (days)");
        Range("concentrationPercent", input.ConcentrationPercent, 5, 100, "Concentration limit (%)");
        Range("newReferrerDays", input.NewReferrerDays, 1, 365, "New referrer window (days)");
        Range("nonMonetaryCapUsd", (double?)input.NonMonetaryCapUsd, 0, 100_000, "Non-monetary compensation limit ($)");
        if (input.CallsPerOwner is not null) Range("callsPerOwner", input.CallsPerOwner, 1, 500, "Calls per liaison a week");
        var specialties = input.NoReferBackSpecialties is { } listed
            ? listed.Select(Formats.Clean).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList()
            : null;
        if (specialties?.FirstOrDefault(s => s.Length > SpecialtyMaxLength || s.Contains('\n')) is { } tooLong)
        {
            problems.Add("noReferBackSpecialties", $"'{tooLong[..Math.Min(40, tooLong.Length)]}…' is not a specialty name (one line, at most {SpecialtyMaxLength} characters).");
        }
        else if (specialties is not null && string.Join('\n', specialties).Length > NoReferBackSpecialtiesMaxLength)
        {
            problems.Add("noReferBackSpecialties", "Too many specialties listed; list fewer.");
        }
        problems.ThrowIfAny();
        var settings = await db.Set<HealthSettings>().FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new HealthSettings();
            db.Add(settings);
        }
        settings.RecentMonths = input.RecentMonths!.Value;
        settings.DeclineThresholdPercent = input.DeclineThresholdPercent!.Value;
        settings.FalseDiscoveryRate = input.FalseDiscoveryRate!.Value;
        settings.LapsedMinimumDays = input.LapsedMinimumDays!.Value;
        settings.ReciprocityGapDays = input.ReciprocityGapDays!.Value;
        settings.TopReferrerCadenceDays = input.TopReferrerCadenceDays!.Value;
        settings.OtherCadenceDays = input.OtherCadenceDays!.Value;
        settings.ProspectCadenceDays = input.ProspectCadenceDays!.Value;
        settings.ConcentrationPercent = input.ConcentrationPercent!.Value;
        settings.NewReferrerDays = input.NewReferrerDays!.Value;
        settings.NonMonetaryCapUsd = input.NonMonetaryCapUsd!.Value;
        settings.CallsPerOwner = input.CallsPerOwner ?? settings.CallsPerOwner;
        if (specialties is not null)
        {
            settings.NoReferBackSpecialties = specialties.Count == 0 ? null : string.Join('\n', specialties);
        }
        await db.SaveChangesAsync(cancellationToken);
        return settings;
    }

    /// <summary>As long as <see cref="Sources.ReferralSource.Specialty"/> may be.</summary>
    private const int SpecialtyMaxLength = 200;
    /// <summary>The column's length (<see cref="HealthSettingsConfiguration"/>).</summary>
    private const int NoReferBackSpecialtiesMaxLength = 4000;

    /// <summary>
    /// The specialties the practice's sources have (as written on them), for the settings page's
    /// "refer-backs not expected" choices; with those already listed that no source has any more.
    /// </summary>
    public async Task<IReadOnlyList<string>> SpecialtiesAsync(CancellationToken cancellationToken = default)
    {
        var used = await db.Sources.Where(s => s.ArchivedAt == null && s.Specialty != null).Select(s => s.Specialty!).Distinct().ToListAsync(cancellationToken);
        var listed = (await SettingsAsync(cancellationToken)).NoReferBackSpecialtyList();
        return [.. used.Select(s => s.Trim()).Concat(listed).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Warn when a physician's gifts this calendar year reach this share of the limit, before it is crossed.</summary>
    public const decimal CapWarningShare = 0.8m;

    /// <summary>
    /// Touch spend per calendar year next to the referrals that year (this year and the two before),
    /// and where this year's spend stands against the non-monetary compensation limit. Summed in
    /// memory: SQLite cannot sum decimals in SQL, and one source has few costed touches.
    /// </summary>
    public async Task<SourceSpend> SpendAsync(int sourceId, CancellationToken cancellationToken = default)
    {
        var today = time.Today();
        var from = new DateOnly(today.Year - 2, 1, 1);
        var costs = await db.Touchpoints.Where(t => t.SourceId == sourceId && t.OccurredOn >= from && t.OccurredOn <= today)
            .Select(t => new { t.OccurredOn.Year, t.Cost }).ToListAsync(cancellationToken);
        var referrals = await db.Referrals.Where(r => r.SourceId == sourceId && r.ReceivedOn >= from && r.ReceivedOn <= today)
            .GroupBy(r => r.ReceivedOn.Year).Select(g => new { Year = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Year, g => g.Count, cancellationToken);
        var years = Enumerable.Range(today.Year - 2, 3).Reverse().Select(year => new YearSpend(year,
            costs.Where(c => c.Year == year).Sum(c => c.Cost ?? 0), costs.Count(c => c.Year == year && c.Cost > 0), referrals.GetValueOrDefault(year))).ToList();
        var cap = (await SettingsAsync(cancellationToken)).NonMonetaryCapUsd;
        var thisYear = years[0].Spend;
        return new SourceSpend(years, cap, thisYear, cap > 0 && thisYear >= cap * CapWarningShare, cap > 0 && thisYear > cap);
    }

    /// <summary>Alerts as of a date (default today). Handled ones (acknowledged, snoozed) only when asked.</summary>
    public async Task<AlertList> ListAsync(DateOnly? asOf = null, bool includeHandled = false, int? sourceId = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var day = time.AsOfOrToday(asOf);
        // The evaluation is the costly part (every source's months, touches and refer-backs) and depends
        // only on the practice's data and the day: computed once per data version and day. Who handled
        // what, and the owners' names, are read fresh below.
        var alerts = await cache.GetOrComputeAsync(("alerts", day),
            async ct => HealthEvaluator.Evaluate(await SnapshotAsync(day, ct)), cancellationToken);
        var handled = await db.Set<AlertAcknowledgement>().AsNoTracking().ToListAsync(cancellationToken);
        var byKey = handled.ToDictionary(h => (h.SourceId, h.Kind));
        var owners = (await db.Users.Where(u => u.OrganizationId == db.Organization.RequiredId)
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(cancellationToken))
            .ToDictionary(u => u.Id, u => Users.UserNames.Display(u.DisplayName, u.Email));
        var views = new List<AlertView>();
        foreach (var alert in alerts.Where(a => sourceId is null || a.Source.Id == sourceId))
        {
            var h = byKey.GetValueOrDefault((alert.Source.Id, alert.Kind));
            var acknowledged = h?.AcknowledgedAt is not null && h.Fingerprint == alert.Fingerprint;
            var snoozed = h?.SnoozedUntil is { } until && until >= day;
            var status = snoozed ? AlertStatuses.Snoozed : acknowledged ? AlertStatuses.Acknowledged : AlertStatuses.Open;
            if (status != AlertStatuses.Open && !includeHandled)
            {
                continue;
            }
            views.Add(new AlertView(alert.Kind, alert.Source, alert.Reasons, alert.FirstRaisedAt, alert.Numbers, status,
                acknowledged ? h!.AcknowledgedAt : null, snoozed ? h!.SnoozedUntil : null, alert.OwnerUserId,
                alert.OwnerUserId is { } owner ? owners.GetValueOrDefault(owner) : null) { Tier = alert.Tier });
        }
        var ordered = views.OrderBy(v => Array.IndexOf(KindOrder, v.Kind)).ThenByDescending(v => v.Numbers.ExpectedMonthly ?? 0)
            .ThenBy(v => v.Source.Name, StringComparer.Ordinal).ToList();
        return new AlertList(day, ordered, watch.ElapsedMilliseconds);
    }

    private static readonly string[] KindOrder =
        [AlertKinds.Declining, AlertKinds.Lapsed, AlertKinds.ReciprocityGap, AlertKinds.TouchOverdue, AlertKinds.NewReferrer, AlertKinds.Concentration, AlertKinds.Rising];

    /// <summary>Acknowledges the alert as it stands today; it comes back when its evidence changes.</summary>
    public async Task AcknowledgeAsync(AlertActionInput input, string? by, CancellationToken cancellationToken = default)
    {
        var (sourceId, kind) = Check(input, snooze: false);
        var fingerprint = HealthEvaluator.Evaluate(await SnapshotAsync(time.Today(), cancellationToken))
            .FirstOrDefault(a => a.Source.Id == sourceId && a.Kind == kind)?.Fingerprint
            ?? throw new NotFoundException($"A {kind} alert for source {sourceId}");
        var row = await RowAsync(sourceId, kind, cancellationToken);
        row.Fingerprint = fingerprint;
        row.AcknowledgedAt = time.GetUtcNow().UtcDateTime;
        row.By = by;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Acknowledges every open alert of a source as it stands today (the alerts page's one row per
    /// source); each comes back when its own evidence changes. Snoozed ones stay snoozed and ones
    /// already acknowledged keep who did it and when. Returns how many were acknowledged.
    /// </summary>
    public async Task<int> AcknowledgeSourceAsync(int sourceId, string? by, CancellationToken cancellationToken = default)
    {
        var today = time.Today();
        var current = HealthEvaluator.Evaluate(await SnapshotAsync(today, cancellationToken)).Where(a => a.Source.Id == sourceId).ToList();
        if (current.Count == 0)
        {
            throw new NotFoundException($"An alert for source {sourceId}");
        }
        var rows = await db.Set<AlertAcknowledgement>().Where(a => a.SourceId == sourceId).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var acknowledged = 0;
        // A source can raise two alerts of one kind (concentration in the practice and in a clinic); they share a row.
        foreach (var alert in current.DistinctBy(a => a.Kind))
        {
            var row = rows.FirstOrDefault(r => r.Kind == alert.Kind);
            if (row?.SnoozedUntil >= today || (row?.AcknowledgedAt is not null && row.Fingerprint == alert.Fingerprint))
            {
                continue;
            }
            if (row is null)
            {
                row = new AlertAcknowledgement { SourceId = sourceId, Kind = alert.Kind };
                db.Add(row);
            }
            row.Fingerprint = alert.Fingerprint;
            row.AcknowledgedAt = now;
            row.By = by;
            acknowledged++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return acknowledged;
    }

    /// <summary>Snoozes every alert the source raises today until a date (inclusive). Returns how many.</summary>
    public async Task<int> SnoozeSourceAsync(int sourceId, DateOnly? until, string? by, CancellationToken cancellationToken = default)
    {
        var today = time.Today();
        if (until is null) throw new ValidationException("until", "Snooze until which date?");
        if (until < today) throw new ValidationException("until", "The snooze date must not be in the past.");
        var kinds = HealthEvaluator.Evaluate(await SnapshotAsync(today, cancellationToken))
            .Where(a => a.Source.Id == sourceId).Select(a => a.Kind).Distinct().ToList();
        if (kinds.Count == 0)
        {
            throw new NotFoundException($"An alert for source {sourceId}");
        }
        var rows = await db.Set<AlertAcknowledgement>().Where(a => a.SourceId == sourceId).ToListAsync(cancellationToken);
        foreach (var kind in kinds)
        {
            var row = rows.FirstOrDefault(r => r.Kind == kind);
            if (row is null)
            {
                row = new AlertAcknowledgement { SourceId = sourceId, Kind = kind };
                db.Add(row);
            }
            row.SnoozedUntil = until;
            row.By = by;
        }
        await db.SaveChangesAsync(cancellationToken);
        return kinds.Count;
    }

    public async Task SnoozeAsync(AlertActionInput input, string? by, CancellationToken cancellationToken = default)
    {
        var (sourceId, kind) = Check(input, snooze: true);
        if (!await db.Sources.AnyAsync(s => s.Id == sourceId, cancellationToken))
        {
            throw new NotFoundException($"Source {sourceId}");
        }
        var row = await RowAsync(sourceId, kind, cancellationToken);
        row.SnoozedUntil = input.Until;
        row.By = by;
        await db.SaveChangesAsync(cancellationToken);
    }

    private (int SourceId, string Kind) Check(AlertActionInput input, bool snooze)
    {
        var problems = new Problems();
        if (input.SourceId is null) problems.Add("sourceId", "Source is required.");
        if (input.Kind is null || !AlertKinds.All.Contains(input.Kind)) problems.Add("kind", $"Kind must be one of {string.Join(", ", AlertKinds.All)}.");
        if (snooze)
        {
            if (input.Until is null) problems.Add("until", "Snooze until which date?");
            else if (input.Until < time.Today()) problems.Add("until", "The snooze date must not be in the past.");
        }
        problems.ThrowIfAny();
        return (input.SourceId!.Value, input.Kind!);
    }

    private async Task<AlertAcknowledgement> RowAsync(int sourceId, string kind, CancellationToken cancellationToken)
    {
        var row = await db.Set<AlertAcknowledgement>().FirstOrDefaultAsync(a => a.SourceId == sourceId && a.Kind == kind, cancellationToken);
        if (row is null)
        {
            row = new AlertAcknowledgement { SourceId = sourceId, Kind = kind };
            db.Add(row);
        }
        return row;
    }

    /// <summary>Everything the signals read as of a date, with this organization's thresholds (<see cref="HealthSnapshotReader"/>).</summary>
    public async Task<HealthSnapshot> SnapshotAsync(DateOnly asOf, CancellationToken cancellationToken = default) =>
        await snapshots.ReadAsync(asOf, (await SettingsAsync(cancellationToken)).ToRules(), cancellationToken);
}
