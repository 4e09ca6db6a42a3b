using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Outcomes.Instruments;

namespace Rapport.Outcomes;

/// <summary>An assessment as entered: answers in item order, null for a blank item.</summary>
public sealed record AssessmentInput
{
    public string? Instrument { get; init; }
    public Timepoint? Timepoint { get; init; }
    public DateOnly? AssessedOn { get; init; }
    public IReadOnlyList<int?>? Answers { get; init; }
    /// <summary>PSFS: the activities the patient named, in item order.</summary>
    public IReadOnlyList<string?>? ItemNames { get; init; }
    public int? VisitNumber { get; init; }
}

public sealed record AssessmentSummary(int Id, int ReferralId, string Instrument, string InstrumentName, Timepoint Timepoint, DateOnly AssessedOn,
    IReadOnlyList<int?> Answers, IReadOnlyList<string> ItemNames, int? VisitNumber, double? Raw, double? Score, bool Scorable, string? CreatedBy);

/// <summary>One instrument's forms in an episode, and the outcome they add up to (null until intake and a later form exist).</summary>
public sealed record InstrumentTrack(string Instrument, string Name, ScoreDirection Direction, double? Mcid, string ScoreUnit, double ScoreMin, double ScoreMax,
    IReadOnlyList<AssessmentSummary> Forms, EpisodeOutcome? Outcome);

/// <summary>An episode's outcome assessments: patient data, so their reads are audited here (<see cref="Audit.PatientDataAudit"/>).</summary>
public sealed class AssessmentService(RapportDbContext db, Tenancy.CurrentOrganization organization, PracticeClock time, Users.StaffNames staff,
    Audit.PatientDataAudit audit)
{
    private DbSet<OutcomeAssessment> Assessments => db.Set<OutcomeAssessment>();

    /// <summary>The episode's assessments, oldest first; NotFound when the episode is not the organization's.</summary>
    public async Task<IReadOnlyList<AssessmentSummary>> ListAsync(int referralId, CancellationToken cancellationToken = default)
    {
        await RequireReferralAsync(referralId, cancellationToken);
        var rows = await Assessments.AsNoTracking().Where(a => a.ReferralId == referralId)
            .OrderBy(a => a.AssessedOn).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        await audit.ListedAsync(nameof(OutcomeAssessment), rows.Count, Audit.PatientDataAudit.Scope(null, null, ("referralId", referralId)), cancellationToken);
        var names = await staff.BookAsync(cancellationToken);
        return [.. rows.Select(ToSummary).Select(a => a with { CreatedBy = names.Show(a.CreatedBy) })];
    }

    /// <summary>The episode's forms per instrument, with each instrument's episode outcome.</summary>
    public async Task<IReadOnlyList<InstrumentTrack>> TracksAsync(int referralId, CancellationToken cancellationToken = default)
    {
        var referral = await RequireReferralAsync(referralId, cancellationToken);
        var forms = await ListAsync(referralId, cancellationToken);
        var facts = new EpisodeFacts(referral.EvaluatedOn, referral.DischargedOn, referral.VisitCount, time.Today());
        return [.. forms.GroupBy(f => f.Instrument).Select(g =>
        {
            var instrument = InstrumentCatalog.Get(g.Key);
            var outcome = EpisodeOutcome.Compute(instrument,
                g.Where(f => f.Score is not null).Select(f => new ScoredForm(f.AssessedOn, f.Timepoint, f.Score!.Value, f.VisitNumber)), facts);
            return new InstrumentTrack(instrument.Code, instrument.Name, instrument.Direction, instrument.Mcid, instrument.ScoreUnit,
                instrument.ScoreMin, instrument.ScoreMax, [.. g], outcome);
        })];
    }

    public async Task<AssessmentSummary> CreateAsync(int referralId, AssessmentInput input, CancellationToken cancellationToken = default)
    {
        var referral = await RequireReferralAsync(referralId, cancellationToken);
        var problems = new Problems();
        var assessment = Build(input, referral.ReceivedOn, time.Today(), problems);
        problems.ThrowIfAny();
        assessment!.ReferralId = referralId;
        assessment.CreatedBy = organization.Actor;
        assessment.CreatedAt = time.GetUtcNow().UtcDateTime;
        Assessments.Add(assessment);
        await db.SaveChangesAsync(cancellationToken);
        return ToSummary(assessment);
    }

    public async Task DeleteAsync(int referralId, int id, CancellationToken cancellationToken = default)
    {
        var assessment = await Assessments.FirstOrDefaultAsync(a => a.Id == id && a.ReferralId == referralId, cancellationToken)
            ?? throw new NotFoundException($"Assessment {id} of referral {referralId}");
        Assessments.Remove(assessment);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Checks an input and, when it is valid, returns the entity with its score computed by the
    /// catalogue (the one scoring path). Shared by the form, the API and the CSV import.
    /// </summary>
    internal static OutcomeAssessment? Build(AssessmentInput input, DateOnly episodeReceivedOn, DateOnly today, Problems problems)
    {
        var instrument = InstrumentCatalog.Find(input.Instrument);
        if (instrument is null)
        {
            problems.Add("instrument", $"Instrument is required: one of {string.Join(", ", InstrumentCatalog.All.Select(i => i.Code))}.");
        }
        if (input.Timepoint is null) problems.Add("timepoint", $"Timepoint is required ({string.Join(", ", Enum.GetNames<Timepoint>())}).");
        if (input.AssessedOn is null) problems.Add("assessedOn", "Date is required.");
        problems.NotInFuture("assessedOn", input.AssessedOn, today, "Assessment date");
        problems.NotBefore("assessedOn", input.AssessedOn, episodeReceivedOn, "Assessment date", "the referral's received date");
        if (input.VisitNumber is < 1) problems.Add("visitNumber", "Visit number starts at 1.");
        var names = (input.ItemNames ?? []).Select(Formats.Clean).ToList();
        if (names.Any(n => n is { Length: > 80 })) problems.Add("itemNames", "An activity name is at most 80 characters.");
        InstrumentScore? score = null;
        if (instrument is not null)
        {
            try
            {
                score = instrument.Score(input.Answers ?? []);
            }
            catch (ValidationException e)
            {
                foreach (var problem in e.Errors.SelectMany(x => x.Value))
                {
                    problems.Add("answers", problem);
                }
            }
            if (instrument.PatientNamesItems && input.Answers is { } answers)
            {
                for (var i = 0; i < answers.Count; i++)
                {
                    if (answers[i] is not null && (i >= names.Count || names[i] is null))
                    {
                        problems.Add("itemNames", $"Activity {i + 1} is rated but not named.");
                    }
                }
            }
        }
        if (problems.Any || score is null || instrument is null)
        {
            return null;
        }
        return new OutcomeAssessment
        {
            Instrument = instrument.Code,
            Timepoint = input.Timepoint!.Value,
            AssessedOn = input.AssessedOn!.Value,
            Answers = InstrumentAnswers.Format(input.Answers!),
            ItemNames = instrument.PatientNamesItems ? string.Join('\n', names.Take(input.Answers!.Count).Select(n => n ?? "")) : null,
            VisitNumber = input.VisitNumber,
            Raw = score.Raw,
            Score = score.Score,
            Scorable = score.Scorable,
        };
    }

    private async Task<Referrals.Referral> RequireReferralAsync(int referralId, CancellationToken cancellationToken) =>
        await db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.Id == referralId, cancellationToken)
            ?? throw new NotFoundException($"Referral {referralId}");

    internal static AssessmentSummary ToSummary(OutcomeAssessment a) =>
        new(a.Id, a.ReferralId, a.Instrument, InstrumentCatalog.Find(a.Instrument)?.Name ?? a.Instrument, a.Timepoint, a.AssessedOn,
            InstrumentAnswers.Parse(a.Answers), a.ItemNames is null ? [] : a.ItemNames.Split('\n'), a.VisitNumber, a.Raw, a.Score, a.Scorable, a.CreatedBy);
}
