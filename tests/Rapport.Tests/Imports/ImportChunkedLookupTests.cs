using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Imports;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Imports;

/// <summary>
/// Issue 16: the importer looks up only the file's keys, a few at a time (<see cref="ImportOptions.LookupSize"/>),
/// and writes through each database's bulk path (binary COPY on PostgreSQL). With chunks of four rows
/// and look-ups of three keys, a few rows cross every boundary the large imports cross.
/// </summary>
public sealed class ImportChunkedLookupTests
{
    private static readonly string House = Formats.NpiWithCheckDigit("123456789");
    private static readonly string Wilson = Formats.NpiWithCheckDigit("987654321");
    private static readonly ImportOptions Small = new() { BatchSize = 4, LookupSize = 3 };
    private const string Header = "external_id,source_npi,patient_external_id,received_date,visits\n";

    /// <summary>Referral i: patient P1–P5, source House or Wilson (every fifth direct access), a received date in one of three months.</summary>
    private static string Row(int i, int visits = 0) =>
        $"R{i:00},{(i % 5 == 0 ? "" : i % 2 == 0 ? House : Wilson)},P{1 + i % 5},2024-0{1 + i % 3}-{10 + i},{visits}";

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Existing_rows_are_matched_across_look_up_and_chunk_boundaries_and_a_re_import_changes_nothing(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await SetUpAsync(app);

        // R01–R10 first; then a file of R01–R15 where every third existing row has more visits.
        var first = await ImportAsync(app, org, Header + string.Join("\n", Enumerable.Range(1, 10).Select(i => Row(i))) + "\n");
        Assert.Equal((10, 0, 0), (first.Added, first.Updated, first.Unchanged));
        var idsBefore = await QueryAsync(app, org, db => db.Referrals.ToDictionaryAsync(r => r.ExternalId!, r => r.Id));

        var file = Header + string.Join("\n", Enumerable.Range(1, 15).Select(i => Row(i, i <= 10 && i % 3 == 0 ? 7 : 0))) + "\n";
        var second = await ImportAsync(app, org, file);

        Assert.Empty(second.Errors);
        Assert.Equal((5, 3, 7, true), (second.Added, second.Updated, second.Unchanged, second.Written));
        var stored = await QueryAsync(app, org, db => db.Referrals.AsNoTracking().Include(r => r.Patient).Include(r => r.Source).OrderBy(r => r.ExternalId).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 15).Select(i => $"R{i:00}"), stored.Select(r => r.ExternalId));
        // The rows that were there kept their ids (updated in place, not added again).
        Assert.All(stored.Take(10), r => Assert.Equal(idsBefore[r.ExternalId!], r.Id));
        Assert.Equal([3, 6, 9], stored.Where(r => r.VisitCount == 7).Select(r => int.Parse(r.ExternalId![1..], System.Globalization.CultureInfo.InvariantCulture)));
        for (var i = 1; i <= 15; i++)
        {
            var referral = stored[i - 1];
            Assert.Equal($"P{1 + i % 5}", referral.Patient!.ExternalId);
            Assert.Equal(i % 5 == 0 ? null : i % 2 == 0 ? House : Wilson, referral.Source?.Npi);
            Assert.Equal(new DateOnly(2024, 1 + i % 3, 10 + i), referral.ReceivedOn);
        }
        // Every month the new rows fall in is marked for the dashboard's rollups.
        var marked = await QueryAsync(app, org, db => db.RollupDirtyMonths.Select(m => m.Month).Distinct().ToListAsync());
        Assert.Superset(new HashSet<DateOnly> { new(2024, 1, 1), new(2024, 2, 1), new(2024, 3, 1) }, marked.ToHashSet());

        var snapshot = await SnapshotAsync(app, org);
        var again = await ImportAsync(app, org, file);
        Assert.Equal((0, 0, 15, true), (again.Added, again.Updated, again.Unchanged, again.Written));
        Assert.Equal(snapshot, await SnapshotAsync(app, org));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_bad_field_in_a_late_chunk_leaves_the_database_as_it_was(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await SetUpAsync(app);
        await ImportAsync(app, org, Header + string.Join("\n", Enumerable.Range(1, 6).Select(i => Row(i))) + "\n");
        var snapshot = await SnapshotAsync(app, org);
        var dirtyBefore = await QueryAsync(app, org, db => db.RollupDirtyMonths.CountAsync());

        // Chunks 1–4 (R01–R16, updates and additions) are written before line 19's bad date is met.
        var rows = Enumerable.Range(1, 18).Select(i => Row(i, 3)).ToList();
        rows[17] = "R18,,P1,2024-02-31,0";
        var result = await ImportAsync(app, org, Header + string.Join("\n", rows) + "\n");

        Assert.True(result.Rejected);
        Assert.False(result.Written);
        var error = Assert.Single(result.Errors);
        Assert.Equal((19, "received_date"), (error.Line, error.Column));
        Assert.StartsWith("referrals.csv:19: received_date: ", error.Format("referrals.csv"), StringComparison.Ordinal);
        Assert.Equal(snapshot, await SnapshotAsync(app, org));
        Assert.Equal(dirtyBefore, await QueryAsync(app, org, db => db.RollupDirtyMonths.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_journaled_import_over_several_chunks_is_undone_row_for_row(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await SetUpAsync(app);
        var ct = TestContext.Current.CancellationToken;
        var file = Header + string.Join("\n", Enumerable.Range(1, 11).Select(i => Row(i))) + "\n";

        // The journal rows and the referrals both go through the bulk path: their keys must agree.
        var (result, runId) = await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<ImportRuns>()
            .ImportNowAsync(ImportKind.Referrals, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(file)), "referrals.csv", Small, null, null, ct));
        Assert.Equal(11, result.Added);
        var ids = await QueryAsync(app, org, db => db.Referrals.Select(r => (long)r.Id).OrderBy(id => id).ToListAsync());
        var journaled = await QueryAsync(app, org, db => db.Set<ImportRunEntry>().Where(e => e.RunId == runId && e.EntityType == "Referral")
            .Select(e => e.EntityId).OrderBy(id => id).ToListAsync());
        Assert.Equal(ids, journaled);

        await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<ImportRuns>().UndoAsync(runId!.Value, ct));
        Assert.Equal(0, await QueryAsync(app, org, db => db.Referrals.CountAsync()));
    }

    [Fact]
    public async Task Every_sqlite_connection_is_tuned_and_an_import_gives_its_large_cache_back()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await SetUpAsync(app);
        var tuning = SqliteTuning.Default;

        async Task<(long Cache, long TempStore)> PragmasAsync() => await QueryAsync(app, org, async db =>
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                return (await Scalar(db, "PRAGMA cache_size"), await Scalar(db, "PRAGMA temp_store"));
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });

        Assert.Equal((-tuning.CacheMiB * 1024L, 2L), await PragmasAsync());
        await ImportAsync(app, org, Header + Row(1) + "\n");
        Assert.Equal((-tuning.CacheMiB * 1024L, 2L), await PragmasAsync());
    }

    private static async Task<long> Scalar(RapportDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<TestOrganization> SetUpAsync(RapportApp app)
    {
        var org = await app.CreateOrganizationAsync("Chunked PT");
        await ImportAsync(app, org, $"npi,last_name\n{House},House\n{Wilson},Wilson\n", ImportKind.Sources);
        await ImportAsync(app, org, "external_id,first_name,last_name\n" + string.Join("\n", Enumerable.Range(1, 5).Select(i => $"P{i},Pat{i},Ient{i}")) + "\n", ImportKind.Patients);
        return org;
    }

    /// <summary>Every stored value of the practice's referrals, in key order.</summary>
    private static Task<string> SnapshotAsync(RapportApp app, TestOrganization org) => QueryAsync(app, org, async db =>
        string.Join("\n", (await db.Referrals.AsNoTracking().OrderBy(r => r.ExternalId).ToListAsync()).Select(r =>
            $"{r.Id}|{r.ExternalId}|{r.PatientId}|{r.SourceId}|{r.ClinicId}|{r.ReceivedOn}|{r.Status}|{r.VisitCount}|{r.AcquisitionChannel}|{r.CreatedAt:O}|{r.UpdatedAt:O}")));

    private static Task<ImportResult> ImportAsync(RapportApp app, TestOrganization org, string csv, ImportKind kind = ImportKind.Referrals) =>
        app.InOrganizationAsync(org.Id, services => services.GetRequiredService<CsvImporter>()
            .ImportAsync(kind, new StringReader(csv), $"{kind.ToString().ToLowerInvariant()}.csv", Small, null, TestContext.Current.CancellationToken));

    private static Task<T> QueryAsync<T>(RapportApp app, TestOrganization org, Func<RapportDbContext, Task<T>> query) =>
        app.InOrganizationAsync(org.Id, services => query(services.GetRequiredService<RapportDbContext>()));
}
