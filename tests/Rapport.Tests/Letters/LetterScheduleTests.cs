using Rapport.Letters;

namespace Rapport.Tests.Letters;

public sealed class LetterScheduleTests
{
    private static readonly DateOnly Evaluated = new(2026, 3, 2);
    private static readonly LetterRules Rules = new(OverdueAfterDays: 7, LookbackDays: 60);

    private static EpisodeLetterFacts Open(int visits, params RecordedVisit[] recorded) =>
        new(SourceId: 1, Evaluated, DischargedOn: null, LostOn: null, visits, recorded);

    private static LetterStatus Status(LetterKind kind, EpisodeLetterFacts episode, DateOnly today, params SentLetterFact[] sent) =>
        LetterSchedule.For(kind, episode, sent, Rules, today);

    [Fact]
    public void Evaluation_letter_is_due_on_the_evaluation_day_overdue_after_seven_days_and_lapsed_after_the_look_back()
    {
        var episode = Open(visits: 1);
        Assert.Equal(LetterState.Due, Status(LetterKind.Evaluation, episode, Evaluated).State);
        Assert.Equal(LetterState.Due, Status(LetterKind.Evaluation, episode, Evaluated.AddDays(7)).State);
        var overdue = Status(LetterKind.Evaluation, episode, Evaluated.AddDays(8));
        Assert.Equal(LetterState.Overdue, overdue.State);
        Assert.Equal(Evaluated, overdue.EventOn);
        Assert.Equal(Evaluated.AddDays(7), overdue.DueBy);
        Assert.Equal(LetterState.Overdue, Status(LetterKind.Evaluation, episode, Evaluated.AddDays(60)).State);
        Assert.Equal(LetterState.Lapsed, Status(LetterKind.Evaluation, episode, Evaluated.AddDays(61)).State);
    }

    [Fact]
    public void A_sent_letter_is_no_longer_due()
    {
        var sent = Status(LetterKind.Evaluation, Open(visits: 2), Evaluated.AddDays(9), new SentLetterFact(LetterKind.Evaluation, Evaluated.AddDays(3), 1));
        Assert.Equal(LetterState.Sent, sent.State);
        Assert.False(sent.Owed);
        Assert.Equal(Evaluated.AddDays(3), sent.LastSentOn);
    }

    [Fact]
    public void Direct_access_episodes_owe_no_letters()
    {
        var episode = new EpisodeLetterFacts(SourceId: null, Evaluated, Evaluated.AddDays(40), null, 12, []);
        Assert.All(LetterSchedule.Evaluate(episode, [], Rules, Evaluated.AddDays(41)), s => Assert.Equal(LetterState.NotApplicable, s.State));
    }

    [Fact]
    public void Progress_letter_is_owed_at_the_tenth_visit_and_then_ten_visits_after_the_last_one()
    {
        Assert.Equal(LetterState.NotYet, Status(LetterKind.Progress, Open(visits: 9), Evaluated.AddDays(20)).State);
        Assert.Equal(10, Status(LetterKind.Progress, Open(visits: 9), Evaluated.AddDays(20)).AtVisit);

        // Ten visits over 27 days: visit 10 is today, so the letter is due now.
        var due = Status(LetterKind.Progress, Open(visits: 10), Evaluated.AddDays(27));
        Assert.Equal(LetterState.Due, due.State);
        Assert.Equal(10, due.AtVisit);
        Assert.Equal(Evaluated.AddDays(27), due.EventOn);

        // A progress letter sent on request at visit 8 moves the next report to visit 18 (Medicare: every 10 treatment days since the last report).
        var early = new SentLetterFact(LetterKind.Progress, Evaluated.AddDays(18), VisitCount: 8);
        Assert.Equal(LetterState.Sent, Status(LetterKind.Progress, Open(visits: 17), Evaluated.AddDays(40), early).State);
        Assert.Equal(18, Status(LetterKind.Progress, Open(visits: 17), Evaluated.AddDays(40), early).AtVisit);
        Assert.Equal(LetterState.Due, Status(LetterKind.Progress, Open(visits: 18), Evaluated.AddDays(42), early).State);
    }

    [Fact]
    public void Progress_visit_dates_come_from_recorded_visits_where_known_and_are_spread_evenly_between()
    {
        // Visit 1 on day 0, visit 6 recorded on day 10, visit 20 today (day 38): visit 10 falls 4/14 of the way from day 10 to day 38 = day 18.
        var episode = Open(visits: 20, new RecordedVisit(6, Evaluated.AddDays(10)));
        Assert.Equal(Evaluated.AddDays(18), LetterSchedule.VisitDate(episode, 10, Evaluated.AddDays(38)));
        var status = Status(LetterKind.Progress, episode, Evaluated.AddDays(38));
        Assert.Equal(LetterState.Overdue, status.State);
        Assert.Equal(Evaluated.AddDays(18), status.EventOn);
        Assert.Equal(20, Status(LetterKind.Progress, episode, Evaluated.AddDays(38), new SentLetterFact(LetterKind.Progress, Evaluated.AddDays(20), 10)).AtVisit);
    }

    [Fact]
    public void Discharge_replaces_an_unsent_progress_letter_and_is_due_on_the_discharge_day()
    {
        var discharged = new EpisodeLetterFacts(1, Evaluated, Evaluated.AddDays(45), null, 14, []);
        Assert.Equal(LetterState.NotApplicable, Status(LetterKind.Progress, discharged, Evaluated.AddDays(46)).State);
        var letter = Status(LetterKind.Discharge, discharged, Evaluated.AddDays(46));
        Assert.Equal(LetterState.Due, letter.State);
        Assert.Equal(Evaluated.AddDays(45), letter.EventOn);
        Assert.Equal(LetterState.NotYet, Status(LetterKind.Discharge, Open(visits: 3), Evaluated.AddDays(5)).State);
        var lost = new EpisodeLetterFacts(1, Evaluated, null, Evaluated.AddDays(9), 3, []);
        Assert.Equal(LetterState.NotApplicable, Status(LetterKind.Discharge, lost, Evaluated.AddDays(10)).State);
    }

    [Fact]
    public void A_long_unreported_episode_is_still_chased_while_its_latest_progress_point_is_recent()
    {
        // 40 visits over 120 days with no progress letter: visit 10 was long ago, visit 40 is today.
        var status = Status(LetterKind.Progress, Open(visits: 40), Evaluated.AddDays(120));
        Assert.Equal(LetterState.Overdue, status.State);
        Assert.Equal(10, status.AtVisit);
    }
}
