using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Rapport.Audit;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Imports;

public enum RowOutcome { Invalid, Added, Updated, Unchanged }

/// <summary>What one kind of import knows: its columns, its keys, and how a row becomes an entity.</summary>
internal abstract class ImportHandler
{
    public abstract string EntityName { get; }

    public abstract IReadOnlyList<ImportColumn> Columns { get; }

    /// <summary>camelCase service field → CSV column, where snake_case of the field is not the column.</summary>
    public virtual IReadOnlyDictionary<string, string> ColumnOfField { get; } = new Dictionary<string, string>();

    /// <summary>New entities staged by <see cref="Stage"/>, inserted in batches after every row passed.</summary>
    public List<object> NewEntities { get; } = [];

    /// <summary>Loads the organization's existing rows (tracked, to detect changes) and reference keys: one query each.</summary>
    public abstract Task LoadAsync(CancellationToken cancellationToken);

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

    private IProperty[]? properties;

    /// <summary>
    /// Existing rows are loaded without tracking (tracking 50,000 rows costs more than the import);
    /// a row is compared with its stored values after the service's CopyOnto, and only a row that
    /// differs is attached, with the changed properties marked, so unchanged rows are not rewritten.
    /// </summary>
    protected RowOutcome Apply<TEntity>(RapportDbContext db, TEntity? existing, Func<TEntity> create, Action<TEntity> copyOnto) where TEntity : class
    {
        if (existing is null)
        {
            var created = create();
            copyOnto(created);
            NewEntities.Add(created);
            return RowOutcome.Added;
        }
        properties ??= [.. db.Model.FindEntityType(typeof(TEntity))!.GetProperties().Where(p => !p.IsShadowProperty())];
        var before = new object?[properties.Length];
        for (var i = 0; i < properties.Length; i++)
        {
            before[i] = properties[i].GetGetter().GetClrValue(existing);
        }
        copyOnto(existing);
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

    protected static int? MaxLength<TEntity>(RapportDbContext db, string property) =>
        db.Model.FindEntityType(typeof(TEntity))?.FindProperty(property)?.GetMaxLength();
}

/// <summary>
/// Imports sources, patients, referrals or touchpoints from CSV into the current organization,
/// with the same rules as the forms and the API (the feature services' static Check/CopyOnto).
/// All rows are checked before anything is written; the write is one transaction.
/// </summary>
public sealed class CsvImporter(RapportDbContext db, PracticeClock time)
{
    /// <summary>The columns of a kind, for documentation, templates and help text.</summary>
    public IReadOnlyList<ImportColumn> ColumnsOf(ImportKind kind) => CreateHandler(kind).Columns;

    public async Task<ImportResult> ImportFileAsync(ImportKind kind, string path, ImportOptions options,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await ImportAsync(kind, reader, path, options, progress, cancellationToken);
    }

    public async Task<ImportResult> ImportAsync(ImportKind kind, TextReader text, string fileName, ImportOptions options,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var handler = CreateHandler(kind);
        var errors = new List<ImportError>();
        ImportResult Rejected() => new() { Kind = kind, FileName = fileName, Errors = errors, Rejected = true, DryRun = options.DryRun };

        progress?.Report(new ImportProgress("Reading", 0, 0));
        var csv = new CsvRecordReader(text);
        List<CsvRecord> records = [];
        ImportHeader header;
        try
        {
            if (csv.Read() is not { } headerRecord)
            {
                errors.Add(new ImportError(1, "header", "The file is empty; the first line must name the columns."));
                return Rejected();
            }
            header = ImportHeader.Parse(headerRecord, handler.Columns, errors);
            // Header problems make every row unreadable, so they stop the import even with --skip-invalid.
            if (errors.Count > 0)
            {
                return Rejected();
            }
            while (csv.Read() is { } record)
            {
                records.Add(record);
            }
        }
        catch (CsvFormatException e)
        {
            errors.Add(new ImportError(e.Line, "row", e.Message));
            return Rejected();
        }

        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            progress?.Report(new ImportProgress("Checking", 0, records.Count));
            await handler.LoadAsync(cancellationToken);
            int added = 0, updated = 0, unchanged = 0, invalid = 0;
            for (var i = 0; i < records.Count; i++)
            {
                var row = new ImportRow(header, records[i]);
                if (records[i].Fields.Length > header.Count && records[i].Fields.Skip(header.Count).Any(f => !string.IsNullOrWhiteSpace(f)))
                {
                    row.Add("row", $"The row has {records[i].Fields.Length} fields but the header names {header.Count} columns.");
                }
                var outcome = row.IsValid ? handler.Stage(row) : RowOutcome.Invalid;
                switch (outcome)
                {
                    case RowOutcome.Added: added++; break;
                    case RowOutcome.Updated: updated++; break;
                    case RowOutcome.Unchanged: unchanged++; break;
                    default:
                        invalid++;
                        errors.AddRange(row.Errors.OrderBy(e => header.PositionOf(e.Column)));
                        break;
                }
                if (i % 1000 == 999)
                {
                    progress?.Report(new ImportProgress("Checking", i + 1, records.Count));
                }
            }
            progress?.Report(new ImportProgress("Checking", records.Count, records.Count));

            var result = new ImportResult
            {
                Kind = kind, FileName = fileName, Rows = records.Count, Added = added, Updated = updated, Unchanged = unchanged,
                Skipped = options.SkipInvalid ? invalid : 0, InvalidRows = invalid, Errors = errors, DryRun = options.DryRun,
            };
            if (errors.Count > 0 && !options.SkipInvalid)
            {
                db.ChangeTracker.Clear();
                return result with { Added = 0, Updated = 0, Unchanged = 0, Rejected = true };
            }
            if (options.DryRun)
            {
                db.ChangeTracker.Clear();
                return result;
            }
            await WriteAsync(handler, result, options, progress, cancellationToken);
            return result with { Written = true };
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private async Task WriteAsync(ImportHandler handler, ImportResult result, ImportOptions options, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var total = result.Added + result.Updated;
        progress?.Report(new ImportProgress("Writing", 0, total));
        // Join the caller's transaction if there is one, so an import can be part of a larger unit of work.
        var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            // Updated rows are the only tracked ones and are saved by EF, so each leaves its own audit
            // event; change detection is back on so the DbContext's stamps (UpdatedAt) are saved too. New rows are
            // bulk-inserted (see BulkInsert) and accounted for by this one summary event instead.
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
            var done = result.Updated;
            progress?.Report(new ImportProgress("Writing", done, total));
            foreach (var batch in handler.NewEntities.Chunk(Math.Max(1, options.BatchSize)))
            {
                await BulkInsert.InsertAsync(db, batch, now, cancellationToken);
                done += batch.Length;
                progress?.Report(new ImportProgress("Writing", done, total));
            }
            await handler.AfterWriteAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
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
