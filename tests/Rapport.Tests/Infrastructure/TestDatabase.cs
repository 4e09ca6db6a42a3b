using Microsoft.Data.Sqlite;
using Npgsql;
using Rapport.Data;

namespace Rapport.Tests.Infrastructure;

/// <summary>
/// The databases every integration test runs against: a temporary SQLite file always, and a fresh
/// database on a real PostgreSQL server when RAPPORT_TEST_POSTGRES holds a connection string. Under
/// CI=true a missing server fails the test instead of skipping it.
/// </summary>
public static class TestDatabases
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> Kinds => new(Sqlite, Postgres);

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("RAPPORT_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>An empty database: for tests of the migrations themselves and of what a first start does.</summary>
    public static Task<TestDatabase> CreateAsync(string kind) => CreateAsync(kind, migrated: false);

    /// <summary>
    /// A database already at the latest migration, copied from a template migrated once per migrations
    /// build (see <see cref="MigratedTemplates"/>): what <see cref="RapportApp"/> and most CLI tests start from.
    /// Migrating again on start finds nothing pending, exactly as on a production restart.
    /// </summary>
    public static Task<TestDatabase> CreateMigratedAsync(string kind) => CreateAsync(kind, migrated: true);

    private static async Task<TestDatabase> CreateAsync(string kind, bool migrated)
    {
        if (kind == Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "rapport-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, "rapport.db");
            if (migrated)
            {
                File.Copy(await MigratedTemplates.SqliteAsync(), file);
            }
            return new TestDatabase(kind, $"Data Source={file}", async () =>
            {
                SqliteConnection.ClearAllPools();
                await Task.Yield();
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
            });
        }
        var server = PostgresConnectionString;
        if (server is null)
        {
            if (InCi)
            {
                throw new InvalidOperationException("CI=true but RAPPORT_TEST_POSTGRES is not set: the PostgreSQL tests must run in CI.");
            }
            Assert.Skip("RAPPORT_TEST_POSTGRES is not set; PostgreSQL tests run in CI (.ci/run).");
        }
        var name = "rapport_test_" + Guid.NewGuid().ToString("N")[..16];
        var template = migrated ? await MigratedTemplates.PostgresAsync(server) : null;
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            // A copy of the template is a file copy on the server: far cheaper than replaying every migration.
            var sql = template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}";
            await using var create = new NpgsqlCommand(sql, connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(kind, builder.ToString(), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        });
    }
}

/// <summary>
/// One database per provider migrated with the real migrations (through <see cref="DatabaseMaintenance"/>,
/// as the app does on start), named after the migrations assemblies' build ids, so a changed migration
/// gets a new template and concurrent test processes on other branches never share a stale one.
/// Each is built under a private name and published by an atomic rename: a process that loses the race
/// drops its copy and uses the winner's, so no lock is needed.
/// </summary>
internal static class MigratedTemplates
{
    private static readonly Lazy<Task<string>> SqliteTemplate = new(BuildSqliteAsync);
    private static readonly SemaphoreSlim PostgresGate = new(1, 1);
    private static string? postgresTemplate;

    private static string BuildId(string assemblyName) =>
        System.Reflection.Assembly.Load(assemblyName).ManifestModule.ModuleVersionId.ToString("N")[..12];

    public static Task<string> SqliteAsync() => SqliteTemplate.Value;

    private static async Task<string> BuildSqliteAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rapport-tests", "templates");
        Directory.CreateDirectory(folder);
        var published = Path.Combine(folder, $"sqlite-{BuildId(DatabaseSettings.SqliteMigrations)}.db");
        if (File.Exists(published))
        {
            return published;
        }
        var building = Path.Combine(folder, $"building-{Guid.NewGuid():N}.db");
        // No pooling: the last connection's close checkpoints the WAL into the file, so the file alone is the database.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = building, Pooling = false }.ToString();
        await MigrateAsync(new DatabaseSettings(DatabaseProvider.Sqlite, connectionString));
        try
        {
            File.Move(building, published, overwrite: false);
        }
        catch (IOException) when (File.Exists(published))
        {
            File.Delete(building);
        }
        return published;
    }

    public static async Task<string> PostgresAsync(string server)
    {
        if (postgresTemplate is not null)
        {
            return postgresTemplate;
        }
        await PostgresGate.WaitAsync();
        try
        {
            return postgresTemplate ??= await BuildPostgresAsync(server);
        }
        finally
        {
            PostgresGate.Release();
        }
    }

    private static async Task<string> BuildPostgresAsync(string server)
    {
        var name = $"rapport_template_{BuildId(DatabaseSettings.PostgresMigrations)}";
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync() is not null)
            {
                return name;
            }
        }
        var building = "rapport_building_" + Guid.NewGuid().ToString("N")[..16];
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {building}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        var migrateTo = new NpgsqlConnectionStringBuilder(server) { Database = building, Pooling = false }.ToString();
        await MigrateAsync(new DatabaseSettings(DatabaseProvider.Postgres, migrateTo));
        try
        {
            await using var rename = new NpgsqlCommand($"ALTER DATABASE {building} RENAME TO {name}", connection);
            await rename.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {building} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        return name;
    }

    private static async Task MigrateAsync(DatabaseSettings settings)
    {
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<RapportDbContext>();
        settings.Configure(options);
        await using var db = new RapportDbContext(options.Options, new Rapport.Tenancy.CurrentOrganization(), new TemplateTime());
        await new DatabaseMaintenance(db, settings).MigrateAsync();
    }

    /// <summary>Migrations never read the clock; this only satisfies the context's constructor without the wall clock.</summary>
    private sealed class TemplateTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => TestClock.Now;
    }
}

public sealed class TestDatabase(string kind, string connectionString, Func<Task> cleanup) : IAsyncDisposable
{
    public string Kind { get; } = kind;
    public string ConnectionString { get; } = connectionString;

    /// <summary>Configuration arguments that point the app or the CLI at this database.</summary>
    public string[] ConfigurationArgs =>
        [$"--Database:Provider={Kind}", $"--ConnectionStrings:Rapport={ConnectionString}"];

    public ValueTask DisposeAsync() => new(cleanup());
}
