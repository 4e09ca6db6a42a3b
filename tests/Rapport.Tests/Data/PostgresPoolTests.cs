using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Rapport.Data;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Data;

/// <summary>The Npgsql pool settings Rapport turns on unless the connection string says otherwise.</summary>
public sealed class PostgresPoolTests
{
    [Theory]
    [InlineData("Host=db;Database=rapport", 64, true, "-c plan_cache_mode=force_custom_plan")]
    [InlineData("Host=db;Database=rapport;Max Auto Prepare=0;No Reset On Close=false", 0, false, "-c plan_cache_mode=force_custom_plan")]
    [InlineData("Host=db;Database=rapport;maxautoprepare=8;noresetonclose=false;Options=-c search_path=rapport", 8, false,
        "-c search_path=rapport -c plan_cache_mode=force_custom_plan")]
    [InlineData("Host=db;Database=rapport;Options=-c plan_cache_mode=auto", 64, true, "-c plan_cache_mode=auto")]
    public void Auto_prepare_no_reset_and_custom_plans_are_defaults_the_connection_string_can_override(string given, int maxAutoPrepare, bool noResetOnClose, string options)
    {
        var used = new NpgsqlConnectionStringBuilder(DatabaseSettings.WithPostgresPoolDefaults(given));
        Assert.Equal(maxAutoPrepare, used.MaxAutoPrepare);
        Assert.Equal(noResetOnClose, used.NoResetOnClose);
        Assert.Equal(options, used.Options);
        Assert.Equal("db", used.Host);
        Assert.Equal("rapport", used.Database);
    }

    [Fact]
    public async Task A_query_the_app_repeats_on_a_connection_is_prepared_on_the_server()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(TestDatabases.Postgres);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            Assert.DoesNotContain(await PreparedAsync(db, ct), s => s.Contains("\"Organizations\"", StringComparison.Ordinal));
            for (var i = 0; i < 6; i++)
            {
                await db.Organizations.IgnoreQueryFilters().CountAsync(ct);
            }
            Assert.Contains(await PreparedAsync(db, ct), s => s.Contains("\"Organizations\"", StringComparison.Ordinal));
            // Planned for its values on every run, never switched to a generic plan (see WithPostgresPoolDefaults).
            Assert.Equal("force_custom_plan", (await db.Database.SqlQueryRaw<string>("SELECT current_setting('plan_cache_mode') AS \"Value\"").ToListAsync(ct)).Single());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Task<List<string>> PreparedAsync(RapportDbContext db, CancellationToken ct) =>
        db.Database.SqlQueryRaw<string>("SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync(ct);
}
