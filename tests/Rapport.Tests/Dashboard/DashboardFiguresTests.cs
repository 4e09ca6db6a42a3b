using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.Common;
using Rapport.Dashboard;
using Rapport.Data;
using Rapport.Demo;
using Rapport.Imports;
using Rapport.Organizations;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Dashboard;

/// <summary>
/// The dashboard reads rollup rows kept current incrementally; these tests hold them to a direct
/// computation from the referrals themselves after every kind of write.
/// </summary>
public sealed class DashboardFiguresTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    private static Task<RapportApp> StartAsync(string database) =>
        RapportApp.StartAsync(database, b => b.Services.AddSingleton<TimeProvider>(
            new FakeTimeProvider(new DateTimeOffset(Today.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero))));

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Figures_equal_a_direct_computation_after_service_writes_updates_deletes_and_imports(string database)
    {
        await using var app = await StartAsync(database);
        var org = await app.CreateOrganizationAsync("Rollup Practice");
        var random = new Random(20261126);
        var (sources, patients, north) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var north = await sp.GetRequiredService<OrganizationService>().SaveClinicAsync(null, new ClinicInput { Name = "North" });
            var sourceService = sp.GetRequiredService<SourceService>();
            var sources = new List<ReferralSource>();
            for (var i = 0; i < 14; i++)
            {
                sources.Add(await sourceService.CreateAsync(new SourceInput
                {
                    Npi = Formats.NpiWithCheckDigit($"1{i:D8}"), FirstName = "Doc", LastName = $"Number{i}", Credential = "MD",
                    ClinicId = i % 2 == 0 ? org.ClinicId : north.Id,
                }));
            }
            var patientService = sp.GetRequiredService<PatientService>();
            var patients = new List<Patient>();
            for (var i = 0; i < 30; i++)
            {
                patients.Add(await patientService.CreateAsync(new PatientInput { ExternalId = $"MRN{i}", FirstName = "Pat", LastName = $"Ient{i}" }));
            }
            return (sources, patients, north.Id);
        });
        int[] clinics = [org.ClinicId, north];

        ReferralInput RandomReferral()
        {
            var received = Today.AddDays(-random.Next(0, 900));
            // Lags up to past the histogram's cap, and about a third never evaluated.
            int? lag = random.Next(3) == 0 ? null : random.Next(10) == 0 ? random.Next(300, 500) : random.Next(0, 40);
            // Weighted towards the first sources, so the top ten is not a tie of everyone.
            int? sourceId = random.Next(8) == 0 ? null : sources[Math.Min(random.Next(sources.Count), random.Next(sources.Count))].Id;
            return new ReferralInput
            {
                PatientId = patients[random.Next(patients.Count)].Id,
                SourceId = sourceId,
                ClinicId = clinics[random.Next(2)],
                ReceivedOn = received,
                EvaluatedOn = lag is { } l && received.AddDays(l) <= Today ? received.AddDays(l) : null,
                // A physician referral has its source and direct access none (ReferralChannels); unsaid is taken from the source.
                AcquisitionChannel = random.Next(5) == 0 ? null
                    : sourceId is not null ? AcquisitionChannel.Physician
                    : (AcquisitionChannel)random.Next(1, Enum.GetValues<AcquisitionChannel>().Length),
            };
        }

        // Through the services, one SaveChanges each.
        var ids = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var referrals = sp.GetRequiredService<ReferralService>();
            var created = new List<int>();
            for (var i = 0; i < 160; i++)
            {
                created.Add((await referrals.CreateAsync(RandomReferral())).Id);
            }
            var touches = sp.GetRequiredService<TouchpointService>();
            await touches.CreateAsync(new TouchpointInput { SourceId = sources[0].Id, OccurredOn = Today, Method = TouchMethod.Lunch });
            await touches.CreateAsync(new TouchpointInput { SourceId = sources[1].Id, OccurredOn = Today.AddDays(-3), Method = TouchMethod.Phone });
            await touches.CreateAsync(new TouchpointInput { SourceId = sources[2].Id, OccurredOn = Today.AddDays(-25), Method = TouchMethod.Phone });
            await touches.CreateAsync(new TouchpointInput { SourceId = sources[3].Id, OccurredOn = new DateOnly(2026, 11, 1), Method = TouchMethod.Phone });
            await sp.GetRequiredService<ReferBackService>().CreateAsync(new ReferBackInput { ToSourceId = sources[1].Id, SentOn = Today.AddDays(-2) });
            await sp.GetRequiredService<ReferBackService>().CreateAsync(new ReferBackInput { ToSourceId = sources[1].Id, SentOn = Today.AddDays(-40) });
            return created;
        });
        await AssertMatchesAsync(app, org.Id, clinics);

        // Updates that move referrals between months, clinics, channels and evaluation states; deletes.
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var referrals = sp.GetRequiredService<ReferralService>();
            foreach (var id in ids.OrderBy(_ => random.Next()).Take(40))
            {
                await referrals.UpdateAsync(id, RandomReferral());
            }
            foreach (var id in ids.OrderBy(_ => random.Next()).Take(25).Distinct())
            {
                await referrals.DeleteAsync(id);
            }
            return 0;
        });
        await AssertMatchesAsync(app, org.Id, clinics);

        // Through the importer's bulk insert (and its tracked updates of existing rows).
        var csv = new System.Text.StringBuilder("external_id,source_npi,patient_external_id,clinic,received_date,evaluated_date,acquisition_channel\n");
        for (var i = 0; i < 60; i++)
        {
            var r = RandomReferral();
            var npi = r.SourceId is { } s ? sources.Single(x => x.Id == s).Npi : "";
            var clinic = r.ClinicId == north ? "North" : "";
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"IMP{i},{npi},MRN{random.Next(patients.Count)},{(clinic.Length == 0 ? await ClinicNameAsync(app, org) : clinic)},{r.ReceivedOn:yyyy-MM-dd},{r.EvaluatedOn:yyyy-MM-dd},{r.AcquisitionChannel}\n");
        }
        var imported = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>()
            .ImportAsync(ImportKind.Referrals, new StringReader(csv.ToString()), "referrals.csv", new ImportOptions(), null, TestContext.Current.CancellationToken));
        Assert.Equal(60, imported.Added);
        await AssertMatchesAsync(app, org.Id, clinics);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Figures_equal_a_direct_computation_after_a_demo_seed(string database)
    {
        await using var app = await StartAsync(database);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, TestContext.Current.CancellationToken);
        }
        var org = await app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<OrganizationService>().FindBySlugAsync("riverside");
        var clinics = await app.InOrganizationAsync(org!.Id, async sp => (await sp.GetRequiredService<OrganizationService>().ClinicsAsync()).Select(c => c.Id).ToArray());
        Assert.Equal(3, clinics.Length);
        await AssertMatchesAsync(app, org.Id, clinics);
    }

    [Fact]
    public void Median_of_a_histogram_takes_the_middle_value_or_the_mean_of_the_two_middle_values()
    {
        Assert.Null(DashboardService.Median([]));
        Assert.Equal(7, DashboardService.Median([(7, 1)]));
        Assert.Equal(4.5, DashboardService.Median([(3, 1), (6, 1)]));
        Assert.Equal(3, DashboardService.Median([(1, 2), (3, 1), (9, 2)]));
        Assert.Equal(6, DashboardService.Median([(1, 2), (3, 1), (9, 3)]));
    }

    private static async Task<string> ClinicNameAsync(RapportApp app, TestOrganization org) =>
        await app.InOrganizationAsync(org.Id, async sp => (await sp.GetRequiredService<OrganizationService>().ClinicsAsync()).Single(c => c.Id == org.ClinicId).Name);

    private static async Task AssertMatchesAsync(RapportApp app, int organizationId, int[] clinics)
    {
        DashboardQuery[] queries =
        [
            new(), new() { ClinicId = clinics[0] }, new() { ClinicId = clinics[1] },
            new() { From = Today.AddMonths(-30), To = Today.AddMonths(-7) },
            new() { ClinicId = clinics[^1], From = Today.AddMonths(-5), To = Today.AddMonths(-1) },
        ];
        foreach (var query in queries)
        {
            await app.InOrganizationAsync(organizationId, async sp =>
            {
                var view = await sp.GetRequiredService<DashboardService>().GetAsync(query, TestContext.Current.CancellationToken);
                var expected = await DirectAsync(sp.GetRequiredService<RapportDbContext>(), query);
                var label = $"clinic {query.ClinicId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all"}, {view.From}..{view.To}";
                Assert.True(expected.Received > 0, $"the data has referrals in {label}");
                Assert.Equal(expected.Months, view.Months);
                Assert.Equal(expected.ByChannel, view.Channels.ToDictionary(c => c.Channel, c => string.Join(",", c.Referrals)));
                Assert.Equal((expected.Received, expected.Evaluated), (view.Received, view.Evaluated));
                Assert.Equal(expected.Median, view.MedianDaysToEvaluation);
                // Sources with equal totals may rank in either order: compare the totals, then each row.
                Assert.Equal(expected.TopTotals, view.TopSources.Select(s => s.Referrals).ToList());
                foreach (var top in view.TopSources)
                {
                    Assert.Equal(expected.MonthlyBySource[top.Id], string.Join(",", top.Monthly));
                }
                Assert.Equal(expected.Touches, view.TouchesThisMonth.ToDictionary(t => t.Method, t => t.Touches));
                Assert.Equal(expected.ReferBacks, view.ReferBacksThisMonth);
                return 0;
            });
        }
    }

    private sealed record Expected(List<DateOnly> Months, Dictionary<ChannelGroup, string> ByChannel, int Received, int Evaluated, double? Median,
        List<int> TopTotals, Dictionary<int, string> MonthlyBySource, Dictionary<TouchMethod, int> Touches, int ReferBacks);

    /// <summary>The same figures straight from the base tables, by a different route (in memory, every row).</summary>
    private static async Task<Expected> DirectAsync(RapportDbContext db, DashboardQuery query)
    {
        var to = new DateOnly((query.To ?? Today).Year, (query.To ?? Today).Month, 1);
        var from = query.From is { } f ? new DateOnly(f.Year, f.Month, 1) : to.AddMonths(-23);
        var months = Enumerable.Range(0, 1000).Select(from.AddMonths).TakeWhile(m => m <= to).ToList();
        var referrals = (await db.Referrals.AsNoTracking().Select(r => new { r.ClinicId, r.SourceId, r.AcquisitionChannel, r.ReceivedOn, r.EvaluatedOn }).ToListAsync())
            .Where(r => (query.ClinicId is null || r.ClinicId == query.ClinicId) && r.ReceivedOn >= from && r.ReceivedOn < to.AddMonths(1))
            .ToList();
        int MonthIndex(DateOnly d) => (d.Year - from.Year) * 12 + d.Month - from.Month;
        string Series(IEnumerable<DateOnly> dates)
        {
            var counts = new int[months.Count];
            foreach (var d in dates) counts[MonthIndex(d)]++;
            return string.Join(",", counts);
        }
        ChannelGroup GroupOf(AcquisitionChannel? channel, int? sourceId) => channel switch
        {
            null => sourceId is null ? ChannelGroup.DirectAccess : ChannelGroup.Physician,
            AcquisitionChannel.Physician => ChannelGroup.Physician,
            AcquisitionChannel.DirectAccess => ChannelGroup.DirectAccess,
            AcquisitionChannel.WebSearch or AcquisitionChannel.Website => ChannelGroup.WebSearch,
            AcquisitionChannel.FriendOrFamily => ChannelGroup.FriendOrFamily,
            AcquisitionChannel.PastPatient => ChannelGroup.PastPatient,
            AcquisitionChannel.Event => ChannelGroup.Event,
            _ => ChannelGroup.Other,
        };
        var byChannel = Enum.GetValues<ChannelGroup>().ToDictionary(g => g,
            g => Series(referrals.Where(r => GroupOf(r.AcquisitionChannel, r.SourceId) == g).Select(r => r.ReceivedOn)));
        var lags = referrals.Where(r => r.EvaluatedOn is not null).Select(r => r.EvaluatedOn!.Value.DayNumber - r.ReceivedOn.DayNumber).Order().ToList();
        double? median = lags.Count == 0 ? null : lags.Count % 2 == 1 ? lags[lags.Count / 2] : (lags[lags.Count / 2 - 1] + lags[lags.Count / 2]) / 2.0;
        var bySource = referrals.Where(r => r.SourceId is not null).GroupBy(r => r.SourceId!.Value).ToList();
        var thisMonth = new DateOnly(Today.Year, Today.Month, 1);
        var touches = (await db.Touchpoints.AsNoTracking().Select(t => new { t.OccurredOn, t.Method, t.Source!.ClinicId }).ToListAsync())
            .Where(t => t.OccurredOn >= thisMonth && t.OccurredOn <= Today && (query.ClinicId is null || t.ClinicId == query.ClinicId))
            .GroupBy(t => t.Method).ToDictionary(g => g.Key, g => g.Count());
        var referBacks = (await db.ReferralsOut.AsNoTracking().Select(r => new { r.SentOn, r.ToSource!.ClinicId }).ToListAsync())
            .Count(r => r.SentOn >= thisMonth && r.SentOn <= Today && (query.ClinicId is null || r.ClinicId == query.ClinicId));
        return new Expected(months, byChannel, referrals.Count, referrals.Count(r => r.EvaluatedOn is not null), median,
            [.. bySource.Select(g => g.Count()).OrderDescending().Take(10)],
            bySource.ToDictionary(g => g.Key, g => Series(g.Select(r => r.ReceivedOn))),
            touches, referBacks);
    }
}
