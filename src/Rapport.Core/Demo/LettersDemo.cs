using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Letters;

namespace Rapport.Demo;

/// <summary>
/// Letter history for the demo practice over the look-back that matters (the last six months): most
/// evaluations, progress visits and discharges were reported within a few days, a few were
/// forgotten, the last days' are still due — and none went to Dr. House in the last four months,
/// which is part of why that relationship cooled. The letters are recorded without touchpoints, so the
/// demo's touch history (and Dr. House's "not touched in four months") stays as the plan made it.
/// Deterministic for a seed and a "today".
/// </summary>
internal sealed class LettersDemo(RapportDbContext db, PracticeClock time)
{
    public async Task SeedAsync(int seed, CancellationToken cancellationToken)
    {
        var organizationId = db.Organization.RequiredId;
        var today = time.Today();
        var since = today.AddDays(-180);
        var houseNpi = Formats.NpiWithCheckDigit(DemoPlan.HouseNpiDigits);
        var house = await db.Sources.Where(s => s.Npi == houseNpi).Select(s => (int?)s.Id).FirstOrDefaultAsync(cancellationToken);
        var episodes = await db.Referrals.AsNoTracking()
            .Where(r => r.SourceId != null && r.EvaluatedOn != null && (r.DischargedOn == null || r.DischargedOn >= since) && r.EvaluatedOn <= today)
            .Where(r => r.EvaluatedOn >= since || r.DischargedOn >= since || (r.DischargedOn == null && r.LostOn == null))
            .OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Therapist, SourceId = r.SourceId!.Value, HasEmail = r.Source!.Email != null, EvaluatedOn = r.EvaluatedOn!.Value, r.DischargedOn, r.LostOn, r.VisitCount })
            .ToListAsync(cancellationToken);
        var visits = (await db.Set<Outcomes.OutcomeAssessment>().AsNoTracking()
                .Where(a => a.VisitNumber != null && episodes.Select(e => e.Id).Contains(a.ReferralId))
                .Select(a => new { a.ReferralId, Visit = a.VisitNumber!.Value, a.AssessedOn }).ToListAsync(cancellationToken))
            .GroupBy(a => a.ReferralId).ToDictionary(g => g.Key, g => (IReadOnlyList<RecordedVisit>)[.. g.Select(a => new RecordedVisit(a.Visit, a.AssessedOn))]);
        var random = new Random(DemoPlan.Mix(seed, 12, 0));
        var letters = new List<Letter>();
        foreach (var e in episodes)
        {
            var facts = new EpisodeLetterFacts(e.SourceId, e.EvaluatedOn, e.DischargedOn, e.LostOn, e.VisitCount, visits.GetValueOrDefault(e.Id) ?? []);
            var neglected = e.SourceId == house;
            bool TrySend(LetterKind kind, DateOnly eventOn, int visitCount)
            {
                var sentOn = eventOn.AddDays(random.NextDouble() < 0.1 ? 8 + random.Next(8) : random.Next(7));
                var forgotten = random.NextDouble() < 0.06 || (neglected && sentOn > today.AddDays(-120));
                if (forgotten || sentOn > today || eventOn < since)
                {
                    return false;
                }
                letters.Add(new Letter
                {
                    OrganizationId = organizationId, ReferralId = e.Id, Kind = kind, SourceId = e.SourceId, VisitCount = visitCount, SentOn = sentOn,
                    SentAt = sentOn.ToDateTime(new TimeOnly(16, 0), DateTimeKind.Utc), Delivery = e.HasEmail ? LetterDelivery.Email : LetterDelivery.Fax,
                    SentBy = e.Therapist ?? DemoSeeder.AdminEmail, CreatedAt = eventOn.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc), UpdatedAt = sentOn.ToDateTime(new TimeOnly(16, 0), DateTimeKind.Utc),
                });
                return true;
            }
            TrySend(LetterKind.Evaluation, e.EvaluatedOn, 1);
            // Progress reports at visits 10, 20, … before discharge; a missed one stops the chain, as it would in a clinic.
            for (var visit = LetterSchedule.ProgressEveryVisits; visit < e.VisitCount || (visit == e.VisitCount && e.DischargedOn is null && e.LostOn is null);
                 visit += LetterSchedule.ProgressEveryVisits)
            {
                if (!TrySend(LetterKind.Progress, LetterSchedule.VisitDate(facts, visit, today), visit))
                {
                    break;
                }
            }
            if (e.DischargedOn is { } discharged)
            {
                TrySend(LetterKind.Discharge, discharged, e.VisitCount);
            }
        }
        db.AddRange(letters);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
