using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.Common;
using Rapport.Data;
using Rapport.Demo;
using Rapport.Organizations;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Demo;

public sealed class DemoSeederTests
{
    /// <summary>A fixed "today", late in the day so every timestamp of the day is already in the past.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 18, 23, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Small_demo_is_a_three_clinic_practice_with_three_years_of_history_that_passes_the_service_rules(string database)
    {
        await using var app = await StartAsync(database);
        var (result, organizationId) = await SeedAsync(app, DemoOptions.DefaultSeed);
        Assert.True(result.Created);
        Assert.Equal(("Riverside Physical Therapy", "riverside"), (result.OrganizationName, result.OrganizationSlug));

        await app.InOrganizationAsync(organizationId, async services =>
        {
            var db = services.GetRequiredService<RapportDbContext>();
            var userManager = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Rapport.Users.AppUser>>();
            var liaison = await userManager.FindByEmailAsync("marcus.bell@riverside.test");
            Assert.True(await userManager.CheckPasswordAsync(liaison!, DemoSeeder.AdminPassword), "staff sign in with the demo password");
            Assert.True(await userManager.IsInRoleAsync(liaison!, Rapport.Users.Roles.Liaison));

            var clinics = await db.Clinics.ToListAsync();
            Assert.Equal(3, clinics.Count);
            Assert.All(clinics, c => Assert.True(c.Zip is not null && c.City is not null && c.Niche is not null));

            var sources = await db.Sources.AsNoTracking().ToListAsync();
            Assert.InRange(sources.Count, 140, 170);
            Assert.Equal(sources.Count, sources.Select(s => s.Npi).Distinct().Count());
            foreach (var s in sources)
            {
                var problems = new Problems();
                SourceService.Check(new SourceInput
                {
                    Npi = s.Npi, FirstName = s.FirstName, LastName = s.LastName, TaxonomyCode = s.TaxonomyCode, Email = s.Email, Phone = s.Phone,
                    Fax = s.Fax, State = s.State, Zip = s.Zip, TouchCadenceDays = s.TouchCadenceDays,
                }, problems);
                Assert.False(problems.Any, $"Source {s.Id} breaks the source rules");
                Assert.Equal(SpecialtyCatalog.Find(s.TaxonomyCode)!.Category, s.Specialty);
                Assert.NotNull(s.OwnerUserId);
            }
            Assert.True(sources.Select(s => s.Specialty).Distinct().Count() >= 12, "specialties are varied");
            Assert.True(sources.Count(s => s.Status == SourceStatus.Prospect) >= 5);
            Assert.True(sources.Count(s => s.Status == SourceStatus.Dormant) >= 5);
            Assert.True(sources.Count(s => s.Status == SourceStatus.DoNotContact) >= 2);

            var referrals = await db.Referrals.AsNoTracking().ToListAsync();
            Assert.InRange(referrals.Count, 4_000, 10_000);
            foreach (var r in referrals)
            {
                var problems = new Problems();
                ReferralService.Check(new ReferralInput
                {
                    PatientId = r.PatientId, SourceId = r.SourceId, ClinicId = r.ClinicId, ReceivedOn = r.ReceivedOn, ScheduledOn = r.ScheduledOn,
                    EvaluatedOn = r.EvaluatedOn, DischargedOn = r.DischargedOn, LostOn = r.LostOn, LostReason = r.LostReason, VisitCount = r.VisitCount,
                }, Today, problems);
                Assert.False(problems.Any, $"Referral {r.Id} breaks the referral rules");
                Assert.Equal(ReferralTimeline.StatusOf(r.ScheduledOn, r.EvaluatedOn, r.DischargedOn, r.LostOn), r.Status);
                Assert.True(r.ScheduledOn is null || r.ScheduledOn <= Today);
                Assert.True(r.EvaluatedOn is null || r.ScheduledOn <= r.EvaluatedOn);
                Assert.Contains(r.BodyRegion, ReferralService.BodyRegions);
                Assert.True(r.CreatedAt <= Now.UtcDateTime && r.UpdatedAt <= Now.UtcDateTime);
            }

            // About three years, every month represented, today included but nothing after it.
            Assert.InRange(referrals.Min(r => r.ReceivedOn), Today.AddMonths(-37), Today.AddMonths(-34));
            Assert.True(referrals.Max(r => r.ReceivedOn) <= Today);
            var months = referrals.Select(r => (r.ReceivedOn.Year, r.ReceivedOn.Month)).Distinct().Count();
            Assert.InRange(months, 36, 37);

            // Seasonality: January beats December, year after year on average.
            var january = referrals.Count(r => r.ReceivedOn.Month == 1);
            var december = referrals.Count(r => r.ReceivedOn.Month == 12);
            Assert.True(january > december * 1.2, $"January {january} vs December {december}");

            var lostShare = referrals.Count(r => r.Status == ReferralStatus.Lost) / (double)referrals.Count;
            Assert.InRange(lostShare, 0.06, 0.13);
            Assert.All(referrals.Where(r => r.Status == ReferralStatus.Lost), r => Assert.False(string.IsNullOrEmpty(r.LostReason)));
            Assert.Contains(referrals, r => r.Status == ReferralStatus.Evaluated);

            // Heterogeneous volumes: a few heavy referrers, a long tail.
            var perSource = referrals.Where(r => r.SourceId != null).GroupBy(r => r.SourceId).Select(g => g.Count()).OrderDescending().ToList();
            Assert.True(perSource[0] > 8 * perSource[perSource.Count / 2], "the top referrer sends far more than the median one");

            // Direct access with its acquisition channels.
            var direct = referrals.Where(r => r.SourceId == null).ToList();
            Assert.InRange(direct.Count / (double)referrals.Count, 0.12, 0.35);
            Assert.True(direct.Select(r => r.AcquisitionChannel).Distinct().Count() >= 6);
            Assert.All(referrals.Where(r => r.SourceId != null), r => Assert.Equal(AcquisitionChannel.Physician, r.AcquisitionChannel));

            var patients = await db.Patients.AsNoTracking().ToListAsync();
            Assert.Equal(patients.Count, patients.Select(p => p.ExternalId).Distinct().Count());
            Assert.All(patients, p => Assert.True(p.BirthDate < Today && p.Zip is not null && p.Payer is not null));
            Assert.True(patients.Count < referrals.Count, "some patients come back for another episode");

            var touches = await db.Touchpoints.AsNoTracking().ToListAsync();
            Assert.True(touches.Count > 500);
            Assert.True(touches.Select(t => t.Method).Distinct().Count() >= 6);
            Assert.All(touches, t =>
            {
                var problems = new Problems();
                TouchpointService.Check(new TouchpointInput { SourceId = t.SourceId, OccurredOn = t.OccurredOn, Method = t.Method, FollowUpOn = t.FollowUpOn }, Today, problems);
                Assert.False(problems.Any, $"Touchpoint {t.Id} breaks the touchpoint rules");
                Assert.True(t.FollowUpOn is null || t.FollowUpOn <= Today);
            });
            Assert.Contains(sources, s => s.Status == SourceStatus.Active && touches.All(t => t.SourceId != s.Id));

            var referBacks = await db.ReferralsOut.AsNoTracking().ToListAsync();
            Assert.True(referBacks.Count > 100);
            Assert.All(referBacks, o => Assert.True(o.SentOn <= Today && o.PatientId is not null));
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Dr_House_halved_his_referrals_and_was_neither_touched_nor_referred_back_to_lately(string database)
    {
        await using var app = await StartAsync(database);
        var (_, organizationId) = await SeedAsync(app, DemoOptions.DefaultSeed);

        await app.InOrganizationAsync(organizationId, async services =>
        {
            var db = services.GetRequiredService<RapportDbContext>();
            var house = await db.Sources.SingleAsync(s => s.FirstName == "Gregory" && s.LastName == "House");
            Assert.Equal(("207X00000X", "Orthopaedic surgery"), (house.TaxonomyCode, house.Specialty));

            var received = await db.Referrals.Where(r => r.SourceId == house.Id).Select(r => new { r.ReceivedOn, r.BodyRegion, r.Procedure }).ToListAsync();
            Assert.All(received, r => Assert.Equal(("Knee", "Total knee arthroplasty"), (r.BodyRegion, r.Procedure)));
            var lastFour = received.Count(r => r.ReceivedOn > Today.AddMonths(-4));
            var fourBefore = received.Count(r => r.ReceivedOn > Today.AddMonths(-8) && r.ReceivedOn <= Today.AddMonths(-4));
            // A busy joint-replacement surgeon: 20 a month with the practice's season (0.76–1.20), ±1 a month.
            Assert.InRange((double)fourBefore, 4 * (DemoPlan.HouseSteadyMonthly * 0.76 - 1), 4 * (DemoPlan.HouseSteadyMonthly * 1.20 + 1));
            Assert.InRange(lastFour / (double)fourBefore, 0.4, 0.6);
            var earliest = received.Min(r => r.ReceivedOn);
            Assert.InRange(earliest, Today.AddMonths(-31), Today.AddMonths(-29));
            var steadyMonths = received.Where(r => r.ReceivedOn <= Today.AddMonths(-4)).Count() / 26.0;
            Assert.InRange(steadyMonths, DemoPlan.HouseSteadyMonthly * 0.9, DemoPlan.HouseSteadyMonthly * 1.1);

            var metrics = (await services.GetRequiredService<SourceQueries>().SummaryAsync(house.Id))!;
            Assert.True(metrics.ActivePatients > 0);
            Assert.InRange(metrics.DaysSinceTouch!.Value, 115, 130);
            Assert.NotNull(metrics.LastTouchMethod);
            Assert.True(metrics.ReferBacks12m >= 4, $"{metrics.ReferBacks12m} refer-backs in 12 months");
            Assert.InRange(Today.DayNumber - metrics.LastReferBackAt!.Value.DayNumber, 60, 75);

            var details = (await services.GetRequiredService<SourceQueries>().DetailsAsync(house.Id))!;
            Assert.Equal(24, details.MonthlyReferrals.Count);
            Assert.All(details.MonthlyReferrals, m => Assert.True(m.Count > 0));
            Assert.True(details.Touches.Count >= 20, "regular touches before the silence");
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_same_seed_gives_the_same_practice_and_another_seed_a_different_one(string database)
    {
        var first = await SummariesAsync(database, 42);
        var again = await SummariesAsync(database, 42);
        var other = await SummariesAsync(database, 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Seeding_a_database_that_holds_data_changes_nothing(string database)
    {
        await using var app = await StartAsync(database);
        var (_, organizationId) = await SeedAsync(app, DemoOptions.DefaultSeed);
        var before = await CountsAsync(app, organizationId);

        var (again, _) = await SeedAsync(app, 7);

        Assert.False(again.Created);
        Assert.Equal(before, await CountsAsync(app, organizationId));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_seed_stopped_halfway_leaves_an_empty_database_that_can_be_seeded_again(string database)
    {
        await using var app = await StartAsync(database);
        using var stop = new CancellationTokenSource();
        var stages = new List<string>();
        var progress = new InlineProgress(p =>
        {
            stages.Add(p.Stage);
            if (p.Stage == "Referrals" && p.Done > 0)
            {
                stop.Cancel();
            }
        });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), progress, stop.Token));
        }
        Assert.Contains("Patients", stages);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            Assert.False(await db.Organizations.AnyAsync(TestContext.Current.CancellationToken));
            Assert.False(await db.Users.AnyAsync(TestContext.Current.CancellationToken));
            Assert.False(await db.Patients.IgnoreQueryFilters().AnyAsync(TestContext.Current.CancellationToken));
        }

        var (result, _) = await SeedAsync(app, DemoOptions.DefaultSeed);
        Assert.True(result.Created);
    }

    /// <summary>Reports synchronously on the seeding thread, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class InlineProgress(Action<DemoProgress> report) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => report(value);
    }

    private static Task<RapportApp> StartAsync(string database) =>
        RapportApp.StartAsync(database, builder => builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));

    private static async Task<(DemoResult Result, int OrganizationId)> SeedAsync(RapportApp app, int seed)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DemoSeeder>()
            .SeedIfEmptyAsync(new DemoOptions { Seed = seed }, progress: null, TestContext.Current.CancellationToken);
        var organization = await scope.ServiceProvider.GetRequiredService<OrganizationService>().FindBySlugAsync("riverside");
        return (result, organization!.Id);
    }

    private static async Task<List<SourceSummary>> SummariesAsync(string database, int seed)
    {
        await using var app = await StartAsync(database);
        var (_, organizationId) = await SeedAsync(app, seed);
        return await app.InOrganizationAsync<List<SourceSummary>>(organizationId, async services =>
        {
            var summaries = await services.GetRequiredService<SourceQueries>().AllAsync(new SourceListQuery());
            var db = services.GetRequiredService<RapportDbContext>();
            // Fold in the rows the summaries do not show, so a difference anywhere fails the comparison.
            var referrals = await db.Referrals.OrderBy(r => r.Id)
                .Select(r => new { r.Id, r.PatientId, r.SourceId, r.ReceivedOn, r.EvaluatedOn, r.DischargedOn, r.Status, r.VisitCount, r.Therapist }).ToListAsync();
            var patients = await db.Patients.OrderBy(p => p.Id).Select(p => new { p.Id, p.FirstName, p.LastName, p.BirthDate, p.Zip }).ToListAsync();
            var fingerprint = string.Join("|", referrals) + string.Join("|", patients);
            return [.. summaries, new SourceSummary(0, null, fingerprint, null, SourceStatus.Active, null, null, null, 0, 0, 0, null, null, null, 0, null, false)];
        });
    }

    private static Task<string> CountsAsync(RapportApp app, int organizationId) =>
        app.InOrganizationAsync(organizationId, async services =>
        {
            var db = services.GetRequiredService<RapportDbContext>();
            return $"{await db.Organizations.CountAsync()} {await db.Clinics.CountAsync()} {await db.Users.CountAsync()} {await db.Sources.CountAsync()} " +
                $"{await db.Patients.CountAsync()} {await db.Referrals.CountAsync()} {await db.Touchpoints.CountAsync()} {await db.ReferralsOut.CountAsync()}";
        });
}
