using Npgsql;

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

    public static async Task<TestDatabase> CreateAsync(string kind)
    {
        if (kind == Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "rapport-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            return new TestDatabase(kind, $"Data Source={Path.Combine(folder, "rapport.db")}", async () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
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

public sealed class TestDatabase(string kind, string connectionString, Func<Task> cleanup) : IAsyncDisposable
{
    public string Kind { get; } = kind;
    public string ConnectionString { get; } = connectionString;

    /// <summary>Configuration arguments that point the app or the CLI at this database.</summary>
    public string[] ConfigurationArgs =>
        [$"--Database:Provider={Kind}", $"--ConnectionStrings:Rapport={ConnectionString}"];

    public ValueTask DisposeAsync() => new(cleanup());
}
