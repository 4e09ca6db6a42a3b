using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;
using Rapport.Audit;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.Imports;

public enum ImportRunStatus { Draft, Queued, Running, Done, Rejected, Failed, Undone }

/// <summary>
/// One import as the history shows it: who, when, which file, what it did. A file uploaded in the app
/// is kept here (<see cref="Content"/>) from the mapping step until its background run ends; a
/// command-line import is recorded when it runs. Every row a run added or changed is in its
/// journal (<see cref="ImportRunEntry"/>), which is what makes undo possible.
/// </summary>
public sealed class ImportRun : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public ImportKind Kind { get; set; }
    public required string FileName { get; set; }
    public ImportRunStatus Status { get; set; }
    /// <summary>The uploaded file until its run has ended; cleared then.</summary>
    public byte[]? Content { get; set; }
    /// <summary>JSON: the file's header → Rapport column, as chosen on the mapping page (null: Rapport's own headers).</summary>
    public string? Mapping { get; set; }
    public string? MappingName { get; set; }
    public bool SkipInvalid { get; set; }
    public int Rows { get; set; }
    public int Added { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Skipped { get; set; }
    public int PatientsAdded { get; set; }
    public int ErrorCount { get; set; }
    /// <summary>The first problems, one FILE:LINE: column: problem a line.</summary>
    public string? Errors { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime? FinishedAt { get; set; }
    public DateTime? UndoneAt { get; set; }
    public string? UndoneBy { get; set; }
    public DateTime? LeaseUntil { get; set; }

    public Dictionary<string, string>? ColumnMap() =>
        Mapping is null ? null : new(JsonSerializer.Deserialize<Dictionary<string, string>>(Mapping) ?? [], StringComparer.OrdinalIgnoreCase);

    public bool IsFinished => Status is ImportRunStatus.Done or ImportRunStatus.Rejected or ImportRunStatus.Failed or ImportRunStatus.Undone;
}

/// <summary>One row an import run added or changed: its values after the run, and for a change the values before.</summary>
public sealed class ImportRunEntry : IOrganizationOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public int RunId { get; set; }
    public required string EntityType { get; set; }
    public long EntityId { get; set; }
    public bool Added { get; set; }
    /// <summary>JSON: the properties the run changed, with their values before it (null for an added row).</summary>
    public string? Before { get; set; }
    /// <summary>JSON: every property's value as the run left it; undo is refused when the row no longer has them.</summary>
    public required string After { get; set; }
}

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> b)
    {
        b.ToTable("ImportRuns");
        b.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(10);
        b.Property(r => r.FileName).HasMaxLength(260);
        b.Property(r => r.Mapping).HasMaxLength(20_000);
        b.Property(r => r.MappingName).HasMaxLength(100);
        b.Property(r => r.Errors).HasMaxLength(200_000);
        b.Property(r => r.Note).HasMaxLength(1000);
        b.Property(r => r.CreatedBy).HasMaxLength(256);
        b.Property(r => r.UndoneBy).HasMaxLength(256);
        b.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId);
        b.HasIndex(r => new { r.OrganizationId, r.Status });
    }
}

internal sealed class ImportRunEntryConfiguration : IEntityTypeConfiguration<ImportRunEntry>
{
    public void Configure(EntityTypeBuilder<ImportRunEntry> b)
    {
        b.ToTable("ImportRunEntries");
        b.Property(e => e.EntityType).HasMaxLength(60);
        b.Property(e => e.Before).HasMaxLength(100_000);
        b.Property(e => e.After).HasMaxLength(100_000);
        b.HasOne<Organization>().WithMany().HasForeignKey(e => e.OrganizationId);
        b.HasOne<ImportRun>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.RunId, e.EntityType, e.EntityId });
    }
}

/// <summary>Wakes the import worker when a run is queued.</summary>
/// <summary>
/// The progress of runs working on this node, in memory: the run's own transaction holds the
/// database (SQLite's write lock) until it commits, so progress is not written there.
/// </summary>
public sealed class ImportProgressBoard
{
    private readonly ConcurrentDictionary<int, ImportProgress> runs = new();

    public void Report(int runId, ImportProgress progress) => runs[runId] = progress;

    public ImportProgress? Of(int runId) => runs.TryGetValue(runId, out var progress) ? progress : null;

    public void Remove(int runId) => runs.TryRemove(runId, out _);
}

/// <summary>What the mapping page shows: the file's headers, the mapping in force, a dry run's problems and the first rows as mapped.</summary>
public sealed record ImportPreview(IReadOnlyList<string> Headers, IReadOnlyDictionary<string, string> Mapping, ImportResult DryRun,
    IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> FirstRows);

/// <summary>
/// Imports with a history: uploads kept until their background run, command-line runs recorded, and
/// undo of a run nothing has changed since. The rows themselves are checked and written by
/// <see cref="CsvImporter"/>, with the same rules and errors at every door.
/// </summary>
public sealed class ImportRuns(RapportDbContext db, CsvImporter importer, PracticeClock time, JobSignal<ImportRuns> signal, ImportProgressBoard board,
    Audit.PatientDataAudit audit) : IPracticeJobQueue
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private const int ErrorsKept = 2000;

    /// <summary>Keeps an uploaded file for the mapping step, with the saved mapping or a guessed one.</summary>
    public async Task<ImportRun> UploadAsync(ImportKind kind, string fileName, byte[] content, IReadOnlyDictionary<string, string>? mapping, string? mappingName,
        CancellationToken cancellationToken = default)
    {
        if (content.Length == 0)
        {
            throw new ValidationException("file", "The file is empty.");
        }
        var run = new ImportRun
        {
            Kind = kind, FileName = Path.GetFileName(fileName), Status = ImportRunStatus.Draft, Content = content,
            CreatedAt = time.UtcNow, CreatedBy = db.Organization.Actor, MappingName = mappingName,
        };
        var headers = ReadHeaders(run);
        var chosen = mapping is not null
            ? headers.ToDictionary(h => h, h => mapping.TryGetValue(h, out var column) ? column : Guess(kind, [h]).GetValueOrDefault(h, ""), StringComparer.OrdinalIgnoreCase)
            : Guess(kind, headers);
        run.Mapping = JsonSerializer.Serialize(chosen);
        db.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    public Dictionary<string, string> Guess(ImportKind kind, IEnumerable<string> headers) => ImportColumnGuess.Guess(kind, importer.ColumnsOf(kind), headers);

    public IReadOnlyList<ImportColumn> ColumnsOf(ImportKind kind) => importer.ColumnsOf(kind);

    public async Task<ImportRun> GetAsync(int id, CancellationToken cancellationToken = default) =>
        await db.Set<ImportRun>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException($"Import {id}");

    /// <summary>The history, newest first; drafts (uploaded, never started) are left out.</summary>
    public Task<List<ImportRun>> HistoryAsync(int count = 50, CancellationToken cancellationToken = default) =>
        db.Set<ImportRun>().AsNoTracking().Where(r => r.Status != ImportRunStatus.Draft).OrderByDescending(r => r.Id).Take(count)
            .Select(r => new ImportRun
            {
                Id = r.Id, Kind = r.Kind, FileName = r.FileName, Status = r.Status, MappingName = r.MappingName, SkipInvalid = r.SkipInvalid, Rows = r.Rows,
                Added = r.Added, Updated = r.Updated, Unchanged = r.Unchanged, Skipped = r.Skipped, PatientsAdded = r.PatientsAdded, ErrorCount = r.ErrorCount,
                Note = r.Note, CreatedAt = r.CreatedAt, CreatedBy = r.CreatedBy, FinishedAt = r.FinishedAt, UndoneAt = r.UndoneAt, UndoneBy = r.UndoneBy,
            })
            .ToListAsync(cancellationToken);

    /// <summary>Changes a draft's mapping (and option) from the mapping page.</summary>
    public async Task<ImportRun> SetMappingAsync(int id, IReadOnlyDictionary<string, string> mapping, bool skipInvalid, string? mappingName, CancellationToken cancellationToken = default)
    {
        var run = await DraftAsync(id, cancellationToken);
        run.Mapping = JsonSerializer.Serialize(mapping);
        run.SkipInvalid = skipInvalid;
        run.MappingName = Formats.Clean(mappingName) ?? run.MappingName;
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>A dry run of the draft with its mapping, and its first rows as Rapport will read them.</summary>
    public async Task<ImportPreview> PreviewAsync(int id, int rows = 5, CancellationToken cancellationToken = default)
    {
        var run = await GetAsync(id, cancellationToken);
        if (run.Content is null)
        {
            throw new ValidationException("file", "This import has already run; its file is no longer kept.");
        }
        var mapping = run.ColumnMap() ?? [];
        using var stream = new MemoryStream(run.Content, writable: false);
        var dryRun = await importer.ImportStreamAsync(run.Kind, stream, run.FileName, new ImportOptions { DryRun = true, SkipInvalid = run.SkipInvalid, Mapping = mapping, MaxErrorsListed = 1000 },
            cancellationToken: cancellationToken);
        var headers = ReadHeaders(run);
        var columns = importer.ColumnsOf(run.Kind).Select(c => c.Name).Where(c => mapping.ContainsValue(c) || headers.Any(h => ImportHeader.Normalize(h) == c && !mapping.ContainsKey(h))).ToList();
        var first = new List<IReadOnlyList<string>>();
        using var records = OpenRecords(run);
        if (records.Read() is { } header)
        {
            var positions = columns.ToDictionary(c => c, c => Array.FindIndex(header.Fields, f => mapping.TryGetValue(f.Trim(), out var m) ? m == c : ImportHeader.Normalize(f) == c));
            while (first.Count < rows && records.Read() is { } record)
            {
                first.Add([.. columns.Select(c => positions[c] is var p && p >= 0 && p < record.Fields.Length ? record.Fields[p] : "")]);
            }
        }
        return new ImportPreview(headers, mapping, dryRun, columns, first);
    }

    /// <summary>Starts the draft's import in the background.</summary>
    public async Task<ImportRun> QueueAsync(int id, CancellationToken cancellationToken = default)
    {
        var run = await DraftAsync(id, cancellationToken);
        run.Status = ImportRunStatus.Queued;
        run.CreatedAt = time.UtcNow;
        run.CreatedBy = db.Organization.Actor;
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return run;
    }

    /// <summary>
    /// Imports a file now (the command line), recorded in the history with its journal. A dry run
    /// writes nothing, not even history.
    /// </summary>
    public async Task<(ImportResult Result, int? RunId)> ImportNowAsync(ImportKind kind, Stream file, string fileName, ImportOptions options, string? mappingName,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (options.DryRun)
        {
            return (await importer.ImportStreamAsync(kind, file, fileName, options, progress, cancellationToken), null);
        }
        var run = new ImportRun
        {
            Kind = kind, FileName = Path.GetFileName(fileName), Status = ImportRunStatus.Running, SkipInvalid = options.SkipInvalid, MappingName = mappingName,
            Mapping = options.Mapping is null ? null : JsonSerializer.Serialize(options.Mapping), CreatedAt = time.UtcNow, CreatedBy = db.Organization.Actor,
        };
        db.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        ImportResult result;
        try
        {
            result = await importer.ImportStreamAsync(kind, file, fileName, options with { JournalRunId = run.Id }, progress, cancellationToken);
        }
        catch
        {
            await FinishAsync(run.Id, null, "The import stopped on an unexpected error; nothing was written.", CancellationToken.None);
            throw;
        }
        await FinishAsync(run.Id, result, null, cancellationToken);
        return (result, run.Id);
    }

    /// <summary>Runs this practice's queued imports (and those a stopped node left); returns how many ran.</summary>
    public async Task<int> RunPendingAsync(CancellationToken cancellationToken = default)
    {
        var now = time.UtcNow;
        var pending = await db.Set<ImportRun>().AsNoTracking()
            .Where(r => (r.Status == ImportRunStatus.Queued || r.Status == ImportRunStatus.Running) && r.Content != null && (r.LeaseUntil == null || r.LeaseUntil < now))
            .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        var ran = 0;
        foreach (var id in pending)
        {
            var until = time.UtcNow + Lease;
            var claimed = await db.Set<ImportRun>()
                .Where(r => r.Id == id && (r.Status == ImportRunStatus.Queued || r.Status == ImportRunStatus.Running) && (r.LeaseUntil == null || r.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ImportRunStatus.Running).SetProperty(r => r.LeaseUntil, until), cancellationToken) == 1;
            if (!claimed)
            {
                continue;
            }
            var run = await GetAsync(id, cancellationToken);
            var actor = db.Organization.Actor;
            db.Organization.Actor = run.CreatedBy ?? actor;
            try
            {
                using var stream = new MemoryStream(run.Content!, writable: false);
                var progress = new Progress(p => board.Report(id, p));
                var result = await importer.ImportStreamAsync(run.Kind, stream, run.FileName,
                    new ImportOptions { SkipInvalid = run.SkipInvalid, Mapping = run.ColumnMap(), JournalRunId = id }, progress, cancellationToken);
                await FinishAsync(id, result, null, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await FinishAsync(id, null, "The import stopped on an unexpected error; nothing was written. See the server log.", CancellationToken.None);
                throw;
            }
            finally
            {
                db.Organization.Actor = actor;
                board.Remove(id);
            }
            ran++;
        }
        return ran;
    }

    /// <summary>Where a run is: its status and, while it runs on this node, rows read of the file's size.</summary>
    public async Task<(ImportRun Run, ImportProgress? Progress)> StatusAsync(int id, CancellationToken cancellationToken = default)
    {
        var run = await db.Set<ImportRun>().AsNoTracking().Where(r => r.Id == id)
            .Select(r => new ImportRun
            {
                Id = r.Id, Kind = r.Kind, FileName = r.FileName, Status = r.Status, Rows = r.Rows, Added = r.Added, Updated = r.Updated, Unchanged = r.Unchanged,
                Skipped = r.Skipped, PatientsAdded = r.PatientsAdded, ErrorCount = r.ErrorCount, Errors = r.Errors, Note = r.Note, CreatedAt = r.CreatedAt,
                CreatedBy = r.CreatedBy, FinishedAt = r.FinishedAt, SkipInvalid = r.SkipInvalid, MappingName = r.MappingName,
            })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException($"Import {id}");
        return (run, board.Of(id));
    }

    /// <summary>
    /// The run as its page shows it. The row problems of a patients, referrals or outcome-forms file quote
    /// the file's patient values (a name, a birth date), so showing them is a read of patient data.
    /// </summary>
    public async Task<(ImportRun Run, ImportProgress? Progress)> ShowAsync(int id, CancellationToken cancellationToken = default)
    {
        var (run, progress) = await StatusAsync(id, cancellationToken);
        if (run.ErrorCount > 0 && PatientEntityOf(run.Kind) is { } entityType)
        {
            await audit.ListedAsync(entityType, run.ErrorCount, $"problems of import {id}", cancellationToken);
        }
        return (run, progress);
    }

    /// <summary>The patient-data entity a file of this kind carries, or null (sources, touches).</summary>
    public static string? PatientEntityOf(ImportKind kind) => kind switch
    {
        ImportKind.Patients => nameof(Patients.Patient),
        ImportKind.Referrals => nameof(Referrals.Referral),
        ImportKind.Assessments => nameof(Outcomes.OutcomeAssessment),
        _ => null,
    };

    private async Task FinishAsync(int id, ImportResult? result, string? failure, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var run = await db.Set<ImportRun>().FirstAsync(r => r.Id == id, cancellationToken);
        run.FinishedAt = time.UtcNow;
        run.LeaseUntil = null;
        run.Content = null;
        if (result is null)
        {
            run.Status = ImportRunStatus.Failed;
            run.Errors = failure;
        }
        else
        {
            run.Status = result.Written ? ImportRunStatus.Done : ImportRunStatus.Rejected;
            (run.Rows, run.Added, run.Updated, run.Unchanged, run.Skipped, run.PatientsAdded, run.ErrorCount) =
                (result.Rows, result.Added, result.Updated, result.Unchanged, result.Skipped, result.PatientsAdded, result.ErrorCount);
            run.Errors = result.Errors.Count == 0 ? null : Truncate(string.Join('\n', result.Errors.Take(ErrorsKept).Select(e => e.Format(run.FileName))), 200_000);
            // Warnings (a deactivated NPI) are not problems; the run's note keeps them, as far as it holds.
            var note = string.Join("; ", new[] { result.Note }.Concat(result.Warnings.Select(w => $"line {w.Line}: {w.Message}")).OfType<string>());
            run.Note = note.Length == 0 ? null : Truncate(note, 1000);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private async Task<ImportRun> DraftAsync(int id, CancellationToken cancellationToken)
    {
        var run = await db.Set<ImportRun>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException($"Import {id}");
        if (run.Status != ImportRunStatus.Draft)
        {
            throw new ValidationException("import", $"This import is {run.Status.ToString().ToLowerInvariant()}; upload the file again to import it again.");
        }
        return run;
    }

    /// <summary>The file's header row as written (blank names left out).</summary>
    private static List<string> ReadHeaders(ImportRun run)
    {
        try
        {
            using var records = OpenRecords(run);
            return records.Read() is { } header ? [.. header.Fields.Select(f => f.Trim().Trim('\uFEFF').Trim()).Where(f => f.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)] : [];
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // A damaged or foreign file has no headers to map; the check that follows says what is wrong with it.
            return [];
        }
    }

    private static RecordsOf OpenRecords(ImportRun run)
    {
        var bytes = run.Content!;
        if (XlsxRecordReader.LooksLikeXlsx(bytes))
        {
            var workbook = new XlsxRecordReader(new MemoryStream(bytes, writable: false));
            return new RecordsOf(workbook, workbook);
        }
        var encoding = ImportFileEncoding.DetectAsync(new MemoryStream(bytes, writable: false), ImportEncoding.Auto, CancellationToken.None).GetAwaiter().GetResult();
        var reader = new StreamReader(new MemoryStream(bytes, encoding.Start, bytes.Length - encoding.Start, writable: false), encoding.Encoding, false);
        return new RecordsOf(new CsvRecordReader(reader), reader);
    }

    private sealed class RecordsOf(IImportRecords records, IDisposable owner) : IDisposable
    {
        public CsvRecord? Read() => records.Read();

        public void Dispose() => owner.Dispose();
    }

    private sealed class Progress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    /// <summary>
    /// Undoes a finished run: the rows it added are deleted and the values it changed are put back,
    /// in one transaction, with an audit event per row as any edit. Refused, with the reason, when
    /// anything happened to those rows since: a row edited or deleted (its values are no longer
    /// the ones the run left, whoever changed them — a person, the API or a later import), or a row
    /// added since that refers to a row the run added (a referral of an imported patient, a touch
    /// on an imported source). Then undo would lose work or break a reference, so nothing is done.
    /// </summary>
    public async Task<string> UndoAsync(int id, CancellationToken cancellationToken = default)
    {
        var run = await db.Set<ImportRun>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException($"Import {id}");
        if (run.Status != ImportRunStatus.Done)
        {
            throw new ValidationException("import", run.Status == ImportRunStatus.Undone
                ? $"Import {id} was already undone."
                : $"Import {id} is {run.Status.ToString().ToLowerInvariant()}: it wrote nothing, so there is nothing to undo.");
        }
        var entries = await db.Set<ImportRunEntry>().AsNoTracking().Where(e => e.RunId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var problems = new List<string>();
        var rows = new Dictionary<(string Type, long Id), object>();
        foreach (var group in entries.GroupBy(e => e.EntityType))
        {
            var type = db.Model.GetEntityTypes().First(t => t.ClrType.Name == group.Key);
            foreach (var chunk in group.Chunk(500))
            {
                var found = await LoadAsync(type, [.. chunk.Select(e => e.EntityId)], cancellationToken);
                foreach (var entry in chunk)
                {
                    if (!found.TryGetValue(entry.EntityId, out var entity))
                    {
                        problems.Add($"{Describe(type.ClrType.Name, entry)} was deleted since.");
                        continue;
                    }
                    var now = JournalValues.Snapshot(type, p => p.GetGetter().GetClrValue(entity));
                    var then = JournalValues.Read(entry.After);
                    var changed = then.Where(v => now.TryGetValue(v.Key, out var value) && value != v.Value).Select(v => v.Key).ToList();
                    if (changed.Count > 0)
                    {
                        problems.Add($"{Describe(type.ClrType.Name, entry)} was changed since ({string.Join(", ", changed)}).");
                    }
                    rows[(group.Key, entry.EntityId)] = entity;
                }
            }
        }
        problems.AddRange(await DependentsAsync(entries, cancellationToken));
        if (problems.Count > 0)
        {
            throw new ValidationException("import", $"Import {id} cannot be undone: " + string.Join(" ", problems.Take(5)) + (problems.Count > 5 ? $" (and {problems.Count - 5} more)" : ""));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int deleted = 0, restored = 0;
        foreach (var entry in entries.AsEnumerable().Reverse())
        {
            var entity = rows[(entry.EntityType, entry.EntityId)];
            var tracked = db.Attach(entity);
            if (entry.Added)
            {
                tracked.State = EntityState.Deleted;
                deleted++;
            }
            else
            {
                foreach (var (name, value) in JournalValues.Read(entry.Before))
                {
                    var property = tracked.Property(name);
                    property.CurrentValue = JournalValues.Parse(value, property.Metadata.ClrType);
                    property.IsModified = true;
                }
                restored++;
            }
        }
        run.Status = ImportRunStatus.Undone;
        run.UndoneAt = time.UtcNow;
        run.UndoneBy = db.Organization.Actor;
        var summary = $"{run.FileName}: undone, {deleted} row(s) removed, {restored} row(s) put back as they were.";
        db.AuditEvents.Add(new AuditEvent
        {
            OrganizationId = db.Organization.RequiredId, At = time.UtcNow, Actor = db.Organization.Actor, Action = "ImportUndone",
            EntityType = nameof(ImportRun), EntityId = id.ToString(CultureInfo.InvariantCulture), Summary = summary,
        });
        // SaveChanges audits each row and marks the dashboard months of the referrals removed or put back.
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return summary;
    }

    private static string Describe(string type, ImportRunEntry entry)
    {
        var values = JournalValues.Read(entry.After);
        var key = values.GetValueOrDefault("ExternalId") ?? values.GetValueOrDefault("Npi");
        return $"{type} {key ?? "#" + entry.EntityId.ToString(CultureInfo.InvariantCulture)}";
    }

    private async Task<Dictionary<long, object>> LoadAsync(IEntityType type, long[] ids, CancellationToken cancellationToken)
    {
        var method = typeof(ImportRuns).GetMethod(nameof(LoadTypedAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(type.ClrType);
        return await (Task<Dictionary<long, object>>)method.Invoke(this, [type, ids, cancellationToken])!;
    }

    private async Task<Dictionary<long, object>> LoadTypedAsync<T>(IEntityType type, long[] ids, CancellationToken cancellationToken) where T : class
    {
        var key = type.FindPrimaryKey()!.Properties[0];
        List<T> found = key.ClrType == typeof(long)
            ? await db.Set<T>().AsNoTracking().Where(e => ids.Contains(EF.Property<long>(e, key.Name))).ToListAsync(cancellationToken)
            : await db.Set<T>().AsNoTracking().Where(e => ids.Select(i => (int)i).Contains(EF.Property<int>(e, key.Name))).ToListAsync(cancellationToken);
        return found.ToDictionary(e => Convert.ToInt64(key.GetGetter().GetClrValue(e), CultureInfo.InvariantCulture), e => (object)e);
    }

    /// <summary>Rows outside the run that refer to rows the run added (any foreign key of the model), counted per kind.</summary>
    private async Task<List<string>> DependentsAsync(List<ImportRunEntry> entries, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var added = entries.Where(e => e.Added).GroupBy(e => e.EntityType).ToDictionary(g => g.Key, g => g.Select(e => e.EntityId).ToHashSet());
        // Rows the run itself wrote (added, or changed such as an existing referral moved onto a patient the
        // run created): undo deletes or puts them back, so their references are not someone else's.
        var journaled = entries.GroupBy(e => e.EntityType).ToDictionary(g => g.Key, g => g.Select(e => e.EntityId).ToHashSet());
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var (typeName, ids) in added)
            {
                var principal = db.Model.GetEntityTypes().First(t => t.ClrType.Name == typeName);
                foreach (var foreignKey in principal.GetReferencingForeignKeys())
                {
                    var dependent = foreignKey.DeclaringEntityType;
                    if (dependent.GetTableName() is not { } table || foreignKey.Properties.Count != 1 || dependent.FindPrimaryKey()?.Properties.Count != 1)
                    {
                        continue;
                    }
                    var store = StoreObjectIdentifier.Table(table, dependent.GetSchema());
                    var column = foreignKey.Properties[0].GetColumnName(store)!;
                    var keyColumn = dependent.FindPrimaryKey()!.Properties[0].GetColumnName(store)!;
                    var own = journaled.GetValueOrDefault(dependent.ClrType.Name) ?? [];
                    var others = 0;
                    foreach (var chunk in ids.Chunk(500))
                    {
                        await using var command = connection.CreateCommand();
                        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                        var sql = new StringBuilder($"SELECT {Quote(keyColumn)} FROM {(dependent.GetSchema() is { } schema ? Quote(schema) + "." : "")}{Quote(table)} WHERE {Quote(column)} IN (");
                        for (var i = 0; i < chunk.Length; i++)
                        {
                            var parameter = command.CreateParameter();
                            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
                            parameter.Value = foreignKey.Properties[0].ClrType == typeof(long) || foreignKey.Properties[0].ClrType == typeof(long?) ? chunk[i] : (int)chunk[i];
                            command.Parameters.Add(parameter);
                            sql.Append(i == 0 ? "" : ", ").Append(parameter.ParameterName);
                        }
                        command.CommandText = sql.Append(')').ToString();
                        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                        while (await reader.ReadAsync(cancellationToken))
                        {
                            if (!own.Contains(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture)))
                            {
                                others++;
                            }
                        }
                    }
                    if (others > 0)
                    {
                        problems.Add($"{others} {dependent.ClrType.Name} row(s) added since refer to {typeName} rows it added.");
                    }
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return problems;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
