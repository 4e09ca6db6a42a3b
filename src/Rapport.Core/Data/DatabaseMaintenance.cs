using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Rapport.Data;

/// <summary>Migrations, health and backup: the database chores shared by <c>serve</c> and <c>rapport db</c>.</summary>
public sealed class DatabaseMaintenance(RapportDbContext db, DatabaseSettings settings)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets the web app read while an import or the seeder writes; the mode is stored
            // in the file, so setting it once is enough, but it is cheap to assert every start.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        // Every CLI verb and every server start comes here. EF's Migrate compares the model with the
        // last migration's snapshot even when nothing is pending (1.2 s of a 3.4 s `rapport alerts`
        // on the large network); the history table alone says whether there is anything to do.
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default) =>
        (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();

    /// <summary>
    /// Whether the database answers (the /healthz check). On SQLite, EF's CanConnect opens a new,
    /// unpooled read-only connection each time, which cost the health check 1 ms of CPU and a
    /// finalizer per call (bench/dashboard-load.sh: 812 req/s); one statement on a pooled connection
    /// says the same. The file is looked for first, so a check never creates an empty database.
    /// </summary>
    public async Task<bool> CanConnectAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Provider == DatabaseProvider.Sqlite
            && new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) is { DataSource: var file, Mode: not SqliteOpenMode.Memory }
            && file != ":memory:" && !File.Exists(file))
        {
            return false;
        }
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// A consistent copy of a live SQLite database through SQLite's online backup API, so the app
    /// can keep serving while it runs. PostgreSQL has pg_dump for this.
    /// </summary>
    public async Task BackupAsync(string destinationPath, CancellationToken cancellationToken = default)
    {
        if (settings.Provider != DatabaseProvider.Sqlite)
        {
            throw new InvalidOperationException("Backups of PostgreSQL are made with pg_dump, e.g. `pg_dump --format=custom --file=rapport.dump \"$DATABASE_URL\"`.");
        }
        var destination = Path.GetFullPath(destinationPath);
        if (File.Exists(destination))
        {
            throw new InvalidOperationException($"{destination} already exists; choose a new file name.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        await using var source = new SqliteConnection(settings.ConnectionString);
        await source.OpenAsync(cancellationToken);
        await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString());
        await target.OpenAsync(cancellationToken);
        source.BackupDatabase(target);
    }
}
