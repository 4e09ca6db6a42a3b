using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Rapport.Data;

/// <summary>
/// The per-connection settings of every SQLite connection the app opens through EF, applied once
/// per physical connection (a pooled connection keeps them), so no request pays for them twice.
/// SQLite's defaults are for a phone: a 2 MB page cache and temporary b-trees on disk.
/// <para>
/// The page cache is per connection, so it is multiplied by the connections the web server keeps
/// open under load (up to one per concurrent request); <see cref="CacheMiB"/> stays modest for
/// that reason, and the importer raises it for its own connection while it runs
/// (<see cref="ImportCacheMiB"/>), where one connection does random inserts into large indexes.
/// 64 MB by measurement (500,000 referrals into the large network, bench/import-large.sh): 256 MB
/// imported in 37 s at a peak RSS of 493 MB, 64 MB in 47 s at 287 MB, 16 MB in 50 s at 238 MB — the
/// cache is the import's RSS, and the issue's bound is 300 MB for any file and database size.
/// Memory-mapped I/O is off by default: mapped pages count in the process's RSS, and on the large network the dashboard server's RSS after load was 294 MB
/// without it against 322 MB with 256 MB mapped, at the same speed (bench/dashboard-load.sh).
/// Temporary b-trees (sorts, DISTINCT, IN lists) stay in memory.
/// </para>
/// Each can be set in configuration (Database:Sqlite:CacheMiB, ...) to measure another choice.
/// </summary>
public sealed record SqliteTuning(int CacheMiB, int ImportCacheMiB, int MmapMiB, bool TempStoreMemory, string? Synchronous)
{
    public static SqliteTuning Default { get; } = new(CacheMiB: 16, ImportCacheMiB: 64, MmapMiB: 0, TempStoreMemory: true, Synchronous: null);

    public static SqliteTuning From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Database:Sqlite");
        return new SqliteTuning(
            section.GetValue(nameof(CacheMiB), Default.CacheMiB),
            section.GetValue(nameof(ImportCacheMiB), Default.ImportCacheMiB),
            section.GetValue(nameof(MmapMiB), Default.MmapMiB),
            section.GetValue(nameof(TempStoreMemory), Default.TempStoreMemory),
            section[nameof(Synchronous)] ?? Default.Synchronous);
    }

    /// <summary>The PRAGMAs for a new connection.</summary>
    public string Pragmas
    {
        get
        {
            var sql = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA cache_size = {-CacheMiB * 1024}; PRAGMA mmap_size = {(long)MmapMiB * 1024 * 1024}; PRAGMA temp_store = {(TempStoreMemory ? "MEMORY" : "DEFAULT")};");
            return Synchronous is { } level && level.All(char.IsAsciiLetter) ? sql + $" PRAGMA synchronous = {level};" : sql;
        }
    }

    /// <summary>The cache size for a connection doing one large write (an import), and back.</summary>
    public string CacheSizePragma(bool forImport) =>
        string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = {-(forImport ? ImportCacheMiB : CacheMiB) * 1024};");
}

/// <summary>Applies <see cref="SqliteTuning"/> when EF opens a SQLite connection not tuned before.</summary>
internal sealed class SqliteTuningInterceptor(SqliteTuning tuning) : DbConnectionInterceptor
{
    /// <summary>The native connections already tuned: a pooled connection comes back with its PRAGMAs set.</summary>
    private static readonly ConditionalWeakTable<object, object> Tuned = [];
    private readonly string pragmas = tuning.Pragmas;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Tune(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        // Microsoft.Data.Sqlite runs commands synchronously anyway; no async path to wait on.
        Tune(connection);
        return Task.CompletedTask;
    }

    private void Tune(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || Tuned.TryGetValue(handle, out _))
        {
            return;
        }
        using var command = sqlite.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
        Tuned.AddOrUpdate(handle, handle);
    }
}
