using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.Data;
using Rapport.Demo;
using Rapport.Health;
using Rapport.Organizations;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Health;

/// <summary>
/// The health snapshot read from rollup rows and indexed look-ups (ADR 6) equals the one computed
/// straight from every referral of the snapshot's months, and so do the alerts evaluated from it.
/// </summary>
public sealed class HealthSnapshotTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    // Late in a month, the last day of one, the first day of one, a leap day (12 months before is
    // 28 February), and the day before the month that starts "the last 12 months" ends.
    private static readonly DateOnly[] AsOfDays = [Today, new(2026, 6, 30), new(2026, 3, 1), new(2024, 2, 29), new(2025, 12, 30)];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Rollup_snapshot_equals_the_raw_data_snapshot_on_the_demo_practice(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database, b => b.Services.AddSingleton<TimeProvider>(
            new FakeTimeProvider(new DateTimeOffset(Today.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero))));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, ct)).Created);
        }
        var org = await app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<OrganizationService>().FindBySlugAsync("riverside");
        var kinds = new HashSet<string>();
        var neededDates = 0;
        foreach (var asOf in AsOfDays)
        {
            var (alerts, needed) = await AssertSameAsync(app, org!.Id, asOf);
            kinds.UnionWith(alerts);
            neededDates += needed;
        }
        // The comparison covers the signals that read days, not only monthly counts. (The demo has no
        // concentration alert; its clinics' 12-month counts are compared in the snapshot.)
        Assert.Superset(new HashSet<string> { AlertKinds.Declining, AlertKinds.Lapsed, AlertKinds.TouchOverdue, AlertKinds.ReciprocityGap, AlertKinds.NewReferrer }, kinds);
        Assert.True(neededDates > 0);

        // Writes leave the rollups stale until the snapshot refreshes them: a referral later today
        // (and one after an earlier as-of day, in its month), a move to another clinic and month, a deletion.
        await app.InOrganizationAsync(org!.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            var referrals = sp.GetRequiredService<ReferralService>();
            var house = await db.Sources.SingleAsync(s => s.LastName == "House", ct);
            var patient = await db.Patients.Select(p => p.Id).FirstAsync(ct);
            var clinics = await db.Clinics.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
            await referrals.CreateAsync(new ReferralInput { PatientId = patient, SourceId = house.Id, ClinicId = clinics[^1], ReceivedOn = Today });
            await referrals.CreateAsync(new ReferralInput { PatientId = patient, SourceId = house.Id, ClinicId = clinics[0], ReceivedOn = new DateOnly(2026, 6, 30) });
            var moved = await db.Referrals.Where(r => r.SourceId != null && r.ReceivedOn == new DateOnly(2025, 12, 2)).Select(r => r.Id).FirstAsync(ct);
            var input = await db.Referrals.Where(r => r.Id == moved).Select(r => new ReferralInput
            {
                PatientId = r.PatientId, SourceId = r.SourceId, ClinicId = clinics[1], ReceivedOn = new DateOnly(2025, 12, 31),
            }).SingleAsync(ct);
            await referrals.UpdateAsync(moved, input);
            await referrals.DeleteAsync(await db.Referrals.Where(r => r.SourceId == house.Id && r.ReceivedOn < Today.AddDays(-20)).OrderByDescending(r => r.ReceivedOn).Select(r => r.Id).FirstAsync(ct));
            return 0;
        });
        foreach (var asOf in AsOfDays)
        {
            await AssertSameAsync(app, org.Id, asOf);
        }
    }

    private static async Task<(IReadOnlyList<string> Kinds, int NeededDates)> AssertSameAsync(RapportApp app, int organizationId, DateOnly asOf) =>
        await app.InOrganizationAsync(organizationId, async sp =>
        {
            var service = sp.GetRequiredService<AlertService>();
            var fromRollups = await service.SnapshotAsync(asOf, TestContext.Current.CancellationToken);
            var fromReferrals = await RawHealthSnapshot.ReadAsync(sp.GetRequiredService<RapportDbContext>(), asOf, fromRollups.Rules);

            Assert.Equal(fromReferrals.Axis, fromRollups.Axis);
            Assert.Equal(fromReferrals.PracticeMonthly, fromRollups.PracticeMonthly);
            Assert.Equal(3, fromReferrals.Clinics.Count);
            Assert.Equal(fromReferrals.Clinics, fromRollups.Clinics);
            Assert.Equal(fromReferrals.Sources.Select(s => s.Id), fromRollups.Sources.Select(s => s.Id));
            var needed = 0;
            foreach (var (raw, read) in fromReferrals.Sources.Zip(fromRollups.Sources))
            {
                var label = $"source {raw.Id} as of {asOf}";
                Assert.True(raw with { Referrals = read.Referrals } == read, label);
                Assert.True(raw.Referrals.Monthly.SequenceEqual(read.Referrals.Monthly), label);
                Assert.True(raw.Referrals.Last12Months == read.Referrals.Last12Months, label);
                Assert.True(raw.Referrals.Last12MonthsByClinic.OrderBy(c => c.Key).SequenceEqual(read.Referrals.Last12MonthsByClinic.OrderBy(c => c.Key)), label);
                if (HealthEvaluator.NeedsReferralDates(read, fromRollups.Axis, fromRollups.Rules, asOf))
                {
                    needed++;
                    Assert.True(read.Referrals.Dates is not null && raw.Referrals.Dates!.SequenceEqual(read.Referrals.Dates), label);
                }
            }

            var expected = HealthEvaluator.Evaluate(fromReferrals);
            var actual = HealthEvaluator.Evaluate(fromRollups);
            Assert.NotEmpty(expected);
            Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
            return ((IReadOnlyList<string>)[.. expected.Select(a => a.Kind).Distinct()], needed);
        });
}

/// <summary>
/// The health snapshot computed from every referral of its months, as AlertService read it before
/// the rollups (ADR 6): the reference the rollup-based reading is held to.
/// </summary>
internal static class RawHealthSnapshot
{
    public static async Task<HealthSnapshot> ReadAsync(RapportDbContext db, DateOnly asOf, HealthRules rules)
    {
        var axis = MonthAxis.Ending(asOf, HealthSnapshot.Months);
        var since12m = asOf.AddMonths(-12);
        var sources = await db.Sources.AsNoTracking().Where(s => s.ArchivedAt == null)
            .Select(s => new { s.Id, s.Npi, s.FirstName, s.LastName, s.Credential, s.Status, s.TouchCadenceDays, s.CreatedAt, s.OwnerUserId, s.Specialty, s.ExpectsReferBacks })
            .ToListAsync();
        var noReferBack = (await db.Set<HealthSettings>().FirstOrDefaultAsync())?.NoReferBackSpecialtyList() ?? [];
        var referrals = await db.Referrals.AsNoTracking().Where(r => r.ReceivedOn >= axis.FirstMonth && r.ReceivedOn <= asOf)
            .Select(r => new { r.SourceId, r.ClinicId, r.ReceivedOn }).ToListAsync();
        var firsts = await db.Referrals.Where(r => r.SourceId != null && r.ReceivedOn <= asOf).GroupBy(r => r.SourceId!.Value)
            .Select(g => new { SourceId = g.Key, First = g.Min(r => r.ReceivedOn), Last = g.Max(r => r.ReceivedOn) }).ToDictionaryAsync(g => g.SourceId);
        var lastTouches = await db.Touchpoints.Where(t => t.OccurredOn <= asOf).GroupBy(t => t.SourceId)
            .Select(g => g.OrderByDescending(t => t.OccurredOn).ThenByDescending(t => t.Id).Select(t => new { t.SourceId, t.OccurredOn, t.Method }).First())
            .ToDictionaryAsync(t => t.SourceId);
        var lastReferBacks = await db.ReferralsOut.Where(o => o.SentOn <= asOf).GroupBy(o => o.ToSourceId)
            .Select(g => new { SourceId = g.Key, Last = g.Max(o => o.SentOn) }).ToDictionaryAsync(g => g.SourceId, g => g.Last);
        var clinics = await db.Clinics.AsNoTracking().Where(c => c.ArchivedAt == null).OrderBy(c => c.Id).Select(c => new { c.Id, c.Name }).ToListAsync();
        if (clinics.Count <= 1)
        {
            clinics = [];
        }

        var practice = new int[axis.Count];
        foreach (var r in referrals) practice[axis.IndexOf(r.ReceivedOn)]++;
        var last12m = referrals.Where(r => r.ReceivedOn > since12m && clinics.Any(c => c.Id == r.ClinicId)).ToList();
        var facts = sources.Select(s =>
        {
            var dates = referrals.Where(r => r.SourceId == s.Id).Select(r => r.ReceivedOn).Order().ToList();
            var touch = lastTouches.GetValueOrDefault(s.Id);
            var created = DateOnly.FromDateTime(s.CreatedAt);
            return new SourceFacts
            {
                Id = s.Id, Npi = s.Npi, Name = SourceNames.Display(s.FirstName, s.LastName, s.Credential), Status = s.Status,
                TouchCadenceDays = s.TouchCadenceDays, CreatedOn = created < asOf ? created : asOf, OwnerUserId = s.OwnerUserId,
                Referrals = ReferralHistory.FromDates(dates, axis, asOf) with
                {
                    Last12MonthsByClinic = last12m.Where(r => r.SourceId == s.Id).GroupBy(r => r.ClinicId).ToDictionary(g => g.Key, g => g.Count()),
                },
                FirstReferralOn = firsts.TryGetValue(s.Id, out var first) ? first.First : null,
                LastReferralOn = firsts.TryGetValue(s.Id, out var last) ? last.Last : null,
                LastTouchOn = touch?.OccurredOn, LastTouchMethod = touch?.Method,
                LastReferBackOn = lastReferBacks.TryGetValue(s.Id, out var back) ? back : null,
                ExpectsReferBacks = s.ExpectsReferBacks ?? !noReferBack.Contains(s.Specialty ?? "", StringComparer.OrdinalIgnoreCase),
            };
        }).ToList();
        var clinicReferrals = clinics.Select(c => new ClinicReferrals(c.Id, c.Name, last12m.Count(r => r.ClinicId == c.Id))).ToList();
        return new HealthSnapshot(asOf, rules, axis, practice, facts, clinicReferrals) { RecordsReferBacks = lastReferBacks.Count > 0 };
    }
}
