using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Dashboard;
using Rapport.Data;
using Rapport.Documents;
using Rapport.Nps;
using Rapport.Outcomes;
using Rapport.Outcomes.Instruments;

namespace Rapport.ReportCards;

/// <summary>
/// The figures of one physician's report card for one period, each beside the practice's. The
/// outcome figures come from <see cref="OutcomeResults"/> and the NPS from <see cref="NpsResults"/>
/// (their definitions, their small-cell rule); referral figures follow the dashboard's conversion
/// definitions (evaluated ÷ received, median days received → evaluated capped at 365). Practice-wide
/// figures are computed once per period and reused for every card of a scope (a batch).
/// Aggregates only: no patient name or date of birth is read.
/// </summary>
public sealed class ReportCardService(RapportDbContext db, OutcomeResults outcomes, NpsResults nps, DocumentTemplates templates,
    ReportCardSettingsService settings, PracticeClock time)
{
    public const string AllConditions = "All conditions";
    public const int MaxOutcomeRows = 10;
    public const int MaxComments = 3;

    private readonly Dictionary<string, object> practiceCache = [];
    private ReportCardSettings? cachedSettings;
    private string? cachedPracticeName;

    public async Task<ReportCardSettings> SettingsAsync(CancellationToken cancellationToken = default) =>
        cachedSettings ??= await settings.GetAsync(cancellationToken);

    public async Task<ReportCard> BuildAsync(int sourceId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var source = await db.Sources.AsNoTracking().Where(s => s.Id == sourceId)
            .Select(s => new { s.Id, s.FirstName, s.LastName, s.Credential, s.Npi, s.Specialty, s.PracticeName })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException($"Source {sourceId}");
        var minimum = (await SettingsAsync(cancellationToken)).MinimumCellSize;
        var practiceName = cachedPracticeName ??= await db.Organizations.Where(o => o.Id == db.Organization.RequiredId).Select(o => o.Name).FirstAsync(cancellationToken);
        var name = Sources.SourceNames.Display(source.FirstName, source.LastName, source.Credential);

        var referrals = await ReferralFiguresAsync(sourceId, from, to, minimum, cancellationToken);
        var (rows, chart) = await OutcomeRowsAsync(sourceId, from, to, minimum, cancellationToken);
        var yourNps = await nps.SummaryAsync(new NpsFilter { From = from, To = to, SourceId = sourceId }, cancellationToken);
        var practiceNps = await CachedAsync($"nps:{from}:{to}", () => nps.SummaryAsync(new NpsFilter { From = from, To = to }, cancellationToken));
        var comments = await nps.CommentsAsync(new NpsCommentQuery { From = from, To = to, SourceId = sourceId, SharedOnly = true, Limit = MaxComments }, cancellationToken);

        var intro = await templates.RenderAsync(ReportCardTemplates.IntroKind, new Dictionary<string, string?>
        {
            ["physician.name"] = name,
            ["physician.salutation"] = Sources.SourceNames.Salutation(source.FirstName, source.LastName, source.Credential),
            ["practice.name"] = practiceName,
            ["period.from"] = from.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
            ["period.to"] = to.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
            ["referrals.count"] = referrals.Received.ToString(CultureInfo.InvariantCulture),
            ["minimum"] = minimum.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken);

        return new ReportCard(new ReportCardSource(source.Id, name, source.Npi, source.Specialty, source.PracticeName), practiceName, from, to,
            time.Today(), minimum, intro, referrals, rows,
            Compare(NpsFigure(yourNps, minimum), NpsFigure(practiceNps, minimum)),
            [.. comments.Select(c => new SharedComment(c.RespondedOn.ToString("MMMM yyyy", CultureInfo.InvariantCulture), c.Score, c.Comment))],
            chart);
    }

    private async Task<ReferralFigures> ReferralFiguresAsync(int sourceId, DateOnly from, DateOnly to, int minimum, CancellationToken cancellationToken)
    {
        var yours = Summarize(await ReferralRowsAsync(sourceId, from, to, cancellationToken));
        var practice = await CachedAsync($"referrals:{from}:{to}", async () => Summarize(await ReferralRowsAsync(null, from, to, cancellationToken)));
        Comparison Pair(Func<ReferralSummary, (double? Value, int N)> pick, Func<double, string> format)
        {
            var (yourValue, yourN) = pick(yours);
            var (practiceValue, practiceN) = pick(practice);
            return Compare(Figure.Of(yourValue, yourN, minimum, format), Figure.Of(practiceValue, practiceN, minimum, format));
        }
        return new ReferralFigures(yours.Received, practice.Received,
            Pair(s => (s.Received == 0 ? null : (double)s.Scheduled / s.Received, s.Received), Figure.Percent),
            Pair(s => (s.Received == 0 ? null : (double)s.Evaluated / s.Received, s.Received), Figure.Percent),
            Pair(s => (DashboardService.Median(s.DaysToEvaluation.GroupBy(d => d).Select(g => (g.Key, g.Count()))), s.Evaluated), Figure.Days),
            Pair(s => (s.DischargedVisits.Count == 0 ? null : s.DischargedVisits.Average(), s.DischargedVisits.Count), Figure.OneDecimal),
            Pair(s => (s.Ended == 0 ? null : (double)s.DischargedVisits.Count / s.Ended, s.Ended), Figure.Percent));
    }

    private sealed record ReferralRow(DateOnly ReceivedOn, DateOnly? ScheduledOn, DateOnly? EvaluatedOn, DateOnly? DischargedOn, DateOnly? LostOn, int VisitCount);

    private sealed record ReferralSummary(int Received, int Scheduled, int Evaluated, IReadOnlyList<int> DaysToEvaluation, IReadOnlyList<int> DischargedVisits, int Ended);

    private Task<List<ReferralRow>> ReferralRowsAsync(int? sourceId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var referrals = db.Referrals.AsNoTracking().Where(r => r.ReceivedOn >= from && r.ReceivedOn <= to);
        if (sourceId is { } id)
        {
            referrals = referrals.Where(r => r.SourceId == id);
        }
        return referrals.Select(r => new ReferralRow(r.ReceivedOn, r.ScheduledOn, r.EvaluatedOn, r.DischargedOn, r.LostOn, r.VisitCount)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Over referrals received in the period: scheduled = has a scheduled or evaluation date;
    /// evaluated = has an evaluation date; days to evaluation capped to 0–365 as the dashboard's
    /// rollups do; visits per episode over the discharged episodes; completed the plan = discharged
    /// among the evaluated episodes that ended (discharged, or lost after the evaluation).
    /// </summary>
    private static ReferralSummary Summarize(List<ReferralRow> rows)
    {
        var evaluated = rows.Where(r => r.EvaluatedOn is not null).ToList();
        var discharged = rows.Where(r => r.DischargedOn is not null).ToList();
        return new ReferralSummary(rows.Count, rows.Count(r => r.ScheduledOn is not null || r.EvaluatedOn is not null), evaluated.Count,
            [.. evaluated.Select(r => Math.Clamp(r.EvaluatedOn!.Value.DayNumber - r.ReceivedOn.DayNumber, 0, Dashboard.EvaluationLagStat.MaxLagDays))],
            [.. discharged.Select(r => r.VisitCount)],
            discharged.Count + rows.Count(r => r.DischargedOn is null && r.LostOn is not null && r.EvaluatedOn is not null));
    }

    private async Task<(List<OutcomeRow> Rows, ScoreByWeek? Chart)> OutcomeRowsAsync(int sourceId, DateOnly from, DateOnly to, int minimum, CancellationToken cancellationToken)
    {
        var instruments = await db.Set<OutcomeAssessment>().AsNoTracking()
            .Where(a => a.Referral!.SourceId == sourceId && a.Scorable && a.AssessedOn >= from)
            .Select(a => a.Instrument).Distinct().ToListAsync(cancellationToken);
        var blocks = new List<(Instrument Instrument, int Weight, List<OutcomeRow> Rows)>();
        foreach (var code in instruments)
        {
            if (InstrumentCatalog.Find(code) is not { } instrument)
            {
                continue;
            }
            CohortQuery Query(CohortSlice by, int? source) => new() { Instrument = code, By = by, From = from, To = to, SourceId = source, MinimumCellSize = minimum };
            var yourAll = await outcomes.CohortAsync(Query(CohortSlice.All, sourceId), cancellationToken);
            if (yourAll.Groups.Count == 0)
            {
                continue;
            }
            var yourConditions = await outcomes.CohortAsync(Query(CohortSlice.Condition, sourceId), cancellationToken);
            var practiceAll = await CachedAsync($"cohort:{code}:all:{from}:{to}", () => outcomes.CohortAsync(Query(CohortSlice.All, null), cancellationToken));
            var practiceConditions = await CachedAsync($"cohort:{code}:condition:{from}:{to}", () => outcomes.CohortAsync(Query(CohortSlice.Condition, null), cancellationToken));
            // One row per condition, with an "All conditions" row first when there are several.
            // When the instrument as a whole is below the minimum, so is every condition: one row says so.
            var rows = new List<OutcomeRow>();
            if (yourConditions.Groups.Count > 1)
            {
                rows.Add(Row(instrument, AllConditions, yourAll.Groups[0], practiceAll.Groups.Count > 0 ? practiceAll.Groups[0] : null, minimum));
            }
            if (!yourAll.Groups[0].Suppressed || yourConditions.Groups.Count == 1)
            {
                rows.AddRange(yourConditions.Groups.Select(g => Row(instrument, g.Group, g, practiceConditions.Groups.FirstOrDefault(p => p.Group == g.Group), minimum)));
            }
            blocks.Add((instrument, yourAll.Groups[0].N ?? 0, rows));
        }
        var ordered = blocks.OrderByDescending(b => b.Weight).ThenBy(b => b.Instrument.Code, StringComparer.Ordinal).ToList();
        var main = ordered.Where(b => b.Weight >= minimum).Select(b => b.Instrument).FirstOrDefault();
        var chart = main is null ? null : await ScoreByWeekAsync(main, sourceId, from, to, minimum, cancellationToken);
        return ([.. ordered.SelectMany(b => b.Rows).Take(MaxOutcomeRows)], chart);
    }

    private static OutcomeRow Row(Instrument instrument, string condition, CohortGroup yours, CohortGroup? practice, int minimum)
    {
        Figure Mean(CohortGroup? g) => g is null ? Figure.None : g.Suppressed ? Figure.Hidden(minimum)
            : new Figure(g.MeanChange?.Value, g.N, false, g.MeanChange is { } m ? Figure.WithSign(m.Value) : "—");
        Figure Share(CohortGroup? g) => g is null ? Figure.None : g.Suppressed ? Figure.Hidden(minimum)
            : g.McidShare is { } share ? new Figure(share, g.N, false, Figure.Percent(share)) : Figure.None with { N = g.N };
        Figure Days(CohortGroup? g) => g is null ? Figure.None : g.Suppressed ? Figure.Hidden(minimum)
            : g.TimeToMcid is null ? Figure.None with { N = g.N }
            : g.TimeToMcid.MedianDays is { } days ? new Figure(days, g.N, false, days.ToString(CultureInfo.InvariantCulture)) : new Figure(null, g.N, false, "not reached");
        var patients = yours.Suppressed ? Figure.Hidden(minimum) : new Figure(yours.N, yours.N, false, yours.N!.Value.ToString(CultureInfo.InvariantCulture));
        return new OutcomeRow(instrument.Code, instrument.Name, ShortName(instrument), condition, patients,
            Compare(Mean(yours), Mean(practice)), Compare(Share(yours), Share(practice)), Compare(Days(yours), Days(practice)));
    }

    private async Task<ScoreByWeek?> ScoreByWeekAsync(Instrument instrument, int sourceId, DateOnly from, DateOnly to, int minimum, CancellationToken cancellationToken)
    {
        CohortQuery Query(int? source) => new() { Instrument = instrument.Code, From = from, To = to, SourceId = source, MinimumCellSize = minimum };
        var yours = await outcomes.ScoreByWeekAsync(Query(sourceId), cancellationToken: cancellationToken);
        if (yours.Count < 2)
        {
            return null;
        }
        var practice = await CachedAsync($"weeks:{instrument.Code}:{from}:{to}", () => outcomes.ScoreByWeekAsync(Query(null), cancellationToken: cancellationToken));
        // The practice's curve over the same weeks as the physician's, so the two are read side by side.
        var lastWeek = yours[^1].Week;
        return new ScoreByWeek(instrument.Code, ShortName(instrument), instrument.Direction == ScoreDirection.HigherIsBetter,
            [.. yours.Select(w => new WeekPoint(w.Week, Math.Round(w.Mean, 1)))],
            [.. practice.Where(w => w.Week <= lastWeek).Select(w => new WeekPoint(w.Week, Math.Round(w.Mean, 1)))]);
    }

    /// <summary>The abbreviation clinicians use: "LEFS" from "Lower Extremity Functional Scale (LEFS)", "KOOS JR" from "KOOS JR (knee)".</summary>
    public static string ShortName(Instrument instrument)
    {
        var open = instrument.Name.LastIndexOf('(');
        var inParentheses = open >= 0 && instrument.Name.EndsWith(')') ? instrument.Name[(open + 1)..^1] : null;
        return inParentheses is not null && inParentheses.All(c => char.IsUpper(c) || char.IsDigit(c) || c == ' ') ? inParentheses
            : open > 0 ? instrument.Name[..open].Trim()
            : instrument.Name;
    }

    private static Figure NpsFigure(NpsResult result, int minimum) =>
        Figure.Of(result.Nps, result.N, minimum, v => (v > 0 ? "+" : v < 0 ? "−" : "") + Math.Abs(v).ToString("0", CultureInfo.InvariantCulture));

    /// <summary>No comparison is drawn from a suppressed figure: the practice's side is left blank.</summary>
    private static Comparison Compare(Figure yours, Figure practice) => new(yours, yours.Suppressed ? Figure.None with { N = null } : practice);

    private async Task<T> CachedAsync<T>(string key, Func<Task<T>> compute) where T : class
    {
        if (practiceCache.TryGetValue(key, out var cached))
        {
            return (T)cached;
        }
        var value = await compute();
        practiceCache[key] = value;
        return value;
    }
}
