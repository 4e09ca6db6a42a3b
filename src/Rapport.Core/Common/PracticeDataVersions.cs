using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Caching.Memory;
using Rapport.Data;

namespace Rapport.Common;

/// <summary>
/// A practice's data version: a counter raised by every write to the practice's data (SaveChanges
/// and the bulk paths). Read-side caches keep what they computed together with the version they read
/// before computing, and recompute when it has moved, so a cached figure is never older than the last
/// write, on this node or any other node sharing the database.
/// </summary>
public sealed class PracticeDataVersion
{
    public int OrganizationId { get; set; }
    public long Version { get; set; }
}

public sealed class PracticeDataVersionConfiguration : IEntityTypeConfiguration<PracticeDataVersion>
{
    public void Configure(EntityTypeBuilder<PracticeDataVersion> builder)
    {
        builder.HasKey(v => v.OrganizationId);
        builder.Property(v => v.OrganizationId).ValueGeneratedNever();
    }
}

public static class PracticeDataVersions
{
    // One statement on both engines (SQLite 3.24+ and PostgreSQL 9.5+ share the upsert syntax).
    internal static Task BumpAsync(RapportDbContext db, int organizationId, CancellationToken cancellationToken) =>
        db.NoteDataWrite().Database.ExecuteSqlAsync(
            $"""INSERT INTO "PracticeDataVersions" ("OrganizationId", "Version") VALUES ({organizationId}, 1) ON CONFLICT ("OrganizationId") DO UPDATE SET "Version" = "PracticeDataVersions"."Version" + 1""",
            cancellationToken);

    internal static void Bump(RapportDbContext db, int organizationId) =>
        db.NoteDataWrite().Database.ExecuteSql(
            $"""INSERT INTO "PracticeDataVersions" ("OrganizationId", "Version") VALUES ({organizationId}, 1) ON CONFLICT ("OrganizationId") DO UPDATE SET "Version" = "PracticeDataVersions"."Version" + 1""");

    public static async Task<long> CurrentAsync(RapportDbContext db, int organizationId, CancellationToken cancellationToken) =>
        await db.PracticeDataVersions.AsNoTracking().Where(v => v.OrganizationId == organizationId)
            .Select(v => (long?)v.Version).FirstOrDefaultAsync(cancellationToken) ?? 0;
}

/// <summary>The node's store behind <see cref="PracticeReadCache"/>: bounded, so memory stays flat however many practices and views are asked for.</summary>
public sealed class PracticeReadCacheStore : IDisposable
{
    internal const int MaxEntries = 512;
    internal MemoryCache Entries { get; } = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    /// <summary>Computations under way, by key and version: requests that miss together wait for one.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<(object Key, long Version), Task<object?>> InFlight { get; } = new();

    public void Dispose() => Entries.Dispose();
}

/// <summary>
/// Caches read models that are costly to compute and the same for every user of a practice (the
/// dashboard, the home page's NPS tiles), keyed by practice and by everything the caller says the
/// result depends on (put the practice's today and the query in <c>key</c>: a string, or a tuple of
/// values with value equality such as records), and valid only for the
/// practice's current <see cref="PracticeDataVersion"/>.
/// </summary>
public sealed class PracticeReadCache(RapportDbContext db, PracticeReadCacheStore store)
{
    private sealed record Entry(long Version, object Value);

    // The version read once per scope (a request), read again after this scope's own writes.
    private (int OrganizationId, int WritesSeen, long Version)? versionRead;

    public async Task<T> GetOrComputeAsync<T>(object key, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken) where T : class
    {
        var organizationId = db.Organization.RequiredId;
        // Read before computing: a write committed meanwhile raises the version past this one, so
        // what is computed now can only be newer than what the version says, never older.
        var version = await VersionAsync(organizationId, cancellationToken);
        var cacheKey = (organizationId, typeof(T), key);
        if (store.Entries.TryGetValue(cacheKey, out Entry? entry) && entry!.Version == version)
        {
            return (T)entry.Value;
        }
        // After a write, every request of the practice misses at once (32 at a time under load):
        // one computes, the others wait for its result. If it fails or its request is cancelled,
        // each waiting request computes for itself.
        var flightKey = ((object)cacheKey, version);
        var mine = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = store.InFlight.GetOrAdd(flightKey, mine.Task);
        if (flight != mine.Task && await flight.WaitAsync(cancellationToken) is T shared)
        {
            return shared;
        }
        try
        {
            var value = await compute(cancellationToken);
            store.Entries.Set(cacheKey, new Entry(version, value), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30) });
            mine.TrySetResult(value);
            return value;
        }
        finally
        {
            mine.TrySetResult(null);
            store.InFlight.TryRemove(new KeyValuePair<(object, long), Task<object?>>(flightKey, mine.Task));
        }
    }

    /// <summary>
    /// The practice's data version as another query of this request already read it (the session
    /// check reads it with the user, sparing every page a round trip). Taken only before this scope
    /// has read or written anything itself.
    /// </summary>
    public void Know(int organizationId, long version)
    {
        versionRead ??= (organizationId, db.DataWrites, version);
    }

    private async Task<long> VersionAsync(int organizationId, CancellationToken cancellationToken)
    {
        if (versionRead is { } read && read.OrganizationId == organizationId && read.WritesSeen == db.DataWrites)
        {
            return read.Version;
        }
        var writes = db.DataWrites;
        var version = await PracticeDataVersions.CurrentAsync(db, organizationId, cancellationToken);
        versionRead = (organizationId, writes, version);
        return version;
    }
}
