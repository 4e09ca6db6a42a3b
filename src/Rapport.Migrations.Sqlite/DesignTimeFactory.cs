using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Rapport.Data;
using Rapport.Tenancy;

namespace Rapport.Migrations.Sqlite;

/// <summary>Lets `dotnet ef migrations add` build the context for SQLite.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<RapportDbContext>
{
    public RapportDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<RapportDbContext>()
            .UseSqlite("Data Source=design.db", o => o.MigrationsAssembly(DatabaseSettings.SqliteMigrations)).Options;
#pragma warning disable RS0030 // Design time only: `dotnet ef` builds the model, no row is stamped.
        return new RapportDbContext(options, new CurrentOrganization(), TimeProvider.System);
#pragma warning restore RS0030
    }
}
