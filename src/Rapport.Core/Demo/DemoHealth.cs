using Rapport.Health;
using Rapport.Sources;

namespace Rapport.Demo;

/// <summary>
/// The Riverside demo's health snapshot straight from its plan, without a database: the same
/// referrals, touches and refer-backs the seeder writes, so the demo's story can be checked at every
/// "today" of a year and many seeds in seconds (tests/Rapport.Tests/Demo/DemoStoryTests.cs,
/// bench/demo-story.sh).
/// </summary>
internal static class DemoHealth
{
    public static HealthSnapshot Snapshot(int seed, DateOnly today, HealthRules? rules = null)
    {
        rules ??= new HealthRules();
        var shape = DemoShape.For(DemoScale.Small);
        var clinics = DemoSeeder.ClinicSpecs(seed, shape).Select((spec, i) => new DemoClinic(i, i + 1, spec.Name, spec.Metro, spec.Therapists)).ToList();
        List<DemoStaff> liaisons = [.. Enumerable.Range(1, shape.Liaisons).Select(i => new DemoStaff($"liaison-{i}", $"Liaison {i}"))];
        var now = today.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
        var plan = DemoPlan.Create(seed, shape, today, now, clinics, liaisons, firstSourceId: 1, firstPatientId: 1, firstReferralId: 1);

        var axis = MonthAxis.Ending(today, HealthSnapshot.Months);
        var practice = new int[axis.Count];
        var dates = new Dictionary<int, List<DateOnly>>();
        var firstReferral = new Dictionary<int, DateOnly>();
        var lastReferBack = new Dictionary<int, DateOnly>();
        foreach (var episode in plan.Episodes())
        {
            if (episode.ReceivedOn > today) continue;
            var i = axis.IndexOf(episode.ReceivedOn);
            if (i >= 0) practice[i]++;
            if (episode.SourceId is { } sourceId)
            {
                if (i >= 0) (dates.TryGetValue(sourceId, out var list) ? list : dates[sourceId] = []).Add(episode.ReceivedOn);
                if (!firstReferral.TryGetValue(sourceId, out var first) || episode.ReceivedOn < first) firstReferral[sourceId] = episode.ReceivedOn;
            }
            if (episode.ReferBack is { } referBack && referBack.SentOn <= today
                && (!lastReferBack.TryGetValue(referBack.ToSourceId, out var last) || referBack.SentOn > last))
            {
                lastReferBack[referBack.ToSourceId] = referBack.SentOn;
            }
        }
        var lastTouch = new Dictionary<int, DemoTouch>();
        foreach (var touch in plan.Touches(liaisons))
        {
            if (touch.OccurredOn <= today && (!lastTouch.TryGetValue(touch.SourceId, out var last) || touch.OccurredOn >= last.OccurredOn)) lastTouch[touch.SourceId] = touch;
        }
        var facts = plan.Sources.Select(s =>
        {
            var sourceDates = dates.GetValueOrDefault(s.Id) ?? [];
            sourceDates.Sort();
            var created = DateOnly.FromDateTime(s.CreatedAt);
            return new SourceFacts
            {
                Id = s.Id, Npi = s.Npi, Name = SourceNames.Display(s.FirstName, s.LastName, s.Credential), Status = s.Status,
                TouchCadenceDays = s.TouchCadenceDays, CreatedOn = created < today ? created : today, OwnerUserId = s.Owner.UserId,
                Referrals = ReferralHistory.FromDates(sourceDates, axis, today),
                FirstReferralOn = firstReferral.TryGetValue(s.Id, out var first) ? first : null,
                LastTouchOn = lastTouch.TryGetValue(s.Id, out var touch) ? touch.OccurredOn : null, LastTouchMethod = lastTouch.TryGetValue(s.Id, out var t) ? t.Method : null,
                LastReferBackOn = lastReferBack.TryGetValue(s.Id, out var referBack) ? referBack : null,
            };
        }).ToList();
        return new HealthSnapshot(today, rules, axis, practice, facts, []) { RecordsReferBacks = lastReferBack.Count > 0 };
    }

    /// <summary>Dr. House's source id in a plan made by <see cref="Snapshot"/>.</summary>
    public const int HouseId = 1;
}
