using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rapport.Data;

namespace Rapport.Registry.Nppes;

public sealed record NppesImportRequest(string Path, NppesFilter Filter)
{
    /// <summary>Full (monthly) or weekly; null: from the file name (see <see cref="NppesImporter.KindFromName"/>).</summary>
    public NppesFileKind? Kind { get; init; }
    /// <summary>Start over instead of resuming an interrupted run of the same file and filters.</summary>
    public bool Restart { get; init; }
    /// <summary>Kept rows per transaction (and checkpoint).</summary>
    public int BatchSize { get; init; } = 5_000;
}

public sealed record NppesProgress(string Stage, long BytesRead, long FileSize, long Lines, long Records, long Kept, long BadRows, TimeSpan Elapsed);

public sealed record NppesImportResult(NppesImportRun Run, long? ResumedAtLine, string KindReason, long RowsAfter, IReadOnlyList<NppesImportProblem> Problems)
{
    public long Changed => Run.Written - Run.Added;
    /// <summary>Time spent in database writes (batches and checkpoints) in this attempt: the rest is reading and parsing.</summary>
    public TimeSpan WriteTime { get; init; }
    public TimeSpan ThisAttempt { get; init; }
}

/// <summary>The file is not an NPPES dissemination file at all (its header lacks NPI or the kept columns).</summary>
public sealed class NotAnNppesFileException(string message) : Exception(message);

/// <summary>
/// <c>rapport import nppes</c>: streams an NPPES dissemination file (monthly full or weekly incremental)
/// into the shared registry table, keeping the records the filter wants, skipping and reporting bad ones
/// by physical line, committing a checkpoint with every batch so a killed run resumes, and after a full
/// file marking the NPIs of the import's scope the file no longer lists. See docs/registry.md.
/// </summary>
public sealed partial class NppesImporter(RapportDbContext db, TimeProvider time)
{
    /// <summary>Problems stored (and printed) per run; the count of bad rows is exact regardless.</summary>
    public const int ProblemsKept = 1_000;
    /// <summary>A checkpoint at least this often, so a heavily filtered run does not redo much after a kill.</summary>
    private const long CheckpointBytes = 64L << 20;

    public async Task<NppesImportResult> ImportAsync(NppesImportRequest request, IProgress<NppesProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var path = Path.GetFullPath(request.Path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var size = stream.Length;
        using var reader = new NppesReader(stream);
        var layout = ReadHeader(reader);
        var headerEnd = (Offset: reader.NextOffset, Line: reader.NextLine);
        var (kind, fileDate, kindReason) = KindFromName(path, request.Kind);
        var key = await FileKeyAsync(path, size, request.Filter.Describe(), kind, cancellationToken);

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var run = await db.NppesImportRuns.Where(r => r.FileKey == key && r.Status == NppesRunStatus.Running)
                .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
            if (run is not null && request.Restart)
            {
                run.Status = NppesRunStatus.Abandoned;
                await db.SaveChangesAsync(cancellationToken);
                run = null;
            }
            long? resumedAt = null;
            if (run is null)
            {
                run = new NppesImportRun
                {
                    FileKey = key, FileName = path, FileSize = size, Kind = kind, FileDate = fileDate, Filters = request.Filter.Describe(),
                    Status = NppesRunStatus.Running, StartedAt = time.GetUtcNow().UtcDateTime, RowsBefore = await db.RegistryProviders.LongCountAsync(cancellationToken),
                    ByteOffset = headerEnd.Offset, Line = headerEnd.Line,
                };
                db.NppesImportRuns.Add(run);
                await db.SaveChangesAsync(cancellationToken);
            }
            else
            {
                resumedAt = run.Line;
            }
            db.ChangeTracker.Clear();
            var previousSeconds = run.ElapsedSeconds;
            var problemsStored = await db.NppesImportProblems.CountAsync(p => p.RunId == run.Id, cancellationToken);

            await using var store = RegistryStore.For(db.Database.GetDbConnection());
            await store.PrepareAsync(cancellationToken);
            var seen = kind == NppesFileKind.Full ? new SeenNpis() : null;
            if (seen is not null && run.ByteOffset > headerEnd.Offset)
            {
                // What the file listed before the checkpoint is not in the database (an unchanged row is
                // never written), so a resumed full run reads that part again, only to know the NPIs it saw.
                progress?.Report(new NppesProgress("Re-reading", 0, size, 0, 0, 0, 0, clock.Elapsed));
                while (reader.NextOffset < run.ByteOffset && reader.Read() != NppesRecordStatus.End)
                {
                    if (reader.FieldCount > 0 && NppesRecords.Problem(reader, layout) is null && Classify(reader, layout, request.Filter) is { } action)
                    {
                        seen.Add(reader.Field(layout.Npi));
                    }
                }
            }
            reader.Seek(run.ByteOffset, run.Line);

            var batch = new List<PendingRow>(request.BatchSize);
            var batchIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            var problems = new List<NppesImportProblem>();
            var lastCheckpoint = run.ByteOffset;
            var lastReport = clock.Elapsed;
            var updatedAt = run.StartedAt;
            var writeTime = TimeSpan.Zero;

            async Task FlushAsync()
            {
                run.ByteOffset = reader.NextOffset;
                run.Line = reader.NextLine;
                run.ElapsedSeconds = previousSeconds + clock.Elapsed.TotalSeconds;
                var writing = Stopwatch.GetTimestamp();
                await store.WriteBatchAsync(batch, problems, run, cancellationToken);
                writeTime += Stopwatch.GetElapsedTime(writing);
                batch.Clear();
                batchIndex.Clear();
                problems.Clear();
                lastCheckpoint = run.ByteOffset;
            }

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var status = reader.Read();
                if (status == NppesRecordStatus.End)
                {
                    break;
                }
                run.Records++;
                var problem = status == NppesRecordStatus.Malformed
                    ? $"{ColumnName(layout, reader.ProblemField)}: {reader.Problem}"
                    : NppesRecords.Problem(reader, layout);
                if (problem is not null)
                {
                    run.BadRows++;
                    if (problemsStored < ProblemsKept)
                    {
                        problemsStored++;
                        problems.Add(new NppesImportProblem { RunId = run.Id, Line = reader.RecordLine, Message = problem });
                    }
                }
                else if (Classify(reader, layout, request.Filter) is { } action)
                {
                    seen?.Add(reader.Field(layout.Npi));
                    run.Kept++;
                    var row = action == RowAction.Upsert
                        ? NppesRecords.ToProvider(reader, layout, updatedAt)
                        : NppesRecords.ToDeactivation(reader, layout, updatedAt);
                    if (action != RowAction.Upsert)
                    {
                        run.Deactivated++;
                    }
                    // An NPI listed twice in one batch (weekly files can) keeps its last record; one
                    // set-based statement may not touch a row twice.
                    if (batchIndex.TryGetValue(row.Npi, out var earlier))
                    {
                        batch[earlier] = new PendingRow(row, action);
                    }
                    else
                    {
                        batchIndex[row.Npi] = batch.Count;
                        batch.Add(new PendingRow(row, action));
                    }
                }
                if (batch.Count >= request.BatchSize || reader.NextOffset - lastCheckpoint >= CheckpointBytes)
                {
                    await FlushAsync();
                }
                if ((run.Records & 0x3FFF) == 0 && clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(200))
                {
                    lastReport = clock.Elapsed;
                    progress?.Report(new NppesProgress("Importing", reader.NextOffset, size, reader.NextLine - 1, run.Records, run.Kept, run.BadRows, clock.Elapsed));
                }
            }
            await FlushAsync();
            progress?.Report(new NppesProgress("Importing", size, size, reader.NextLine - 1, run.Records, run.Kept, run.BadRows, clock.Elapsed));

            if (seen is not null)
            {
                progress?.Report(new NppesProgress("Marking missing", size, size, reader.NextLine - 1, run.Records, run.Kept, run.BadRows, clock.Elapsed));
                var since = run.FileDate ?? DateOnly.FromDateTime(run.StartedAt);
                await MarkMissingAsync(store, request.Filter, seen, since, run, cancellationToken);
            }
            var rowsAfter = await db.RegistryProviders.LongCountAsync(cancellationToken);
            run.Added = rowsAfter - run.RowsBefore;
            run.Status = NppesRunStatus.Completed;
            run.FinishedAt = time.GetUtcNow().UtcDateTime;
            run.ElapsedSeconds = previousSeconds + clock.Elapsed.TotalSeconds;
            await store.SaveCheckpointAsync(run, null, cancellationToken);
            var firstProblems = await db.NppesImportProblems.AsNoTracking().Where(p => p.RunId == run.Id)
                .OrderBy(p => p.Line).Take(ProblemsKept).ToListAsync(cancellationToken);
            return new NppesImportResult(run, resumedAt, kindReason, rowsAfter, firstProblems) { WriteTime = writeTime, ThisAttempt = clock.Elapsed };
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>What happens to a good record, or null when the filter drops it.</summary>
    public static RowAction? Classify(NppesReader reader, NppesLayout layout, NppesFilter filter)
    {
        if (NppesRecords.IsDeactivated(reader, layout))
        {
            // A deactivated NPI's record carries no state or taxonomy, so the filter cannot place it: it is
            // merged into the row already in the table whatever the filter, and added as a bare row (so a
            // lookup can say "deactivated") unless --active-only asks for active NPIs only.
            if (reader.Field(layout.EntityType).IsEmpty)
            {
                return filter.ActiveOnly ? RowAction.DeactivateExisting : RowAction.Deactivate;
            }
            if (filter.ActiveOnly)
            {
                return RowAction.DeactivateExisting;
            }
        }
        if (!filter.KeepsState(reader.Field(layout.State)))
        {
            return null;
        }
        var slot = NppesRecords.PrimaryTaxonomySlot(reader, layout);
        return filter.KeepsTaxonomy(slot < 0 ? default : reader.Field(layout.TaxonomyCode[slot])) ? RowAction.Upsert : null;
    }

    /// <summary>
    /// After a full file: every row of the import's scope (its states and taxonomy groups) that the file
    /// did not list as kept gets MissingSince, page by page in NPI order, each page committed with the run.
    /// </summary>
    private async Task MarkMissingAsync(RegistryStore store, NppesFilter filter, SeenNpis seen, DateOnly since, NppesImportRun run, CancellationToken cancellationToken)
    {
        var after = "";
        var connection = db.Database.GetDbConnection();
        while (true)
        {
            var page = new List<string>(20_000);
            await using (var command = connection.CreateCommand())
            {
                var sql = new StringBuilder("""SELECT "Npi" FROM "RegistryProviders" WHERE "MissingSince" IS NULL AND "Npi" > @after""");
                AddParameter(command, "after", after);
                if (filter.States.Count > 0)
                {
                    sql.Append(""" AND "State" IN (""").AppendJoin(", ", filter.States.Select((s, i) => $"@s{i}")).Append(')');
                    for (var i = 0; i < filter.States.Count; i++)
                    {
                        AddParameter(command, $"s{i}", filter.States[i]);
                    }
                }
                if (filter.Codes is { } codes)
                {
                    var list = codes.ToList();
                    sql.Append(""" AND "TaxonomyCode" IN (""").AppendJoin(", ", list.Select((_, i) => $"@c{i}")).Append(')');
                    for (var i = 0; i < list.Count; i++)
                    {
                        AddParameter(command, $"c{i}", list[i]);
                    }
                }
                sql.Append(""" ORDER BY "Npi" LIMIT 20000""");
                command.CommandText = sql.ToString();
                await using var rows = await command.ExecuteReaderAsync(cancellationToken);
                while (await rows.ReadAsync(cancellationToken))
                {
                    page.Add(rows.GetString(0));
                }
            }
            if (page.Count == 0)
            {
                return;
            }
            after = page[^1];
            var missing = page.Where(npi => !seen.Contains(Encoding.ASCII.GetBytes(npi))).ToList();
            if (missing.Count > 0)
            {
                await store.MarkMissingAsync(missing, since, run, cancellationToken);
            }
        }
    }

    private static void AddParameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static NppesLayout ReadHeader(NppesReader reader)
    {
        if (reader.Read() != NppesRecordStatus.Record)
        {
            throw new NotAnNppesFileException("the file is empty or its first line is not a CSV header: this is not an NPPES NPI data dissemination file");
        }
        var header = Enumerable.Range(0, Math.Min(reader.FieldCount, NppesReader.MaxFields)).Select(i => reader.Text(i) ?? "").ToList();
        if (header.Count > 0 && header[0].StartsWith('\uFEFF'))
        {
            header[0] = header[0][1..];
        }
        return NppesLayout.FromHeader(header, out var problem) ?? throw new NotAnNppesFileException(problem!);
    }

    private static string ColumnName(NppesLayout layout, int field) =>
        field >= 0 && field < layout.ColumnCount ? layout.Names[field] : "row";

    /// <summary>
    /// NPPES names its files npidata_pfile_YYYYMMDD-YYYYMMDD.csv: the monthly full file spans from 2005, a
    /// weekly incremental one about seven days. A span of up to 31 days is weekly; a name without the
    /// dates is taken as full (say --weekly for a renamed weekly file).
    /// </summary>
    public static (NppesFileKind Kind, DateOnly? FileDate, string Reason) KindFromName(string path, NppesFileKind? chosen)
    {
        var match = FileNamePattern().Match(Path.GetFileName(path));
        DateOnly? from = null, to = null;
        if (match.Success
            && DateOnly.TryParseExact(match.Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && DateOnly.TryParseExact(match.Groups[2].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
        {
            from = start;
            to = end;
        }
        if (chosen is { } kind)
        {
            return (kind, to, kind == NppesFileKind.Full ? "--full" : "--weekly");
        }
        if (from is { } f && to is { } t)
        {
            var days = t.DayNumber - f.DayNumber;
            return days <= 31
                ? (NppesFileKind.Weekly, to, $"weekly: its name spans {days} days")
                : (NppesFileKind.Full, to, $"full: its name spans {f:yyyy-MM-dd} to {t:yyyy-MM-dd}");
        }
        return (NppesFileKind.Full, null, "full: its name has no npidata_pfile_YYYYMMDD-YYYYMMDD dates (use --weekly for a weekly file)");
    }

    private static async Task<string> FileKeyAsync(string path, long size, string filters, NppesFileKind kind, CancellationToken cancellationToken)
    {
        var head = new byte[64 * 1024];
        int read;
        await using (var file = File.OpenRead(path))
        {
            read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        var headHash = Convert.ToHexString(SHA256.HashData(head.AsSpan(0, read)));
        var text = $"{path}\n{size}\n{headHash}\n{filters}\n{kind}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    [GeneratedRegex(@"npidata_pfile_(\d{8})-(\d{8})", RegexOptions.IgnoreCase)]
    private static partial Regex FileNamePattern();
}

/// <summary>
/// The NPIs a full file listed: a bit per nine-digit NPI body from 100,000,000 to 299,999,999 (every
/// NPI begins with 1 or 2; 25 MB whatever the file size), a hash set for anything else.
/// </summary>
internal sealed class SeenNpis
{
    private const long First = 100_000_000;
    private const long Span = 200_000_000;
    private readonly ulong[] bits = new ulong[Span / 64];
    private readonly HashSet<long> others = [];

    public void Add(ReadOnlySpan<byte> npi)
    {
        var body = NppesRecords.NpiBody(npi) - First;
        if ((ulong)body < Span)
        {
            bits[body >> 6] |= 1UL << (int)(body & 63);
        }
        else
        {
            others.Add(body);
        }
    }

    public bool Contains(ReadOnlySpan<byte> npi)
    {
        if (npi.Length != 10)
        {
            return false;
        }
        var body = NppesRecords.NpiBody(npi) - First;
        return (ulong)body < Span ? (bits[body >> 6] & (1UL << (int)(body & 63))) != 0 : others.Contains(body);
    }
}
