namespace Rapport.Letters;

/// <summary>How long a letter may wait: due at its event, overdue after <paramref name="OverdueAfterDays"/>, not chased after <paramref name="LookbackDays"/>.</summary>
public sealed record LetterRules(int OverdueAfterDays = LetterSettings.DefaultOverdueAfterDays, int LookbackDays = LetterSettings.DefaultLookbackDays);

/// <summary>
/// Where one kind of letter stands for an episode. NotApplicable: the episode owes no such letter
/// (direct access, never evaluated, or a progress letter after discharge). NotYet: its event has not
/// happened. Due / Overdue: owed. Sent: nothing owed now. Lapsed: owed, but the event is older than
/// the look-back and no longer chased.
/// </summary>
public enum LetterState { NotApplicable, NotYet, Due, Overdue, Sent, Lapsed }

/// <param name="EventOn">The evaluation, the progress visit (estimated, see <see cref="LetterSchedule.VisitDate"/>) or the discharge.</param>
/// <param name="DueBy">The last day before the letter counts as overdue.</param>
/// <param name="AtVisit">Progress letters: the visit the (next) progress report belongs to.</param>
/// <param name="Available">Whether the letter can be written now, due or not (a progress letter on request).</param>
public sealed record LetterStatus(LetterKind Kind, LetterState State, DateOnly? EventOn, DateOnly? DueBy, int? AtVisit, DateOnly? LastSentOn, int SentCount,
    bool Available)
{
    public bool Owed => State is LetterState.Due or LetterState.Overdue;

    /// <summary>
    /// The letter's e-mail while it is queued or failing (set by <see cref="LetterService"/>, not by the
    /// schedule): until the mail server accepts it the letter is not sent, so its state stays as owed.
    /// </summary>
    public Email.EmailDelivery? EmailDelivery { get; init; }
}

/// <summary>A visit whose date is known, from an outcome form that recorded its visit number.</summary>
public sealed record RecordedVisit(int Visit, DateOnly On);

/// <summary>The episode as the letter rules see it.</summary>
public sealed record EpisodeLetterFacts(int? SourceId, DateOnly? EvaluatedOn, DateOnly? DischargedOn, DateOnly? LostOn, int VisitCount,
    IReadOnlyList<RecordedVisit> RecordedVisits);

/// <summary>A letter that left the practice: faxed, mailed, or e-mailed and accepted by the mail server.</summary>
public sealed record SentLetterFact(LetterKind Kind, DateOnly SentOn, int? VisitCount);

/// <summary>
/// Which letters an episode owes its referring physician, and since when. Pure: the same facts and
/// day give the same answer.
/// <list type="bullet">
/// <item>Evaluation letter (plan and goals, first scores): due on the evaluation date.</item>
/// <item>Progress letter: Medicare asks for a progress report at least once every 10 treatment days,
/// the period starting at the evaluation or the last progress report (CMS, Medicare Benefit Policy
/// Manual, ch. 15, §220.3 D). So the next one is owed at visit (visits at the last progress letter,
/// or 0) + 10; a letter sent on request at visit 8 moves the next to visit 18. Once the episode is
/// discharged (or lost), the discharge letter reports the whole episode and no progress letter is owed.</item>
/// <item>Discharge letter (change, MCID, visits, recommendations): due on the discharge date.</item>
/// </list>
/// A letter is due from its event, overdue once more than <see cref="LetterRules.OverdueAfterDays"/>
/// days have passed, and lapsed (no longer listed) once its event is older than
/// <see cref="LetterRules.LookbackDays"/>, so adopting Rapport does not bury a practice under years of
/// letters nobody will send. Direct-access episodes owe no letters: there is no physician to write to.
/// </summary>
public static class LetterSchedule
{
    /// <summary>Treatment days per Medicare progress-report period.</summary>
    public const int ProgressEveryVisits = 10;

    public static IReadOnlyList<LetterStatus> Evaluate(EpisodeLetterFacts episode, IReadOnlyList<SentLetterFact> sent, LetterRules rules, DateOnly today) =>
        [Evaluation(episode, sent, rules, today), Progress(episode, sent, rules, today), Discharge(episode, sent, rules, today)];

    public static LetterStatus For(LetterKind kind, EpisodeLetterFacts episode, IReadOnlyList<SentLetterFact> sent, LetterRules rules, DateOnly today) =>
        kind switch
        {
            LetterKind.Evaluation => Evaluation(episode, sent, rules, today),
            LetterKind.Progress => Progress(episode, sent, rules, today),
            _ => Discharge(episode, sent, rules, today),
        };

    private static LetterStatus Evaluation(EpisodeLetterFacts episode, IReadOnlyList<SentLetterFact> sent, LetterRules rules, DateOnly today)
    {
        var mine = sent.Where(s => s.Kind == LetterKind.Evaluation).ToList();
        if (episode.SourceId is null || episode.EvaluatedOn is null)
        {
            var state = episode.SourceId is null || episode.LostOn is not null ? LetterState.NotApplicable : LetterState.NotYet;
            return Status(LetterKind.Evaluation, state, null, null, null, mine, rules, available: false);
        }
        return mine.Count > 0
            ? Status(LetterKind.Evaluation, LetterState.Sent, episode.EvaluatedOn, null, null, mine, rules, available: true)
            : Owed(LetterKind.Evaluation, episode.EvaluatedOn.Value, episode.EvaluatedOn.Value, null, mine, rules, today);
    }

    private static LetterStatus Progress(EpisodeLetterFacts episode, IReadOnlyList<SentLetterFact> sent, LetterRules rules, DateOnly today)
    {
        var mine = sent.Where(s => s.Kind == LetterKind.Progress).ToList();
        if (episode.SourceId is null || episode.EvaluatedOn is null)
        {
            return Status(LetterKind.Progress, LetterState.NotApplicable, null, null, null, mine, rules, available: false);
        }
        var open = episode.DischargedOn is null && episode.LostOn is null;
        if (!open)
        {
            return Status(LetterKind.Progress, mine.Count > 0 ? LetterState.Sent : LetterState.NotApplicable, null, null, null, mine, rules, available: true);
        }
        var lastReportVisit = mine.Count == 0 ? 0 : mine.Max(s => s.VisitCount ?? 0);
        var next = lastReportVisit + ProgressEveryVisits;
        if (episode.VisitCount < next)
        {
            return Status(LetterKind.Progress, mine.Count > 0 ? LetterState.Sent : LetterState.NotYet, null, null, next, mine, rules, available: true);
        }
        // Owed since the first report point missed; still chased while the latest point passed is recent.
        var latestPoint = lastReportVisit + (episode.VisitCount - lastReportVisit) / ProgressEveryVisits * ProgressEveryVisits;
        return Owed(LetterKind.Progress, VisitDate(episode, next, today), VisitDate(episode, latestPoint, today), next, mine, rules, today);
    }

    private static LetterStatus Discharge(EpisodeLetterFacts episode, IReadOnlyList<SentLetterFact> sent, LetterRules rules, DateOnly today)
    {
        var mine = sent.Where(s => s.Kind == LetterKind.Discharge).ToList();
        if (episode.SourceId is null || episode.DischargedOn is null)
        {
            var state = episode.SourceId is null || episode.LostOn is not null ? LetterState.NotApplicable : LetterState.NotYet;
            return Status(LetterKind.Discharge, state, null, null, null, mine, rules, available: false);
        }
        return mine.Count > 0
            ? Status(LetterKind.Discharge, LetterState.Sent, episode.DischargedOn, null, null, mine, rules, available: true)
            : Owed(LetterKind.Discharge, episode.DischargedOn.Value, episode.DischargedOn.Value, null, mine, rules, today);
    }

    private static LetterStatus Owed(LetterKind kind, DateOnly eventOn, DateOnly chasedFrom, int? atVisit, List<SentLetterFact> sent, LetterRules rules, DateOnly today)
    {
        var dueBy = eventOn.AddDays(rules.OverdueAfterDays);
        var state = today.DayNumber - chasedFrom.DayNumber > rules.LookbackDays ? LetterState.Lapsed
            : today > dueBy ? LetterState.Overdue
            : LetterState.Due;
        return Status(kind, state, eventOn, dueBy, atVisit, sent, rules, available: true);
    }

    private static LetterStatus Status(LetterKind kind, LetterState state, DateOnly? eventOn, DateOnly? dueBy, int? atVisit, List<SentLetterFact> sent,
        LetterRules rules, bool available) =>
        new(kind, state, eventOn, dueBy, atVisit, sent.Count == 0 ? null : sent.Max(s => s.SentOn), sent.Count, available);

    /// <summary>
    /// The date of visit <paramref name="visit"/>, which Rapport does not store: visits are taken as
    /// spread evenly between known points, as the outcomes feature estimates visits to MCID (ADR 4) —
    /// the evaluation is visit 1, an outcome form that recorded its visit number pins that visit to its
    /// date, and the episode's last counted visit falls on its discharge (or today while it is open,
    /// the visit count being kept current). Linear between neighbouring points, rounded to the day.
    /// </summary>
    public static DateOnly VisitDate(EpisodeLetterFacts episode, int visit, DateOnly today)
    {
        var start = episode.EvaluatedOn ?? today;
        var end = episode.DischargedOn ?? episode.LostOn ?? today;
        if (end < start)
        {
            end = start;
        }
        var points = new List<RecordedVisit> { new(1, start) };
        foreach (var known in episode.RecordedVisits.Where(v => v.Visit > 1 && v.Visit < episode.VisitCount).OrderBy(v => v.Visit).ThenBy(v => v.On))
        {
            // Keep the points in order of both visit and date; a form that contradicts an earlier one is ignored.
            if (known.On >= points[^1].On && known.Visit > points[^1].Visit && known.On <= end)
            {
                points.Add(known);
            }
        }
        if (episode.VisitCount > points[^1].Visit)
        {
            points.Add(new RecordedVisit(episode.VisitCount, end));
        }
        if (visit <= 1)
        {
            return start;
        }
        if (visit >= points[^1].Visit)
        {
            return points[^1].On;
        }
        var after = points.FindIndex(p => p.Visit >= visit);
        var (low, high) = (points[after - 1], points[after]);
        var share = (double)(visit - low.Visit) / (high.Visit - low.Visit);
        return low.On.AddDays((int)Math.Round(share * (high.On.DayNumber - low.On.DayNumber), MidpointRounding.AwayFromZero));
    }
}
