using System.Globalization;
using Rapport.Outcomes;
using Rapport.Outcomes.Instruments;

namespace Rapport.Demo;

/// <summary>
/// Outcome forms for the demo's episodes: intake at evaluation, an interim form every one to two and a half
/// weeks, and a discharge form (missing for about one discharged episode in seven, as in real
/// clinics). Each episode follows a recovery curve whose size depends on the condition (surgical
/// rehab gains more than chronic pain) and the clinic; the item answers are drawn around that curve
/// and scored by the catalogue like any other form. A pure function of (seed, plan, today).
/// </summary>
internal static class DemoAssessments
{
    public const string Table = "OutcomeAssessments";

    private static readonly BulkColumn[] Columns =
    [
        new("Id", BulkType.Int), new("OrganizationId", BulkType.Int), new("ReferralId", BulkType.Int), new("Instrument", BulkType.Text),
        new("Timepoint", BulkType.Text), new("AssessedOn", BulkType.Date), new("Answers", BulkType.Text), new("ItemNames", BulkType.Text),
        new("VisitNumber", BulkType.Int), new("Raw", BulkType.Double), new("Score", BulkType.Double), new("Scorable", BulkType.Bool),
        new("CreatedBy", BulkType.Text), new("CreatedAt", BulkType.Timestamp),
    ];

    private static readonly string[] PsfsActivities = ["Walking 30 minutes", "Climbing stairs", "Lifting groceries", "Sitting through work", "Sleeping through the night"];

    /// <summary>The instrument a clinician would pick for the condition.</summary>
    internal static string InstrumentFor(Condition condition) => condition.BodyRegion switch
    {
        "Hip" => "hoos-jr",
        "Knee" when condition.Procedure?.Contains("arthroplasty", StringComparison.OrdinalIgnoreCase) == true => "koos-jr",
        "Knee" or "Ankle/foot" => "lefs",
        "Shoulder" or "Elbow" or "Wrist/hand" => "quickdash",
        "Lumbar spine" => "odi",
        "Cervical spine" => "ndi",
        "Thoracic spine" => "nprs",
        _ => "psfs",
    };

    public static async Task<long> WriteAsync(IBulkWriter writer, DemoPlan plan, int seed, int organizationId, DateOnly today, int firstId,
        IProgress<DemoProgress>? progress, CancellationToken cancellationToken)
    {
        await using var table = await writer.OpenTableAsync(Table, Columns, cancellationToken);
        var id = firstId;
        foreach (var episode in plan.Episodes())
        {
            foreach (var form in FormsOf(episode, seed, today))
            {
                var score = InstrumentCatalog.Get(form.Instrument).Score(form.Answers);
                await table.WriteAsync(
                [
                    id, organizationId, episode.ReferralId, form.Instrument, form.Timepoint.ToString(), form.On, InstrumentAnswers.Format(form.Answers),
                    form.ItemNames, form.Visit, score.Raw, score.Score, score.Scorable, episode.Therapist, plan.At(form.On, id),
                ], cancellationToken);
                id++;
            }
        }
        await table.CompleteAsync(cancellationToken);
        progress?.Report(new DemoProgress("Outcome assessments", id - firstId, id - firstId));
        return id - firstId;
    }

    internal sealed record DemoForm(string Instrument, Timepoint Timepoint, DateOnly On, int Visit, int?[] Answers, string? ItemNames);

    internal static IEnumerable<DemoForm> FormsOf(DemoEpisode episode, int seed, DateOnly today)
    {
        if (episode.EvaluatedOn is not { } start || start > today)
        {
            yield break;
        }
        var random = new Random(DemoPlan.Mix(seed, 9, episode.ReferralId));
        var instrument = InstrumentCatalog.Get(InstrumentFor(episode.Condition));
        var end = episode.DischargedOn ?? today;
        var span = Math.Max(1, end.DayNumber - start.DayNumber);
        var surgical = episode.Condition.Procedure is not null;
        // Function on a 0 (worst) … 1 (best) scale: intake level, and the gain the episode is headed for.
        var intake = surgical ? 0.28 + 0.12 * random.NextDouble() : 0.40 + 0.15 * random.NextDouble();
        var clinicEffect = (episode.ClinicId % 3 - 1) * 0.06;
        var gain = Math.Clamp((surgical ? 0.38 : 0.26) + clinicEffect + 0.14 * (random.NextDouble() - 0.5) * 2, 0.02, 0.95 - intake);
        // A few patients barely change.
        if (random.NextDouble() < 0.12)
        {
            gain *= 0.25;
        }
        var itemCount = instrument.PatientNamesItems ? 3 + random.Next(3) : instrument.MaxItems;
        var names = instrument.PatientNamesItems ? string.Join('\n', PsfsActivities.OrderBy(_ => random.Next()).Take(itemCount)) : null;
        var visits = Math.Max(1, episode.VisitCount);

        DemoForm Form(Timepoint timepoint, DateOnly on)
        {
            var elapsed = (double)(on.DayNumber - start.DayNumber) / span;
            // Recovery is fast early and slows down: 1 − e^(−2t), normalised to reach the full gain at discharge.
            var level = intake + gain * (1 - Math.Exp(-2 * elapsed)) / (1 - Math.Exp(-2));
            var answers = new int?[itemCount];
            var itemHigherIsBetter = instrument.Code is "lefs" or "psfs";
            for (var i = 0; i < itemCount; i++)
            {
                var itemLevel = Math.Clamp(level + (random.NextDouble() - 0.5) * 0.25, 0, 1);
                var position = itemHigherIsBetter ? itemLevel : 1 - itemLevel;
                answers[i] = (int)Math.Round(instrument.MinAnswer + position * (instrument.MaxAnswer - instrument.MinAnswer));
            }
            // Now and then a patient skips an item.
            if (itemCount > 6 && random.NextDouble() < 0.05)
            {
                answers[random.Next(itemCount)] = null;
            }
            var visit = Math.Clamp(1 + (int)Math.Round((visits - 1) * elapsed), 1, visits);
            return new DemoForm(instrument.Code, timepoint, on, visit, answers, names);
        }

        yield return Form(Timepoint.Intake, start);
        var interval = 7 + random.Next(10);
        for (var day = interval; day < span - 5 && start.AddDays(day) <= today; day += interval)
        {
            yield return Form(Timepoint.Interim, start.AddDays(day));
        }
        if (episode.DischargedOn is { } discharged && discharged <= today && random.NextDouble() >= 0.15)
        {
            yield return Form(Timepoint.Discharge, discharged);
        }
    }

    internal static string Describe(long count) => count.ToString("N0", CultureInfo.InvariantCulture) + " outcome assessments";
}
