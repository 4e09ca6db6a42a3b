using Rapport.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Tenancy;

namespace Rapport.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Which database Rapport talks to, read from standard configuration.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string SqliteMigrations = "Rapport.Migrations.Sqlite";
    public const string PostgresMigrations = "Rapport.Migrations.Postgres";

    /// <summary>
    /// <c>Database:Provider</c> is <c>sqlite</c> (default) or <c>postgres</c>;
    /// <c>ConnectionStrings:Rapport</c> names the database. Without a connection string, SQLite
    /// uses <c>rapport.db</c> in the data folder (<c>DataFolder</c>, default <c>./data</c>).
    /// </summary>
    public static DatabaseSettings From(IConfiguration configuration)
    {
        var providerName = configuration["Database:Provider"] ?? "sqlite";
        var provider = providerName.Trim().ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException($"Database:Provider '{providerName}' is not supported; use 'sqlite' or 'postgres'."),
        };
        var connectionString = configuration.GetConnectionString("Rapport");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
            {
                throw new InvalidOperationException("Database:Provider is 'postgres' but ConnectionStrings:Rapport is not set.");
            }
            var folder = Path.GetFullPath(configuration["DataFolder"] ?? "data");
            Directory.CreateDirectory(folder);
            connectionString = $"Data Source={Path.Combine(folder, "rapport.db")}";
        }
        return new DatabaseSettings(provider, connectionString) { Sqlite = SqliteTuning.From(configuration) };
    }

    /// <summary>The per-connection PRAGMAs of every SQLite connection (<see cref="SqliteTuning"/>).</summary>
    public SqliteTuning Sqlite
    {
        get => sqlite;
        init => (sqlite, sqliteInterceptor) = (value, new SqliteTuningInterceptor(value));
    }
    private readonly SqliteTuning sqlite = SqliteTuning.Default;
    private readonly SqliteTuningInterceptor sqliteInterceptor = new(SqliteTuning.Default);

    public void Configure(DbContextOptionsBuilder options)
    {
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(ConnectionString, o => o.MigrationsAssembly(SqliteMigrations)).AddInterceptors(sqliteInterceptor);
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(PostgresConnectionString, o => o.MigrationsAssembly(PostgresMigrations));
                break;
        }
    }

    // Configure runs for every DbContext (every request): the connection string is parsed once.
    private sealed record PoolString(string Given, string Used);
    private PoolString? postgresPool;

    private string PostgresConnectionString
    {
        get
        {
            if (postgresPool is not { } pool || !ReferenceEquals(pool.Given, ConnectionString))
            {
                postgresPool = pool = new PoolString(ConnectionString, WithPostgresPoolDefaults(ConnectionString));
            }
            return pool.Used;
        }
    }

    /// <summary>
    /// Npgsql settings Rapport turns on unless the connection string sets them itself, chosen by
    /// measurement (bench/dashboard-load.sh on the large network: the dashboard page under wrk went
    /// from ~800 to ~1,300–1,500 requests a second on PostgreSQL). <c>Max Auto Prepare</c>: a statement
    /// run five times on a pooled connection is prepared once, so PostgreSQL stops parsing the same
    /// per-request queries (the session check, the practice's data version). <c>No Reset On Close</c>:
    /// no reset statement before every reuse of a pooled connection — Rapport keeps no session state on
    /// its connections (its advisory locks are transaction-scoped, <c>pg_advisory_xact_lock</c>; the one
    /// temporary table, the NPPES import's, is dropped and created again by each import).
    /// <para>
    /// <c>plan_cache_mode=force_custom_plan</c> (in <c>Options</c>): a prepared statement is still
    /// planned for its values and the table's current size on every run, as an unprepared one is.
    /// Without it PostgreSQL switches a statement to a generic plan after five runs and keeps it: an
    /// import into a new practice planned its look-ups while Referrals was empty and then scanned the
    /// growing table for every chunk (500,000 rows: not done after 12 minutes, against 66 s).
    /// </para>
    /// </summary>
    public static string WithPostgresPoolDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!given.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        if (builder.Options?.Contains("plan_cache_mode", StringComparison.OrdinalIgnoreCase) != true)
        {
            builder.Options = string.IsNullOrWhiteSpace(builder.Options)
                ? "-c plan_cache_mode=force_custom_plan"
                : builder.Options + " -c plan_cache_mode=force_custom_plan";
        }
        return builder.ConnectionString;
    }

    public string Describe() => Provider == DatabaseProvider.Sqlite
        ? $"SQLite {new SqliteConnectionStringBuilder(ConnectionString).DataSource}"
        : $"PostgreSQL {new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.Host}/{new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database}";
}

public static class DatabaseServiceCollectionExtensions
{
    public static IServiceCollection AddRapportData(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = DatabaseSettings.From(configuration);
        services.AddSingleton(settings);
#pragma warning disable RS0030 // The one registration of the system clock; everything else injects it.
        services.AddSingleton(StartedTimeProvider.From(configuration, TimeProvider.System));
#pragma warning restore RS0030
        services.AddScoped<CurrentOrganization>();
        services.AddSingleton<PracticeTimeZones>();
        services.AddScoped<PracticeClock>();
        services.AddDbContext<RapportDbContext>(settings.Configure);
        services.AddScoped<DatabaseMaintenance>();
        return services;
    }
}
