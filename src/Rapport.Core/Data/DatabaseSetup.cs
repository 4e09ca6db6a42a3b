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
                options.UseNpgsql(ConnectionString, o => o.MigrationsAssembly(PostgresMigrations));
                break;
        }
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
