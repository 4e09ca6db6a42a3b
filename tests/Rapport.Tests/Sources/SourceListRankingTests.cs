using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.Common;
using Rapport.Data;
using Rapport.Imports;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Sources;

/// <summary>
/// The sources list sorts by metrics kept in SourceListMetrics rows; these tests hold every sort
/// order, and the stored numbers, to the correlated counts the list shows (SourceQueries.AllAsync
/// computes and sorts them directly) after every kind of write and as the days pass.
/// </summary>
public sealed class SourceListRankingTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private static readonly bool[] Directions = [false, true];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Metric_sorts_equal_the_correlated_counts_after_writes_imports_and_new_days(string database)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(Today.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero));
        await using var app = await RapportApp.StartAsync(database, b => b.Services.AddSingleton<TimeProvider>(time));
        var org = await app.CreateOrganizationAsync("Ranking Practice");
        var random = new Random(20261126);
        var (sources, patients) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var sourceService = sp.GetRequiredService<SourceService>();
            var sources = new List<ReferralSource>();
            for (var i = 0; i < 16; i++)
            {
                sources.Add(await sourceService.CreateAsync(new SourceInput
                {
                    Npi = Formats.NpiWithCheckDigit($"1{i:D8}"), FirstName = "Doc", LastName = $"Number{i % 5}", Credential = "MD",
                }));
            }
            var patientService = sp.GetRequiredService<PatientService>();
            var patients = new List<Patient>();
            for (var i = 0; i < 20; i++)
            {
                patients.Add(await patientService.CreateAsync(new PatientInput { ExternalId = $"MRN{i}", FirstName = "Pat", LastName = $"Ient{i}" }));
            }
            return (sources, patients);
        });
        DateOnly Now() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

        ReferralInput RandomReferral()
        {
            // Around the window edges (90 days, 12 months) and the days the clock moves past below.
            var received = Now().AddDays(-random.Next(0, 420));
            int? lag = random.Next(3) == 0 ? null : random.Next(0, 30);
            return new ReferralInput
            {
                PatientId = patients[random.Next(patients.Count)].Id,
                // Weighted towards the first sources; the last few get nothing (ties at zero).
                SourceId = random.Next(10) == 0 ? null : sources[Math.Min(random.Next(sources.Count - 3), random.Next(sources.Count - 3))].Id,
                ClinicId = org.ClinicId,
                ReceivedOn = received,
                EvaluatedOn = lag is { } l && received.AddDays(l) <= Now() ? received.AddDays(l) : null,
                DischargedOn = lag is { } d && random.Next(4) == 0 && received.AddDays(d + 20) <= Now() ? received.AddDays(d + 20) : null,
            };
        }

        var (referralIds, touchIds, referBackIds) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var referrals = sp.GetRequiredService<ReferralService>();
            var created = new List<int>();
            for (var i = 0; i < 120; i++)
            {
                created.Add((await referrals.CreateAsync(RandomReferral())).Id);
            }
            var touchService = sp.GetRequiredService<TouchpointService>();
            var touches = new List<int>();
            for (var i = 0; i < 20; i++)
            {
                touches.Add((await touchService.CreateAsync(new TouchpointInput
                {
                    SourceId = sources[random.Next(sources.Count - 4)].Id, OccurredOn = Today.AddDays(-random.Next(0, 200)), Method = (TouchMethod)random.Next(3),
                })).Id);
            }
            var referBackService = sp.GetRequiredService<ReferBackService>();
            var referBacks = new List<int>();
            for (var i = 0; i < 12; i++)
            {
                referBacks.Add((await referBackService.CreateAsync(new ReferBackInput
                {
                    ToSourceId = sources[random.Next(sources.Count - 2)].Id, SentOn = Today.AddDays(-random.Next(0, 400)),
                })).Id);
            }
            return (created, touches, referBacks);
        });
        await AssertRankingMatchesAsync(app, org.Id);

        // Edits (moves between sources and dates, evaluations), deletes of referrals, touches and refer-backs.
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var referrals = sp.GetRequiredService<ReferralService>();
            foreach (var id in referralIds.OrderBy(_ => random.Next()).Take(30))
            {
                await referrals.UpdateAsync(id, RandomReferral());
            }
            foreach (var id in referralIds.OrderBy(_ => random.Next()).Take(15).Distinct())
            {
                await referrals.DeleteAsync(id);
            }
            var db = sp.GetRequiredService<RapportDbContext>();
            db.Touchpoints.RemoveRange(await db.Touchpoints.Where(t => touchIds.Take(5).Contains(t.Id)).ToListAsync());
            db.ReferralsOut.RemoveRange(await db.ReferralsOut.Where(o => referBackIds.Take(4).Contains(o.Id)).ToListAsync());
            var moved = await db.ReferralsOut.FirstAsync(o => o.Id == referBackIds[6]);
            moved.ToSourceId = sources[^1].Id;
            await db.SaveChangesAsync();
            return 0;
        });
        await AssertRankingMatchesAsync(app, org.Id);

        // Through the importer's bulk inserts: referrals (month markers), touches and sources (new ids).
        var referralsCsv = new System.Text.StringBuilder("external_id,source_npi,patient_external_id,received_date,evaluated_date\n");
        for (var i = 0; i < 30; i++)
        {
            var r = RandomReferral();
            var npi = r.SourceId is { } s ? sources.Single(x => x.Id == s).Npi : "";
            referralsCsv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"IMP{i},{npi},MRN{random.Next(patients.Count)},{r.ReceivedOn:yyyy-MM-dd},{r.EvaluatedOn:yyyy-MM-dd}\n");
        }
        var touchesCsv = new System.Text.StringBuilder("source_npi,date,method,purpose,notes,by\n");
        for (var i = 0; i < 8; i++)
        {
            touchesCsv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{sources[^(1 + i % 3)].Npi},{Today.AddDays(-i * 7):yyyy-MM-dd},Phone,Imported {i},,Maria\n");
        }
        var sourcesCsv = $"npi,first_name,last_name\n{Formats.NpiWithCheckDigit("199999999")},New,Arrival\n";
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var importer = sp.GetRequiredService<CsvImporter>();
            var ct = TestContext.Current.CancellationToken;
            Assert.Equal(30, (await importer.ImportAsync(ImportKind.Referrals, new StringReader(referralsCsv.ToString()), "referrals.csv", new ImportOptions(), null, ct)).Added);
            Assert.Equal(8, (await importer.ImportAsync(ImportKind.Touchpoints, new StringReader(touchesCsv.ToString()), "touches.csv", new ImportOptions(), null, ct)).Added);
            Assert.Equal(1, (await importer.ImportAsync(ImportKind.Sources, new StringReader(sourcesCsv), "sources.csv", new ImportOptions(), null, ct)).Added);
            return 0;
        });
        await AssertRankingMatchesAsync(app, org.Id);

        // No writes, the days pass: the 90-day and 12-month windows move, past month ends.
        foreach (var days in (int[])[1, 5, 30, 40])
        {
            time.Advance(TimeSpan.FromDays(days));
            await AssertRankingMatchesAsync(app, org.Id);
        }

        // Archived sources, filters and the exact total.
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            await sp.GetRequiredService<SourceService>().SetArchivedAsync(sources[0].Id, true);
            return 0;
        });
        await AssertRankingMatchesAsync(app, org.Id);
    }

    private static async Task AssertRankingMatchesAsync(RapportApp app, int organizationId)
    {
        SourceListQuery[] filters =
        [
            new(), new() { IncludeArchived = true }, new() { Search = "number3" }, new() { Status = SourceStatus.Prospect },
        ];
        await app.InOrganizationAsync(organizationId, async sp =>
        {
            var queries = sp.GetRequiredService<SourceQueries>();
            foreach (var filter in filters)
            {
                foreach (var sort in Enum.GetValues<SourceSort>())
                {
                    foreach (var descending in Directions)
                    {
                        var query = filter with { Sort = sort, Descending = descending, PageSize = Paging.MaxPageSize };
                        // AllAsync computes every metric per source and sorts in the database: the list's meaning.
                        var expected = await queries.AllAsync(query);
                        var page = await queries.ListAsync(query);
                        Assert.Equal(expected.Count, page.Total);
                        Assert.Equal(expected.Select(s => s.Id), page.Items.Select(s => s.Id));
                        Assert.Equal(expected, page.Items);
                        // A page in the middle holds the same sources as that slice of the whole order.
                        var second = await queries.ListAsync(query with { Page = 2, PageSize = 3 });
                        Assert.Equal(expected.Skip(3).Take(3).Select(s => s.Id), second.Items.Select(s => s.Id));
                    }
                }
            }
            // The stored numbers themselves, not only the order they give.
            var all = await queries.AllAsync(new SourceListQuery { IncludeArchived = true });
            var stored = await sp.GetRequiredService<RapportDbContext>().SourceListMetrics.AsNoTracking().ToDictionaryAsync(m => m.SourceId);
            Assert.Equal(all.Count, stored.Count);
            foreach (var summary in all)
            {
                var row = stored[summary.Id];
                Assert.Equal(
                    (summary.ActivePatients, summary.Referrals90d, summary.Referrals12m, summary.ReferBacks12m, summary.LastTouchAt?.DayNumber ?? 0, summary.LastReferBackAt?.DayNumber ?? 0),
                    (row.ActivePatients, row.Referrals90d, row.Referrals12m, row.ReferBacks12m, row.LastTouchDay, row.LastReferBackDay));
            }
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Search_matches_exactly_what_the_name_npi_and_practice_rule_matches(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Search Practice");
        var names = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var service = sp.GetRequiredService<SourceService>();
            (string? First, string Last, string? Practice)[] people =
            [
                ("Gregory", "House", "Princeton-Plainsboro Teaching"), ("James", "Wilson", "Princeton Oncology"), (null, "Housecall Clinic", null),
                ("Lisa", "Cuddy", "Dean's Office"), ("Élodie", "ÉLAN", "Clinique Côté"), ("Ana", "O'Hara", "100% Rehab_Works"), ("Remy", "Hadley", "Thirteen \"Quoted\""),
            ];
            var n = 0;
            foreach (var (first, last, practice) in people)
            {
                await service.CreateAsync(new SourceInput
                {
                    Npi = Formats.NpiWithCheckDigit($"12345{++n:D4}"), FirstName = first, LastName = last, PracticeName = practice,
                });
            }
            // A rename keeps the search index in step (the triggers on SQLite).
            var db = sp.GetRequiredService<RapportDbContext>();
            var cuddy = await db.Sources.SingleAsync(s => s.LastName == "Cuddy");
            cuddy.LastName = "Cuddy-House";
            await db.SaveChangesAsync();
            return 0;
        });

        // The pinned answers for the everyday searches.
        string[] Expect(params string[] displayNames) => [.. displayNames.Order()];
        async Task<string[]> Search(string q) => await app.InOrganizationAsync(org.Id, async sp =>
            (await sp.GetRequiredService<SourceQueries>().ListAsync(new SourceListQuery { Search = q, PageSize = 100 })).Items
                .Select(s => s.Name).Order().ToArray());
        Assert.Equal(Expect("Gregory House", "Housecall Clinic", "Lisa Cuddy-House"), await Search("house"));
        Assert.Equal(3, (await Search("HOUSE")).Length);
        Assert.Single(await Search("ory hou"));
        Assert.Equal(2, (await Search("princeton")).Length);
        Assert.Equal(7, (await Search("12345")).Length);
        Assert.Empty(await Search("2345"));
        Assert.Single(await Search("100%"));
        Assert.Single(await Search("_wo"));
        Assert.Single(await Search("\"quoted\""));
        Assert.Empty(await Search("%%%"));

        // Every term gives exactly what the rule itself gives, evaluated by the database without any index.
        string[] terms = ["house", "ory hou", "ho", "h", "princeton", "12345", "123450001", "2345", "100%", "_wo", "\"quoted\"", "%%%", "élan", "ÉLAN", "côté", "o'h", " cl", "dean's", "xyz"];
        foreach (var q in terms)
        {
            var (expected, actual) = await app.InOrganizationAsync(org.Id, async sp =>
            {
                var term = Formats.Clean(q)!.ToLowerInvariant();
                var expected = await sp.GetRequiredService<RapportDbContext>().Sources.Where(s =>
                        (s.FirstName + " " + s.LastName).ToLower().Contains(term)
                        || (s.Npi != null && s.Npi.StartsWith(term))
                        || (s.PracticeName != null && s.PracticeName.ToLower().Contains(term)))
                    .Select(s => s.Id).OrderBy(id => id).ToListAsync();
                var page = await sp.GetRequiredService<SourceQueries>().ListAsync(new SourceListQuery { Search = q, PageSize = 100 });
                return (expected, page.Items.Select(s => s.Id).Order().ToList());
            });
            Assert.True(expected.SequenceEqual(actual), $"q={q}: expected [{string.Join(",", expected)}], got [{string.Join(",", actual)}]");
        }
    }
}
