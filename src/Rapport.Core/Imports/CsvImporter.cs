using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Rapport.Audit;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Imports;

public enum RowOutcome { Invalid, Added, Updated, Unchanged }

/// <summary>What one kind of import knows: its columns, its keys, and how a row becomes an entity.</summary>
internal abstract class ImportHandler
{
    /// <summary>Keys per look-up query: well under any database's parameter limit, and a plan that stays cached.</summary>
    public const int DefaultLookupSize = 1000;

    /// <summary>Keys per look-up query (<see cref="ImportOptions.LookupSize"/>; tests lower it to cross chunk boundaries with few rows).</summary>
    public int LookupSize { get; set; } = DefaultLookupSize;

    public abstract string EntityName { get; }

    public abstract IReadOnlyList<ImportColumn> Columns { get; }

    /// <summary>camelCase service field → CSV column, where snake_case of the field is not the column.</summary>
    public virtual IReadOnlyDictionary<string, string> ColumnOfField { get; } = new Dictionary<string, string>();

    /// <summary>New entities staged by <see cref="Stage"/> for the current chunk, bulk-inserted when it is written.</summary>
    public List<object> NewEntities { get; } = [];

    /// <summary>
    /// New rows the chunk's entities refer to (patients a referrals file creates), inserted first;
    /// <see cref="LinkPrerequisites"/> then gives the entities their ids.
    /// </summary>
    public List<object> NewPrerequisites { get; } = [];

    /// <summary>Rows staged with a warning (not a problem: the row is imported), reported with the result.</summary>
    public List<ImportError> Warnings { get; } = [];

    /// <summary>How many prerequisites the whole file added (or would add, in a dry run).</summary>
    public int PrerequisitesAdded { get; protected set; }

    /// <summary>Sets the foreign keys of the chunk's entities once <see cref="NewPrerequisites"/> have their ids.</summary>
    public virtual void LinkPrerequisites()
    {
    }

    /// <summary>Header rules beyond "required in header" (a column required unless others stand in for it).</summary>
    public virtual void CheckHeader(ImportHeader header, int line, List<ImportError> errors)
    {
    }

    /// <summary>Loads the practice-wide reference data every row may need and that stays small (clinics): once per import.</summary>
    public virtual Task LoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Looks up the existing rows and references the chunk's rows name, and only those (chunked IN
    /// queries), so memory follows the chunk, not the practice's data.
    /// </summary>
    public virtual Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Checks one row; when valid, stages it as a new entity or applies it to the existing one.</summary>
    public abstract RowOutcome Stage(ImportRow row);

    /// <summary>Work that needs the rows written, in the import's transaction (after the new rows are inserted).</summary>
    public virtual Task AfterWriteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Remembers a key's first line so a repeat within the file is an error on the later line.</summary>
    protected static bool IsRepeat<TKey>(Dictionary<TKey, int> seen, TKey key, ImportRow row, string column, string what) where TKey : notnull
    {
        if (seen.TryGetValue(key, out var firstLine))
        {
            row.Add(column, $"{what} already appears on line {firstLine}; each row of a file must have its own key.");
            return true;
        }
        seen[key] = row.Line;
        return false;
    }

    /// <summary>The same for a file's main key, kept compactly (a million keys fit in tens of megabytes).</summary>
    protected static bool IsRepeat(KeyLines seen, string key, ImportRow row, string column, string what)
    {
        if (!seen.TryAdd(key, row.Line, out var firstLine))
        {
            row.Add(column, $"{what} already appears on line {firstLine}; each row of a file must have its own key.");
            return true;
        }
        return false;
    }

    /// <summary>The distinct non-blank values of a column in a chunk, in look-up-sized groups.</summary>
    protected IEnumerable<string[]> KeysOf(IReadOnlyList<ImportRow> rows, string column)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Text(column) is { } key)
            {
                keys.Add(key);
            }
        }
        return keys.Chunk(LookupSize);
    }

    private IProperty[]? properties;
    private (IProperty Property, int MaxLength)[]? boundedText;

    /// <summary>
    /// Existing rows are loaded without tracking (tracking 50,000 rows costs more than the import);
    /// a row is compared with its stored values after the service's CopyOnto, and only a row that
    /// differs is attached, with the changed properties marked, so unchanged rows are not rewritten.
    /// The values as they would be stored are held to the database's column lengths (the EF model),
    /// so a long value is a problem of its row and column, never a database error that ends the import.
    /// </summary>
    protected RowOutcome Apply<TEntity>(ImportRow row, RapportDbContext db, TEntity? existing, Func<TEntity> create, Action<TEntity> copyOnto) where TEntity : class
    {
        if (!row.IsValid)
        {
            return RowOutcome.Invalid;
        }
        var entityType = db.Model.FindEntityType(typeof(TEntity))!;
        boundedText ??= [.. entityType.GetProperties().Where(p => p.ClrType == typeof(string) && p.GetMaxLength() is not null).Select(p => (p, p.GetMaxLength()!.Value))];
        if (existing is null)
        {
            var created = create();
            copyOnto(created);
            if (!FitsColumns(row, created))
            {
                return RowOutcome.Invalid;
            }
            NewEntities.Add(created);
            return RowOutcome.Added;
        }
        properties ??= [.. entityType.GetProperties().Where(p => !p.IsShadowProperty())];
        var before = new object?[properties.Length];
        for (var i = 0; i < properties.Length; i++)
        {
            before[i] = properties[i].GetGetter().GetClrValue(existing);
        }
        copyOnto(existing);
        if (!FitsColumns(row, existing))
        {
            return RowOutcome.Invalid;
        }
        EntityEntry? entry = null;
        for (var i = 0; i < properties.Length; i++)
        {
            if (!Equals(before[i], properties[i].GetGetter().GetClrValue(existing)))
            {
                if (entry is null)
                {
                    entry = db.Entry(existing);
                    entry.State = EntityState.Unchanged;
                }
                var property = entry.Property(properties[i].Name);
                property.OriginalValue = before[i];
                property.IsModified = true;
            }
        }
        return entry is null ? RowOutcome.Unchanged : RowOutcome.Updated;
    }

    private bool FitsColumns(ImportRow row, object entity)
    {
        var fits = true;
        foreach (var (property, max) in boundedText!)
        {
            if (property.GetGetter().GetClrValue(entity) is string value && value.Length > max)
            {
                var field = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
                var column = ColumnOfField.TryGetValue(field, out var mapped) ? mapped : ImportRow.SnakeCase(field);
                row.AddTooLong(row.Has(column) ? column : "row", value.Length, max);
                fits = false;
            }
        }
        return fits;
    }

    protected static int? MaxLength<TEntity>(RapportDbContext db, string property) =>
        db.Model.FindEntityType(typeof(TEntity))?.FindProperty(property)?.GetMaxLength();
}

/// <summary>
/// Imports sources, patients, referrals or touchpoints from CSV into the current organization,
/// with the same rules as the forms and the API (the feature services' static Check/CopyOnto).
/// <para>
/// The file is streamed in chunks (<see cref="ImportOptions.BatchSize"/> rows): each chunk is read,
/// its keys looked up, its rows checked, and — while no row of the file has failed — written, all
/// in one transaction that commits only after the last row passed. A bad row anywhere stops the
/// writing, the rest of the file is still checked so every problem is reported, and the
/// transaction rolls back: nothing is written, as before, but memory is bounded by a chunk plus the
/// keys seen (for repeats within the file) instead of growing with the file and the practice's data.
/// One pass, rather than checking the whole file and then reading it again to write, keeps a good
/// file's import as fast as before; the price is that a bad row late in a large file is found after
/// some rows were written and rolled back.
/// </para>
/// </summary>
public sealed class CsvImporter(RapportDbContext db, PracticeClock time, DatabaseSettings? settings = null)
{
    /// <summary>The columns of a kind, for documentation, templates and help text.</summary>
    public IReadOnlyList<ImportColumn> ColumnsOf(ImportKind kind) => CreateHandler(kind).Columns;

    public async Task<ImportResult> ImportFileAsync(ImportKind kind, string path, ImportOptions options,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return await ImportStreamAsync(kind, stream, path, options, progress, cancellationToken);
    }

    /// <summary>Imports a file's bytes, choosing the decoding as <see cref="ImportOptions.Encoding"/> says (<see cref="ImportFileEncoding"/>).</summary>
    public async Task<ImportResult> ImportStreamAsync(ImportKind kind, Stream stream, string fileName, ImportOptions options,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The import reads the file twice (to choose its encoding, then its rows); give a seekable stream.", nameof(stream));
        }
        var start = new byte[4];
        var read = await stream.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, cancellationToken);
        stream.Position = 0;
        if (XlsxRecordReader.LooksLikeXlsx(start.AsSpan(0, read)))
        {
            XlsxRecordReader workbook;
            try
            {
                workbook = new XlsxRecordReader(stream);
            }
            catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
            {
                var unreadable = new ImportError(1, "file", "The file looks like an Excel workbook (XLSX) but cannot be opened: it is damaged, password-protected or another kind of zip file. Save it again from Excel, or as CSV.");
                return new ImportResult { Kind = kind, FileName = fileName, Errors = [unreadable], ErrorCount = 1, Rejected = true, DryRun = options.DryRun };
            }
            using (workbook)
            {
                return await ImportCoreAsync(kind, workbook, fileName, options, null, () => (workbook.RowsRead, workbook.LastRow), progress, cancellationToken);
            }
        }
        var encoding = await ImportFileEncoding.DetectAsync(stream, options.Encoding, cancellationToken);
        if (encoding.Problem is { } problem)
        {
            return new ImportResult { Kind = kind, FileName = fileName, Errors = [problem], ErrorCount = 1, Rejected = true, DryRun = options.DryRun };
        }
        stream.Position = encoding.Start;
        using var reader = new StreamReader(stream, encoding.Encoding, detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true);
        var length = stream.Length;
        return await ImportCoreAsync(kind, new CsvRecordReader(reader), fileName, options, encoding.Note, () => (stream.Position, length), progress, cancellationToken);
    }

    /// <summary>Imports text already decoded.</summary>
    public Task<ImportResult> ImportAsync(ImportKind kind, TextReader text, string fileName, ImportOptions options,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ImportCoreAsync(kind, new CsvRecordReader(text), fileName, options, note: null, position: null, progress, cancellationToken);

    private async Task<ImportResult> ImportCoreAsync(ImportKind kind, IImportRecords csv, string fileName, ImportOptions options, string? note,
        Func<(long Done, long Total)>? position, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var handler = CreateHandler(kind);
        handler.LookupSize = Math.Max(1, options.LookupSize);
        var errors = new List<ImportError>();
        var errorCount = 0;
        ImportHeader? header = null;
        void Report(ImportError error)
        {
            errorCount++;
            if (errors.Count < options.MaxErrorsListed)
            {
                errors.Add(header is null ? error : error with { Column = header.FileNameOf(error.Column) });
            }
        }
        ImportResult Rejected() => new()
        {
            Kind = kind, FileName = fileName, Errors = errors, ErrorCount = errorCount, Rejected = true, DryRun = options.DryRun, Note = note,
        };

        progress?.Report(new ImportProgress("Reading", 0, 0));
        var mapping = options.Mapping is null ? null : new Dictionary<string, string>(options.Mapping, StringComparer.OrdinalIgnoreCase);
        try
        {
            if (csv.Read() is not { } headerRecord)
            {
                Report(new ImportError(1, "header", "The file is empty; the first line must name the columns."));
                return Rejected();
            }
            var headerErrors = new List<ImportError>();
            var parsed = ImportHeader.Parse(headerRecord, handler.Columns, headerErrors, mapping);
            handler.CheckHeader(parsed, headerRecord.Line, headerErrors);
            headerErrors.ForEach(Report);
            header = parsed;
            // Header problems make every row unreadable, so they stop the import even with --skip-invalid.
            if (errorCount > 0)
            {
                return Rejected();
            }
        }
        catch (CsvFormatException e)
        {
            Report(new ImportError(e.Line, "row", e.Message));
            return Rejected();
        }

        var chunkSize = Math.Max(1, options.BatchSize);
        var stage = options.DryRun ? "Checking" : "Importing";
        int rows = 0, added = 0, updated = 0, unchanged = 0, invalid = 0;
        var unreadable = false;
        var now = time.GetUtcNow().UtcDateTime;
        var write = new ImportTransaction(db);
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var cache = await LargeWriteCache.RaiseAsync(db, settings, cancellationToken);
        try
        {
            await handler.LoadAsync(cancellationToken);
            var chunk = new List<ImportRow>(chunkSize);
            while (!unreadable)
            {
                chunk.Clear();
                try
                {
                    while (chunk.Count < chunkSize && csv.Read() is { } record)
                    {
                        chunk.Add(RowOf(header!, record));
                    }
                }
                catch (CsvFormatException e)
                {
                    Report(new ImportError(e.Line, "row", e.Message));
                    unreadable = true;
                }
                if (chunk.Count == 0)
                {
                    break;
                }
                rows += chunk.Count;
                await handler.PrepareAsync(chunk, cancellationToken);
                foreach (var row in chunk)
                {
                    // Staged even when the row already has a problem (extra fields, a control character),
                    // so every problem of the row is reported at once; Apply stages nothing for it.
                    var outcome = handler.Stage(row);
                    switch (outcome)
                    {
                        case RowOutcome.Added: added++; break;
                        case RowOutcome.Updated: updated++; break;
                        case RowOutcome.Unchanged: unchanged++; break;
                        default:
                            invalid++;
                            foreach (var error in row.Errors.OrderBy(e => header!.PositionOf(e.Column)))
                            {
                                Report(error);
                            }
                            break;
                    }
                }
                // Write while the file can still be committed; after a failure (without --skip-invalid)
                // only checking goes on, and the rows written so far are rolled back at the end.
                if (!options.DryRun && !unreadable && (options.SkipInvalid || errorCount == 0))
                {
                    await write.BeginAsync(cancellationToken);
                    await WriteChunkAsync(handler, now, options.JournalRunId, cancellationToken);
                }
                handler.NewEntities.Clear();
                handler.NewPrerequisites.Clear();
                db.ChangeTracker.Clear();
                var (done, total) = position?.Invoke() ?? (rows, 0);
                progress?.Report(new ImportProgress(stage, done, total));
            }

            var result = new ImportResult
            {
                Kind = kind, FileName = fileName, Rows = rows, Added = added, Updated = updated, Unchanged = unchanged, PatientsAdded = handler.PrerequisitesAdded,
                Skipped = options.SkipInvalid ? invalid : 0, InvalidRows = invalid, Errors = errors, ErrorCount = errorCount,
                Warnings = [.. handler.Warnings.Take(options.MaxErrorsListed).Select(w => w with { Column = header!.FileNameOf(w.Column) })],
                DryRun = options.DryRun, Note = note,
            };
            if (unreadable || (errorCount > 0 && !options.SkipInvalid))
            {
                await write.RollBackAsync(cancellationToken);
                return result with { Added = 0, Updated = 0, Unchanged = 0, Skipped = 0, PatientsAdded = 0, Rejected = true };
            }
            if (options.DryRun)
            {
                return result;
            }
            await write.BeginAsync(cancellationToken);
            // Updated rows leave their own audit event each (SaveChanges); added rows are covered by
            // this one summary event, since they are bulk-inserted (see BulkInsert).
            db.AuditEvents.Add(new AuditEvent
            {
                OrganizationId = db.Organization.RequiredId,
                At = now,
                Actor = db.Organization.Actor,
                Action = "Import",
                EntityType = handler.EntityName,
                Summary = $"{Path.GetFileName(result.FileName)}: {result.Added} added, {result.Updated} updated, {result.Unchanged} unchanged, {result.Skipped} skipped",
            });
            db.ChangeTracker.AutoDetectChangesEnabled = true;
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.ChangeTracker.Clear();
            await handler.AfterWriteAsync(cancellationToken);
            await write.CommitAsync(cancellationToken);
            return result with { Written = true };
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
            await write.DisposeAsync();
        }
    }

    /// <summary>A row with its own checks that need no database: extra fields and characters no field may hold.</summary>
    private static ImportRow RowOf(ImportHeader header, CsvRecord record)
    {
        var row = new ImportRow(header, record);
        if (record.Fields.Length > header.Width && record.Fields.Skip(header.Width).Any(f => !string.IsNullOrWhiteSpace(f)))
        {
            row.Add("row", $"The row has {record.Fields.Length} fields but the header names {header.Width} columns.");
        }
        row.CheckCharacters();
        return row;
    }

    /// <summary>
    /// The chunk's changed rows through EF (so the DbContext stamps UpdatedAt and audits each), its new
    /// rows through <see cref="BulkInsert"/>.
    /// </summary>
    private async Task WriteChunkAsync(ImportHandler handler, DateTime now, int? journalRunId, CancellationToken cancellationToken)
    {
        var journal = journalRunId is { } runId ? new ImportJournal(db, runId) : null;
        await BulkInsert.InsertAsync(db, handler.NewPrerequisites, now, cancellationToken);
        journal?.Added(handler.NewPrerequisites);
        handler.LinkPrerequisites();
        if (db.ChangeTracker.HasChanges())
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
            db.ChangeTracker.DetectChanges();
            var updates = journal?.BeforeUpdates();
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            journal?.AfterUpdates(updates!);
        }
        await BulkInsert.InsertAsync(db, handler.NewEntities, now, cancellationToken);
        journal?.Added(handler.NewEntities);
        if (journal is not null)
        {
            await journal.WriteAsync(now, cancellationToken);
        }
    }

    /// <summary>
    /// On SQLite, a page cache large enough for the indexes an import inserts into at random places
    /// (<see cref="SqliteTuning.ImportCacheMiB"/>) on the import's connection, held open for the
    /// import and set back before it returns to the pool, so the large cache is the import's alone.
    /// </summary>
    private sealed class LargeWriteCache(RapportDbContext db, SqliteTuning tuning) : IAsyncDisposable
    {
        public static async Task<IAsyncDisposable?> RaiseAsync(RapportDbContext db, DatabaseSettings? settings, CancellationToken cancellationToken)
        {
            if (settings is not { Provider: DatabaseProvider.Sqlite, Sqlite: var tuning } || tuning.ImportCacheMiB <= tuning.CacheMiB)
            {
                return null;
            }
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(tuning.CacheSizePragma(forImport: true), cancellationToken);
            return new LargeWriteCache(db, tuning);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync(tuning.CacheSizePragma(forImport: false));
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>
    /// The import's transaction, begun at the first write so a file refused in its first chunk never
    /// takes the database's write lock. When the caller already has a transaction the import joins it
    /// (an import can be part of a larger unit of work) behind a savepoint, so a refused file still
    /// leaves nothing behind.
    /// </summary>
    private sealed class ImportTransaction(RapportDbContext db) : IAsyncDisposable
    {
        private const string Savepoint = "rapport_import";
        private IDbContextTransaction? own;
        private bool joined;

        public async Task BeginAsync(CancellationToken cancellationToken)
        {
            if (own is not null || joined)
            {
                return;
            }
            if (db.Database.CurrentTransaction is { } outer)
            {
                await outer.CreateSavepointAsync(Savepoint, cancellationToken);
                joined = true;
            }
            else
            {
                own = await db.Database.BeginTransactionAsync(cancellationToken);
            }
        }

        public async Task RollBackAsync(CancellationToken cancellationToken)
        {
            if (own is not null)
            {
                await own.RollbackAsync(cancellationToken);
            }
            else if (joined)
            {
                await db.Database.CurrentTransaction!.RollbackToSavepointAsync(Savepoint, cancellationToken);
            }
        }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
            else if (joined)
            {
                await db.Database.CurrentTransaction!.ReleaseSavepointAsync(Savepoint, cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    private ImportHandler CreateHandler(ImportKind kind) => kind switch
    {
        ImportKind.Sources => new SourceImport(db, time),
        ImportKind.Patients => new PatientImport(db, time.Today()),
        ImportKind.Referrals => new ReferralImport(db, time),
        ImportKind.Touchpoints => new TouchpointImport(db, time.Today()),
        ImportKind.Assessments => new Outcomes.AssessmentImport(db, time),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
