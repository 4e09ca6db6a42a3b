using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Rapport.Data;

namespace Rapport.Imports;

/// <summary>
/// What one import run wrote, row by row, so it can be undone (<see cref="ImportRuns.UndoAsync"/>):
/// for a row it added, the values it left; for a row it changed, the values before and after. It is
/// written in the import's own transaction, so a refused file leaves no journal either.
/// </summary>
internal sealed class ImportJournal(RapportDbContext db, int runId)
{
    private readonly List<object> entries = [];
    private readonly ArrayBufferWriter<byte> buffer = new(1024);

    /// <summary>
    /// The added rows' values, written straight to JSON (the same text as <see cref="JournalValues.Write"/>
    /// of their <see cref="JournalValues.Snapshot"/>, without a dictionary per row: an import adds
    /// hundreds of thousands).
    /// </summary>
    public void Added(IEnumerable<object> entities)
    {
        IEntityType? type = null;
        IProperty[] properties = [];
        foreach (var entity in entities)
        {
            if (type?.ClrType != entity.GetType())
            {
                type = db.Model.FindEntityType(entity.GetType())!;
                properties = JournalValues.Journaled(type);
            }
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                foreach (var property in properties)
                {
                    if (JournalValues.Text(property.GetGetter().GetClrValue(entity)) is { } text)
                    {
                        json.WriteString(property.Name, text);
                    }
                    else
                    {
                        json.WriteNull(property.Name);
                    }
                }
                json.WriteEndObject();
            }
            entries.Add(new ImportRunEntry
            {
                RunId = runId, EntityType = type.ClrType.Name, EntityId = KeyOf(type, entity), Added = true,
                After = Encoding.UTF8.GetString(buffer.WrittenSpan),
            });
        }
    }

    /// <summary>The changed rows with all their values before the write (EF's original values).</summary>
    public List<(EntityEntry Entry, Dictionary<string, string?> Before)> BeforeUpdates() =>
        [.. db.ChangeTracker.Entries().Where(e => e.State == EntityState.Modified && e.Entity is not ImportRunEntry)
            .Select(e => (e, JournalValues.Snapshot(e.Metadata, p => e.OriginalValues[p])))];

    /// <summary>After the write: the values that changed (derived columns included) before and after, and every value after.</summary>
    public void AfterUpdates(List<(EntityEntry Entry, Dictionary<string, string?> Before)> updates)
    {
        foreach (var (entry, before) in updates)
        {
            var after = JournalValues.Snapshot(entry.Metadata, p => entry.CurrentValues[p]);
            var changed = before.Where(b => after.TryGetValue(b.Key, out var now) && now != b.Value).ToDictionary(b => b.Key, b => b.Value);
            entries.Add(new ImportRunEntry
            {
                RunId = runId, EntityType = entry.Metadata.ClrType.Name, EntityId = KeyOf(entry.Metadata, entry.Entity), Added = false,
                Before = JournalValues.Write(changed), After = JournalValues.Write(after),
            });
        }
    }

    public async Task WriteAsync(DateTime now, CancellationToken cancellationToken)
    {
        await BulkInsert.InsertAsync(db, entries, now, cancellationToken);
        entries.Clear();
    }

    private static long KeyOf(IEntityType type, object entity) =>
        Convert.ToInt64(type.FindPrimaryKey()!.Properties[0].GetGetter().GetClrValue(entity), CultureInfo.InvariantCulture);
}

/// <summary>A row's values as invariant text, for the journal and for comparing a row with what an import left.</summary>
internal static class JournalValues
{
    /// <summary>
    /// Stamps are left out: an import's own stamp is not an edit, and moving a source's added date
    /// back (<see cref="ReferralImport.AfterWriteAsync"/>) is bookkeeping, not the person's data.
    /// </summary>
    private static readonly HashSet<string> Unjournaled = new(StringComparer.Ordinal) { "Id", "OrganizationId", "CreatedAt", "UpdatedAt" };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, IProperty[]> JournaledProperties = new();

    /// <summary>The properties a journal keeps, in the model's order.</summary>
    public static IProperty[] Journaled(IEntityType type) => JournaledProperties.GetOrAdd(type, t =>
        [.. t.GetProperties().Where(p => !p.IsShadowProperty() && !Unjournaled.Contains(p.Name))]);

    public static Dictionary<string, string?> Snapshot(IEntityType type, Func<IProperty, object?> value)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in Journaled(type))
        {
            values[property.Name] = Text(value(property));
        }
        return values;
    }

    public static string Write(Dictionary<string, string?> values) => JsonSerializer.Serialize(values);

    public static Dictionary<string, string?> Read(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];

    public static string? Text(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        // Microseconds: what PostgreSQL keeps of a timestamp.
        DateTime t => new DateTime(t.Ticks - t.Ticks % 10, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.############################", CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static object? Parse(string? text, Type type)
    {
        if (text is null)
        {
            return null;
        }
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target switch
        {
            _ when target == typeof(string) => text,
            _ when target == typeof(DateOnly) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ when target == typeof(DateTime) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            _ when target == typeof(DateTimeOffset) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            _ when target == typeof(bool) => text == "true",
            _ when target.IsEnum => Enum.Parse(target, text),
            _ => Convert.ChangeType(text, target, CultureInfo.InvariantCulture),
        };
    }
}
