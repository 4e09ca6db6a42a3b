using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Rapport.Data;
using Rapport.Tenancy;

namespace Rapport.Migrations.Postgres;

/// <summary>Lets `dotnet ef migrations add` build the context for PostgreSQL (no server needed to add one).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<RapportDbContext>
{
    public RapportDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<RapportDbContext>()
            .UseNpgsql("Host=localhost;Database=rapport_design", o => o.MigrationsAssembly(DatabaseSettings.PostgresMigrations)).Options;
#pragma warning disable RS0030 // Design time only: `dotnet ef` builds the model, no row is stamped.
        return new RapportDbContext(options, new CurrentOrganization(), TimeProvider.System);
#pragma warning restore RS0030
    }
}
