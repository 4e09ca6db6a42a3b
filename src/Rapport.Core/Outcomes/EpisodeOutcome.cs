using Rapport.Outcomes.Instruments;

namespace Rapport.Outcomes;

/// <summary>One scored form as the outcome rules see it.</summary>
public sealed record ScoredForm(DateOnly AssessedOn, Timepoint Timepoint, double Score, int? VisitNumber);

/// <summary>What the episode is, for the visits-to-MCID estimate; an open episode's visit count runs to <paramref name="AsOf"/> (today).</summary>
public sealed record EpisodeFacts(DateOnly? EvaluatedOn, DateOnly? DischargedOn, int VisitCount, DateOnly? AsOf = null);

/// <summary>
/// The outcome of one episode on one instrument.
/// Change = final − intake, signed so that positive is improvement in the instrument's own direction
/// (a fall in ODI is an improvement). Final is the discharge form, or the latest form when the episode
/// has no discharge form yet (<see cref="FinalIsDischarge"/> says which).
/// </summary>
/// <param name="DaysObserved">Days from intake to the last form: the censoring time when MCID was not reached.</param>
public sealed record EpisodeOutcome(string Instrument, double IntakeScore, DateOnly IntakeOn, double FinalScore, DateOnly FinalOn, bool FinalIsDischarge,
    double Change, double? Mcid, bool McidReached, DateOnly? McidReachedOn, int? DaysToMcid, int? VisitsToMcid, bool VisitsEstimated,
    int DaysObserved)
{
    /// <summary>
    /// Computes the outcome from the episode's scorable forms of one instrument, or null when there
    /// is no intake form and at least one later form to compare it with. Intake is the first form
    /// marked intake; MCID is "first reached" at the first later form whose improvement over intake
    /// is at least the MCID.
    /// Visits to MCID: the visit number recorded on that form when there is one; otherwise it is
    /// estimated by spreading the episode's visit count evenly over its days (evaluation to discharge,
    /// or to today while open) and rounding up, with <see cref="VisitsEstimated"/> set.
    /// </summary>
    public static EpisodeOutcome? Compute(Instrument instrument, IEnumerable<ScoredForm> forms, EpisodeFacts episode)
    {
        var ordered = forms.OrderBy(f => f.AssessedOn).ToList();
        var intakeIndex = ordered.FindIndex(f => f.Timepoint == Timepoint.Intake);
        if (intakeIndex < 0)
        {
            return null;
        }
        var intake = ordered[intakeIndex];
        var later = ordered.Skip(intakeIndex + 1).Where(f => f.Timepoint != Timepoint.Intake && f.AssessedOn >= intake.AssessedOn).ToList();
        if (later.Count == 0)
        {
            return null;
        }
        var sign = instrument.Direction == ScoreDirection.HigherIsBetter ? 1.0 : -1.0;
        var discharge = later.LastOrDefault(f => f.Timepoint == Timepoint.Discharge);
        var final = discharge ?? later[^1];
        var reached = instrument.Mcid is { } mcid ? later.FirstOrDefault(f => sign * (f.Score - intake.Score) >= mcid) : null;
        int? days = reached is null ? null : reached.AssessedOn.DayNumber - intake.AssessedOn.DayNumber;
        int? visits = null;
        var estimated = false;
        if (reached is not null)
        {
            if (reached.VisitNumber is { } recorded)
            {
                visits = recorded;
            }
            else if (episode.VisitCount > 0)
            {
                var start = episode.EvaluatedOn ?? intake.AssessedOn;
                var end = episode.DischargedOn ?? (episode.AsOf is { } asOf && asOf > later[^1].AssessedOn ? asOf : later[^1].AssessedOn);
                var span = Math.Max(1, end.DayNumber - start.DayNumber);
                var elapsed = Math.Clamp(reached.AssessedOn.DayNumber - start.DayNumber, 0, span);
                visits = Math.Max(1, (int)Math.Ceiling(episode.VisitCount * (double)elapsed / span));
                estimated = true;
            }
        }
        return new EpisodeOutcome(instrument.Code, intake.Score, intake.AssessedOn, final.Score, final.AssessedOn, discharge is not null,
            sign * (final.Score - intake.Score), instrument.Mcid, reached is not null, reached?.AssessedOn, days, visits, estimated,
            later[^1].AssessedOn.DayNumber - intake.AssessedOn.DayNumber);
    }
}
