using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Imports;
using Rapport.Outcomes.Instruments;

namespace Rapport.Outcomes;

/// <summary>
/// Outcome forms from CSV (<c>rapport import assessments</c>), keyed by episode + instrument +
/// timepoint + date, so re-importing the same file does not duplicate a form; a changed answer
/// list updates it (and its score, which the catalogue recomputes).
/// </summary>
internal sealed class AssessmentImport(RapportDbContext db, PracticeClock time) : ImportHandler
{
    private readonly record struct NaturalKey(int ReferralId, string Instrument, Timepoint Timepoint, DateOnly AssessedOn);

    private readonly Dictionary<NaturalKey, int> seen = [];
    private Dictionary<NaturalKey, OutcomeAssessment> existing = [];
    private Dictionary<string, (int Id, DateOnly ReceivedOn)> referralByExternalId = [];

    public override string EntityName => nameof(OutcomeAssessment);

    public override IReadOnlyList<ImportColumn> Columns { get; } =
    [
        new("referral_external_id", true, "External id of the referral (episode), imported before.", "RF-2024-0031", Field: "referralId"),
        new("instrument", true, $"{string.Join(", ", InstrumentCatalog.All.Select(i => i.Code))} (any case).", "hoos-jr"),
        new("timepoint", true, "intake, interim, discharge or follow-up.", "intake"),
        new("date", true, "Date the form was completed; not in the future nor before the referral.", "2024-04-18", Field: "assessedOn"),
        new("answers", true, "Answers in item order separated by semicolons, blank = missing (e.g. 3;2;;4).", "3;2;2;3;1;2"),
        new("visit_number", false, "The visit of the episode the form was taken at.", "1", Field: "visitNumber"),
        new("item_names", false, "PSFS only: the activities rated, separated by semicolons.", "Walking;Stairs;Lifting", Field: "itemNames"),
    ];

    public override IReadOnlyDictionary<string, string> ColumnOfField { get; } = new Dictionary<string, string>
    {
        ["referralId"] = "referral_external_id",
        ["assessedOn"] = "date",
        ["visitNumber"] = "visit_number",
        ["itemNames"] = "item_names",
    };

    public override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Set<OutcomeAssessment>().AsNoTracking().ToListAsync(cancellationToken);
        existing = [];
        foreach (var row in rows.OrderBy(r => r.Id))
        {
            existing.TryAdd(new NaturalKey(row.ReferralId, row.Instrument, row.Timepoint, row.AssessedOn), row);
        }
        referralByExternalId = await db.Referrals.Where(r => r.ExternalId != null).Select(r => new { ExternalId = r.ExternalId!, r.Id, r.ReceivedOn })
            .ToDictionaryAsync(r => r.ExternalId, r => (r.Id, r.ReceivedOn), StringComparer.Ordinal, cancellationToken);
    }

    public override RowOutcome Stage(ImportRow row)
    {
        (int Id, DateOnly ReceivedOn)? referral = null;
        if (row.Text("referral_external_id") is { } externalId)
        {
            if (referralByExternalId.TryGetValue(externalId, out var found))
            {
                referral = found;
            }
            else
            {
                row.Add("referral_external_id", $"No referral has external id '{externalId}' in this practice; import referrals first.");
            }
        }
        var instrument = InstrumentCatalog.Find(row.Text("instrument"));
        var timepoint = row.Enum<Timepoint>("timepoint");
        var date = row.Date("date");
        IReadOnlyList<int?>? answers = null;
        try
        {
            answers = InstrumentAnswers.Parse(row.Text("answers")?.Replace(';', ','));
        }
        catch (ValidationException e)
        {
            foreach (var problem in e.Errors.SelectMany(x => x.Value))
            {
                row.Add("answers", problem);
            }
        }
        var input = new AssessmentInput
        {
            Instrument = row.Text("instrument"),
            Timepoint = timepoint,
            AssessedOn = date,
            Answers = answers,
            VisitNumber = row.WholeNumber("visit_number"),
            ItemNames = row.Text("item_names")?.Split(';'),
        };
        var problems = new Problems();
        var built = AssessmentService.Build(input, referral?.ReceivedOn ?? DateOnly.MinValue, time.Today(), problems);
        row.AddRuleProblems(problems, ColumnOfField);
        if (!row.IsValid || built is null || referral is null || instrument is null)
        {
            return RowOutcome.Invalid;
        }
        var key = new NaturalKey(referral.Value.Id, instrument.Code, built.Timepoint, built.AssessedOn);
        if (IsRepeat(seen, key, row, "date", "A form of the same referral, instrument, timepoint and date"))
        {
            return RowOutcome.Invalid;
        }
        var current = existing.GetValueOrDefault(key);
        return Apply(row, db, current, () => new OutcomeAssessment { CreatedBy = "import", CreatedAt = time.GetUtcNow().UtcDateTime }, target =>
        {
            target.ReferralId = referral.Value.Id;
            target.Instrument = built.Instrument;
            target.Timepoint = built.Timepoint;
            target.AssessedOn = built.AssessedOn;
            target.Answers = built.Answers;
            target.ItemNames = built.ItemNames;
            target.VisitNumber = built.VisitNumber;
            target.Raw = built.Raw;
            target.Score = built.Score;
            target.Scorable = built.Scorable;
        });
    }
}
