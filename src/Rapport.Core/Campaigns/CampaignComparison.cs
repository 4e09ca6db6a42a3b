using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Rapport.Data;

namespace Rapport.Campaigns;

/// <summary>
/// The reached sources beside the comparison group — the practice's sources of the same specialties that the campaign did
/// not reach — over the measured period and the equally long period just before it, so a season does not pass for success.
/// </summary>
/// <param name="SpecialtiesFromReached">The campaign names no target specialties, so the reached sources' specialties were used.</param>
/// <param name="Relative">The reached sources' change (during ÷ before) relative to the comparison group's, with its interval: the verdict's basis.</param>
/// <param name="TooSmall">A group has fewer than <see cref="CampaignComparisonBuilder.MinimumGroupSize"/> sources: shown as counts, not compared.</param>
public sealed record CampaignComparison(
    IReadOnlyList<string> Specialties, bool SpecialtiesFromReached, IReadOnlyList<string> Clinics,
    DateOnly DuringFrom, DateOnly DuringTo, DateOnly BeforeFrom, DateOnly BeforeTo,
    ComparisonGroup Reached, ComparisonGroup Comparison, bool TooSmall, string Verdict, RelativeChange Relative)
{
    [JsonIgnore]
    public IReadOnlyList<int> ComparisonSourceIds { get; init; } = [];
}

/// <summary>
/// One group over both periods: how many of its sources referred (share, Wilson interval) and its referrals per source per
/// month (Garwood interval), all referrals of the group's sources counted alike (attributed or not).
/// </summary>
/// <param name="ShareChange">Share that referred during − before, in fractions (0.10 = 10 points).</param>
/// <param name="RateChange">Referrals per source per month during − before.</param>
public sealed record ComparisonGroup(int Sources, ShareInterval ReferredDuring, ShareInterval ReferredBefore,
    RateInterval PerSourceMonthDuring, RateInterval PerSourceMonthBefore, double? ShareChange, double? RateChange);

internal sealed class CampaignComparisonBuilder(RapportDbContext db)
{
    /// <summary>Below this many sources a group's share moves by 20 points for one source: it is shown, not compared.</summary>
    public const int MinimumGroupSize = 5;

    /// <summary>The average month in days (365.25 / 12), to turn source-days into source-months.</summary>
    public const double DaysPerMonth = 30.4375;

    public static IReadOnlyList<string> Specialties(string? targetSpecialties) =>
        [.. (targetSpecialties ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.OrdinalIgnoreCase)];

    public async Task<CampaignComparison> BuildAsync(Campaign campaign, IReadOnlySet<int> reached, DateOnly from, DateOnly to, bool notStarted,
        CancellationToken cancellationToken)
    {
        var days = notStarted ? 0 : to.DayNumber - from.DayNumber + 1;
        var beforeTo = from.AddDays(-1);
        var beforeFrom = from.AddDays(-Math.Max(days, 1));
        var clinicIds = campaign.Clinics.Select(c => c.ClinicId).ToList();
        var specialties = Specialties(campaign.TargetSpecialties);
        var fromReached = specialties.Count == 0;
        var sources = await db.Set<Sources.ReferralSource>().AsNoTracking()
            .Select(s => new { s.Id, s.Specialty, s.ClinicId, s.ArchivedAt }).ToListAsync(cancellationToken);
        if (fromReached)
        {
            specialties = [.. sources.Where(s => reached.Contains(s.Id) && !string.IsNullOrWhiteSpace(s.Specialty)).Select(s => s.Specialty!.Trim())
                .Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(s => s, StringComparer.OrdinalIgnoreCase)];
        }
        var wanted = specialties.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var comparisonIds = sources
            .Where(s => !reached.Contains(s.Id) && s.ArchivedAt == null && s.Specialty is not null && wanted.Contains(s.Specialty.Trim())
                && (clinicIds.Count == 0 || (s.ClinicId is { } clinic && clinicIds.Contains(clinic))))
            .Select(s => s.Id).ToList();
        var all = reached.Concat(comparisonIds).ToList();
        var referrals = all.Count == 0 || days == 0 ? [] : await db.Referrals.AsNoTracking()
            .Where(r => r.SourceId != null && all.Contains(r.SourceId.Value) && r.ReceivedOn >= beforeFrom && r.ReceivedOn <= to)
            .Select(r => new { SourceId = r.SourceId!.Value, r.ReceivedOn }).ToListAsync(cancellationToken);

        ComparisonGroup Group(IReadOnlyCollection<int> ids)
        {
            var set = ids.ToHashSet();
            var mine = referrals.Where(r => set.Contains(r.SourceId)).ToList();
            var during = mine.Where(r => r.ReceivedOn >= from).ToList();
            var before = mine.Where(r => r.ReceivedOn <= beforeTo).ToList();
            var exposure = ids.Count * days / DaysPerMonth;
            var shareDuring = CampaignStatistics.Wilson(during.Select(r => r.SourceId).Distinct().Count(), ids.Count);
            var shareBefore = CampaignStatistics.Wilson(before.Select(r => r.SourceId).Distinct().Count(), ids.Count);
            var rateDuring = CampaignStatistics.Garwood(during.Count, exposure);
            var rateBefore = CampaignStatistics.Garwood(before.Count, exposure);
            return new ComparisonGroup(ids.Count, shareDuring, shareBefore, rateDuring, rateBefore,
                shareDuring.Share - shareBefore.Share, rateDuring.Rate - rateBefore.Rate);
        }

        var reachedGroup = Group([.. reached]);
        var comparisonGroup = Group(comparisonIds);
        var tooSmall = reachedGroup.Sources < MinimumGroupSize || comparisonGroup.Sources < MinimumGroupSize || days == 0;
        var relative = CampaignStatistics.Relative(reachedGroup.PerSourceMonthDuring.Count, reachedGroup.PerSourceMonthBefore.Count,
            comparisonGroup.PerSourceMonthDuring.Count, comparisonGroup.PerSourceMonthBefore.Count);
        return new CampaignComparison(specialties, fromReached,
            [.. campaign.Clinics.Select(c => c.Clinic?.Name ?? "").OrderBy(n => n, StringComparer.OrdinalIgnoreCase)],
            from, notStarted ? from : to, beforeFrom, beforeTo, reachedGroup, comparisonGroup, tooSmall,
            Verdict(reachedGroup, comparisonGroup, relative, days), relative)
        {
            ComparisonSourceIds = comparisonIds,
        };
    }

    /// <summary>What the comparison says in plain words; never a bare percentage, and plainly "too small" when it is.</summary>
    private static string Verdict(ComparisonGroup reached, ComparisonGroup comparison, RelativeChange relative, int days)
    {
        if (days == 0)
        {
            return "The campaign has not started: there is nothing to compare yet.";
        }
        if (reached.Sources < MinimumGroupSize || comparison.Sources < MinimumGroupSize)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Too small to compare: the campaign reached {reached.Sources} source{(reached.Sources == 1 ? "" : "s")} and the comparison group has "
                + $"{comparison.Sources} (at least {MinimumGroupSize} each are needed). The counts are shown as they are.");
        }
        if (relative.Ratio is not { } ratio)
        {
            return reached.PerSourceMonthDuring.Count + reached.PerSourceMonthBefore.Count == 0
                ? string.Create(CultureInfo.InvariantCulture,
                    $"The reached sources sent no referrals before or during the campaign, while the comparison group went from "
                    + $"{comparison.PerSourceMonthBefore.Rate:0.00} to {comparison.PerSourceMonthDuring.Rate:0.00} referrals a source a month: nothing came of it yet.")
                : "The comparison group sent no referrals before or during the campaign: there is nothing to compare against.";
        }
        // Both groups' before and during rates first, so the reader sees what moved, then the change net of the comparison group's.
        var moved = string.Create(CultureInfo.InvariantCulture,
            $"Over the same weeks the reached sources went from {reached.PerSourceMonthBefore.Rate:0.00} to {reached.PerSourceMonthDuring.Rate:0.00} referrals a source a month "
            + $"and the comparison group from {comparison.PerSourceMonthBefore.Rate:0.00} to {comparison.PerSourceMonthDuring.Rate:0.00}: "
            + $"relative to the comparison group, ×{ratio:0.00} (95% CI {relative.Low:0.00}–{relative.High:0.00}).");
        return relative.Low > 1
            ? moved + " The reached sources rose more than the season and the practice's trend explain."
            : relative.High < 1
                ? moved + " The reached sources fell behind the comparison group."
                : moved + " That is within chance: no evidence the campaign changed how much its sources refer.";
    }
}
