using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rapport.Common;
using Rapport.Data;
using Rapport.Outcomes.Instruments;

namespace Rapport.Outcomes;

public sealed record OutcomesOptions
{
    /// <summary>Groups with fewer episodes than this are shown as suppressed (aggregates only, small cells hidden).</summary>
    public int MinimumCellSize { get; init; } = 5;
}

/// <summary>How a cohort is grouped. Condition is the procedure where one is recorded, else the body region.</summary>
public enum CohortSlice { All, Procedure, BodyRegion, Icd10, Clinic, Therapist, Source, Payer, Month, Condition }

public sealed record CohortQuery
{
    public string? Instrument { get; init; }
    public CohortSlice By { get; init; } = CohortSlice.All;
    /// <summary>Only episodes whose intake falls in [From, To].</summary>
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    /// <summary>Only episodes referred by this source (a physician's report card).</summary>
    public int? SourceId { get; init; }
    /// <summary>Overrides the configured minimum cell size (never below 1).</summary>
    public int? MinimumCellSize { get; init; }
}

/// <summary>One slice of a cohort. When suppressed, only the group name is shown.</summary>
/// <param name="McidShare">Share of episodes (0–1) whose change reached the MCID by their last form.</param>
/// <param name="TimeToMcid">Kaplan–Meier of days from intake to MCID; not reaching it is censored at the last form.</param>
public sealed record CohortGroup(string Group, bool Suppressed, int? N, Estimate? MeanChange, Estimate? MedianChange, int? McidReached,
    double? McidShare, KaplanMeierResult? TimeToMcid)
{
    /// <summary>Sliced by intake month only: true for the month so far (to today), which is not a complete month.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Partial { get; init; }
}

/// <summary>The mean score of the episodes assessed in one week since intake.</summary>
public sealed record WeeklyMean(int Week, double Mean, int N);

public sealed record CohortResults(string Instrument, string InstrumentName, ScoreDirection Direction, double? Mcid, string By, int MinimumCellSize,
    IReadOnlyList<CohortGroup> Groups);

public static class CohortSlices
{
    /// <summary>The wire names, as the API's ?by= and the CLI's --by take them.</summary>
    public static readonly IReadOnlyDictionary<string, CohortSlice> Names = new Dictionary<string, CohortSlice>(StringComparer.OrdinalIgnoreCase)
    {
        ["all"] = CohortSlice.All, ["procedure"] = CohortSlice.Procedure, ["body-region"] = CohortSlice.BodyRegion, ["icd10"] = CohortSlice.Icd10,
        ["clinic"] = CohortSlice.Clinic, ["therapist"] = CohortSlice.Therapist, ["source"] = CohortSlice.Source, ["payer"] = CohortSlice.Payer,
        ["month"] = CohortSlice.Month, ["condition"] = CohortSlice.Condition,
    };

    public static CohortSlice Parse(string? by) =>
        string.IsNullOrWhiteSpace(by) ? CohortSlice.All
        : Names.TryGetValue(by.Trim(), out var slice) ? slice
        : throw new ValidationException("by", $"Unknown grouping '{by}'; use one of {string.Join(", ", Names.Keys)}.");

    public static string NameOf(CohortSlice slice) => Names.First(n => n.Value == slice).Key;
}

/// <summary>
/// Cohort results for one instrument: each episode's outcome (see <see cref="EpisodeOutcome"/>),
/// grouped by a slice, with n, mean and median change with 95% intervals, share reaching MCID and
/// the Kaplan–Meier time to MCID. Episodes count once they have an intake form and a later form.
/// </summary>
public sealed class OutcomeResults(RapportDbContext db, IOptions<OutcomesOptions> options, PracticeClock time)
{
    private const string NotRecorded = "(not recorded)";

    public async Task<CohortResults> CohortAsync(CohortQuery query, CancellationToken cancellationToken = default)
    {
        var instrument = InstrumentCatalog.Get(query.Instrument);
        var minimum = Math.Max(1, query.MinimumCellSize ?? options.Value.MinimumCellSize);
        var today = time.Today();
        var assessments = db.Set<OutcomeAssessment>().AsNoTracking()
            .Where(a => a.Instrument == instrument.Code && a.Scorable && a.Score != null);
        if (query.SourceId is { } sourceId)
        {
            assessments = assessments.Where(a => a.Referral!.SourceId == sourceId);
        }
        var rows = await assessments
            .Select(a => new
            {
                a.ReferralId, a.AssessedOn, a.Timepoint, Score = a.Score!.Value, a.VisitNumber,
                a.Referral!.Procedure, a.Referral.BodyRegion, a.Referral.DiagnosisCodes, ClinicName = a.Referral.Clinic!.Name, a.Referral.Therapist,
                SourceName = a.Referral.Source == null ? null
                    : (a.Referral.Source.FirstName == null ? a.Referral.Source.LastName : a.Referral.Source.FirstName + " " + a.Referral.Source.LastName)
                      + (a.Referral.Source.Credential == null ? "" : ", " + a.Referral.Source.Credential),
                a.Referral.PayerCategory, a.Referral.EvaluatedOn, a.Referral.DischargedOn, a.Referral.VisitCount,
            })
            .ToListAsync(cancellationToken);
        var episodes = new List<(string Group, EpisodeOutcome Outcome)>();
        foreach (var episode in rows.GroupBy(r => r.ReferralId))
        {
            var first = episode.First();
            var outcome = EpisodeOutcome.Compute(instrument, episode.Select(r => new ScoredForm(r.AssessedOn, r.Timepoint, r.Score, r.VisitNumber)),
                new EpisodeFacts(first.EvaluatedOn, first.DischargedOn, first.VisitCount, today));
            if (outcome is null || (query.From is { } from && outcome.IntakeOn < from) || (query.To is { } to && outcome.IntakeOn > to))
            {
                continue;
            }
            var group = query.By switch
            {
                CohortSlice.Procedure => first.Procedure,
                CohortSlice.BodyRegion => first.BodyRegion,
                CohortSlice.Icd10 => Icd10Category(first.DiagnosisCodes),
                CohortSlice.Clinic => first.ClinicName,
                CohortSlice.Therapist => first.Therapist,
                CohortSlice.Source => first.SourceName ?? "(direct access)",
                CohortSlice.Payer => first.PayerCategory?.ToString(),
                CohortSlice.Month => outcome.IntakeOn.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                CohortSlice.Condition => first.Procedure ?? first.BodyRegion,
                _ => "All episodes",
            };
            episodes.Add((group ?? NotRecorded, outcome));
        }
        var thisMonth = time.Today().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var groups = episodes.GroupBy(e => e.Group)
            .Select(g => Summarize(g.Key, [.. g.Select(e => e.Outcome)], minimum))
            .Select(g => query.By == CohortSlice.Month ? g with { Partial = g.Group == thisMonth } : g)
            .OrderByDescending(g => g.Suppressed ? 0 : 1).ThenByDescending(g => g.N ?? 0).ThenBy(g => g.Group, StringComparer.Ordinal)
            .ToList();
        return new CohortResults(instrument.Code, instrument.Name, instrument.Direction, instrument.Mcid, CohortSlices.NameOf(query.By), minimum, groups);
    }

    /// <summary>
    /// Mean score by whole week since intake (week 0 = the intake week) over the episodes a cohort
    /// counts (same rule and intake-date filter as <see cref="CohortAsync"/>), one form per episode and
    /// week (the latest). Weeks with fewer episodes than the minimum cell size are left out.
    /// </summary>
    public async Task<IReadOnlyList<WeeklyMean>> ScoreByWeekAsync(CohortQuery query, int maxWeeks = 16, CancellationToken cancellationToken = default)
    {
        var instrument = InstrumentCatalog.Get(query.Instrument);
        var minimum = Math.Max(1, query.MinimumCellSize ?? options.Value.MinimumCellSize);
        var today = time.Today();
        var assessments = db.Set<OutcomeAssessment>().AsNoTracking()
            .Where(a => a.Instrument == instrument.Code && a.Scorable && a.Score != null);
        if (query.SourceId is { } sourceId)
        {
            assessments = assessments.Where(a => a.Referral!.SourceId == sourceId);
        }
        var rows = await assessments
            .Select(a => new { a.ReferralId, a.AssessedOn, a.Timepoint, Score = a.Score!.Value, a.VisitNumber, a.Referral!.EvaluatedOn, a.Referral.DischargedOn, a.Referral.VisitCount })
            .ToListAsync(cancellationToken);
        var byWeek = new Dictionary<int, List<double>>();
        foreach (var episode in rows.GroupBy(r => r.ReferralId))
        {
            var first = episode.First();
            var forms = episode.Select(r => new ScoredForm(r.AssessedOn, r.Timepoint, r.Score, r.VisitNumber)).ToList();
            var outcome = EpisodeOutcome.Compute(instrument, forms, new EpisodeFacts(first.EvaluatedOn, first.DischargedOn, first.VisitCount, today));
            if (outcome is null || (query.From is { } from && outcome.IntakeOn < from) || (query.To is { } to && outcome.IntakeOn > to))
            {
                continue;
            }
            foreach (var week in forms.Where(f => f.AssessedOn >= outcome.IntakeOn)
                .GroupBy(f => (f.AssessedOn.DayNumber - outcome.IntakeOn.DayNumber) / 7)
                .Where(w => w.Key <= maxWeeks))
            {
                if (!byWeek.TryGetValue(week.Key, out var scores))
                {
                    byWeek[week.Key] = scores = [];
                }
                scores.Add(week.OrderBy(f => f.AssessedOn).Last().Score);
            }
        }
        return [.. byWeek.Where(w => w.Value.Count >= minimum).OrderBy(w => w.Key).Select(w => new WeeklyMean(w.Key, w.Value.Average(), w.Value.Count))];
    }

    internal static CohortGroup Summarize(string group, IReadOnlyList<EpisodeOutcome> outcomes, int minimum)
    {
        if (outcomes.Count < minimum)
        {
            return new CohortGroup(group, true, null, null, null, null, null, null);
        }
        var changes = outcomes.Select(o => o.Change).ToList();
        var reached = outcomes.Count(o => o.McidReached);
        var hasMcid = outcomes[0].Mcid is not null;
        return new CohortGroup(group, false, outcomes.Count, OutcomeStatistics.Mean(changes), OutcomeStatistics.Median(changes),
            hasMcid ? reached : null, hasMcid ? (double)reached / outcomes.Count : null,
            hasMcid ? OutcomeStatistics.KaplanMeier([.. outcomes.Select(o => new TimeToEvent(o.DaysToMcid ?? o.DaysObserved, o.McidReached))]) : null);
    }

    /// <summary>The ICD-10-CM category (first three characters) of the episode's first code, e.g. "M17" for M17.11.</summary>
    private static string? Icd10Category(string? codes) =>
        Formats.Clean(codes?.Split(',')[0]) is { Length: >= 3 } first ? first[..3].ToUpperInvariant() : null;
}

public static class OutcomesRegistration
{
    public static IServiceCollection AddRapportOutcomes(this IServiceCollection services)
    {
        services.AddOptions<OutcomesOptions>().BindConfiguration("Outcomes").Validate(o => o.MinimumCellSize >= 1, "Outcomes:MinimumCellSize must be at least 1.");
        services.AddScoped<AssessmentService>();
        services.AddScoped<OutcomeResults>();
        return services;
    }
}
