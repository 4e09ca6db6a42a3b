using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.Common;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Sources;

/// <summary>The per-source metrics exactly as DESIGN.md defines them, at the window edges.</summary>
public sealed class SourceMetricsTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Metrics_count_windows_active_patients_touches_and_refer_backs(string database)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(Today.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero));
        await using var app = await RapportApp.StartAsync(database, b => b.Services.AddSingleton<TimeProvider>(time));
        var org = await app.CreateOrganizationAsync("Metrics Practice");

        var summary = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput
            {
                Npi = Formats.NpiWithCheckDigit("100000001"), FirstName = "Lisa", LastName = "Cuddy", Credential = "MD", TaxonomyCode = "207X00000X",
            });
            var patients = sp.GetRequiredService<PatientService>();
            var referrals = sp.GetRequiredService<ReferralService>();
            var n = 0;
            async Task<Patient> NewPatient() => await patients.CreateAsync(new PatientInput { ExternalId = $"MRN{++n}", FirstName = "Pat", LastName = $"Ient{n}" });
            async Task Refer(Patient patient, int daysAgo, int? evaluatedDaysAgo = null, int? dischargedDaysAgo = null) =>
                await referrals.CreateAsync(new ReferralInput
                {
                    PatientId = patient.Id, SourceId = source.Id, ClinicId = org.ClinicId, ReceivedOn = Today.AddDays(-daysAgo),
                    EvaluatedOn = evaluatedDaysAgo is { } e ? Today.AddDays(-e) : null,
                    DischargedOn = dischargedDaysAgo is { } d ? Today.AddDays(-d) : null,
                });

            await Refer(await NewPatient(), 0);                                   // in 90d and 12m
            await Refer(await NewPatient(), 89, evaluatedDaysAgo: 80);            // in 90d; active
            await Refer(await NewPatient(), 90, evaluatedDaysAgo: 85, dischargedDaysAgo: 10); // 90 days ago: outside 90d, inside 12m
            var twice = await NewPatient();
            await Refer(twice, 200, evaluatedDaysAgo: 190);                       // active
            await Refer(twice, 150, evaluatedDaysAgo: 140);                       // same patient active twice: counts once
            await Refer(await NewPatient(), (Today.DayNumber - Today.AddMonths(-12).DayNumber));      // exactly 12 months ago: outside 12m
            await Refer(await NewPatient(), (Today.DayNumber - Today.AddMonths(-12).DayNumber) - 1);  // one day inside 12m

            var touches = sp.GetRequiredService<TouchpointService>();
            await touches.CreateAsync(new TouchpointInput { SourceId = source.Id, OccurredOn = Today.AddDays(-40), Method = TouchMethod.Lunch });
            await touches.CreateAsync(new TouchpointInput { SourceId = source.Id, OccurredOn = Today.AddDays(-12), Method = TouchMethod.Phone });
            await touches.CreateAsync(new TouchpointInput { SourceId = source.Id, OccurredOn = Today.AddDays(-300), Method = TouchMethod.InPerson });

            var referBacks = sp.GetRequiredService<ReferBackService>();
            await referBacks.CreateAsync(new ReferBackInput { ToSourceId = source.Id, SentOn = Today.AddDays(-68) });
            await referBacks.CreateAsync(new ReferBackInput { ToSourceId = source.Id, SentOn = Today.AddMonths(-12) });  // exactly 12 months: outside
            await referBacks.CreateAsync(new ReferBackInput { ToSourceId = source.Id, SentOn = Today.AddDays(-100) });
            return (await sp.GetRequiredService<SourceQueries>().SummaryAsync(source.Id))!;
        });

        Assert.Equal(2, summary.Referrals90d);
        Assert.Equal(6, summary.Referrals12m);
        Assert.Equal(2, summary.ActivePatients);
        Assert.Equal(Today.AddDays(-12), summary.LastTouchAt);
        Assert.Equal(TouchMethod.Phone, summary.LastTouchMethod);
        Assert.Equal(12, summary.DaysSinceTouch);
        Assert.Equal(2, summary.ReferBacks12m);
        Assert.Equal(Today.AddDays(-68), summary.LastReferBackAt);
        Assert.Equal("Lisa Cuddy, MD", summary.Name);
        Assert.Equal("Orthopaedic surgery", summary.Specialty);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task List_sorts_by_a_metric_and_pages(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Sorting Practice");
        var today = TestClock.Today;
        var page = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var sources = sp.GetRequiredService<SourceService>();
            var referrals = sp.GetRequiredService<ReferralService>();
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "P1", FirstName = "A", LastName = "B" });
            for (var i = 1; i <= 5; i++)
            {
                var source = await sources.CreateAsync(new SourceInput { LastName = $"Doctor{i}", Npi = Formats.NpiWithCheckDigit($"20000000{i}") });
                for (var r = 0; r < i; r++)
                {
                    await referrals.CreateAsync(new ReferralInput { PatientId = patient.Id, SourceId = source.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-r) });
                }
            }
            await sources.CreateAsync(new SourceInput { FirstName = "Allison", LastName = "Cameron", PracticeName = "Princeton Plainsboro Ortho" });
            var queries = sp.GetRequiredService<SourceQueries>();
            // Search ignores case and matches a surname without a first name, a full name, an NPI prefix and the practice.
            Assert.Equal(["Doctor4"], (await queries.ListAsync(new SourceListQuery { Search = "DOCTOR4" })).Items.Select(s => s.Name));
            Assert.Equal(["Allison Cameron"], (await queries.ListAsync(new SourceListQuery { Search = "allison cam" })).Items.Select(s => s.Name));
            Assert.Equal(["Allison Cameron"], (await queries.ListAsync(new SourceListQuery { Search = "plainsboro" })).Items.Select(s => s.Name));
            Assert.Equal(5, (await queries.ListAsync(new SourceListQuery { Search = "20000000" })).Total);
            return await queries.ListAsync(new SourceListQuery { Search = "doctor", Sort = SourceSort.Referrals12m, Descending = true, PageSize = 2, Page = 2 });
        });
        Assert.Equal(5, page.Total);
        Assert.Equal(["Doctor3", "Doctor2"], page.Items.Select(s => s.Name));
        Assert.Equal([3, 2], page.Items.Select(s => s.Referrals12m));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Paged_list_orders_exactly_like_the_full_list_for_every_sort(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        int organizationId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var seeded = await scope.ServiceProvider.GetRequiredService<Rapport.Demo.DemoSeeder>().SeedIfEmptyAsync(new Rapport.Demo.DemoOptions(), null, TestContext.Current.CancellationToken);
            organizationId = (await scope.ServiceProvider.GetRequiredService<Rapport.Organizations.OrganizationService>().FindBySlugAsync(seeded.OrganizationSlug))!.Id;
        }
        await app.InOrganizationAsync(organizationId, async sp =>
        {
            var queries = sp.GetRequiredService<SourceQueries>();
            foreach (var sort in Enum.GetValues<SourceSort>())
            {
                foreach (var descending in (bool[])[false, true])
                {
                    var all = await queries.AllAsync(new SourceListQuery { Sort = sort, Descending = descending });
                    var paged = new List<SourceSummary>();
                    for (var page = 1; page <= (all.Count + 39) / 40; page++)
                    {
                        var result = await queries.ListAsync(new SourceListQuery { Sort = sort, Descending = descending, Page = page, PageSize = 40 });
                        Assert.Equal(all.Count, result.Total);
                        paged.AddRange(result.Items);
                    }
                    Assert.True(all.SequenceEqual(paged), $"{sort} {(descending ? "descending" : "ascending")} pages differ from the full list");
                }
            }
            return 0;
        });
    }
}
