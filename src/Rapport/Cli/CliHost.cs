using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.Cli;

/// <summary>
/// Runs a verb against the same services and configuration as the web app: appsettings.json,
/// RAPPORT_/ASP.NET environment variables (e.g. ConnectionStrings__Rapport) and any
/// <c>--Key=value</c> left over on the command line.
/// </summary>
public static class CliHost
{
    public static readonly Option<string?> OrgOption = new("--org")
    {
        Description = "Short name (slug) of the practice to act on; optional when the database holds one practice.",
    };

    public static IHost Build(ParseResult parse)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. parse.UnmatchedTokens],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables("RAPPORT_");
        builder.Configuration.AddCommandLine([.. parse.UnmatchedTokens]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error);
        builder.Services.AddRapportCore(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Runs <paramref name="work"/> in a scope whose current organization is chosen by --org.</summary>
    public static async Task<int> RunInOrganizationAsync(ParseResult parse, Func<IServiceProvider, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        using var host = Build(parse);
        return await Guard(async () =>
        {
            await MigrateIfConfiguredAsync(host.Services, cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var organizations = scope.ServiceProvider.GetRequiredService<OrganizationService>();
            var organization = await SelectOrganizationAsync(organizations, parse.GetValue(OrgOption), cancellationToken);
            var current = scope.ServiceProvider.GetRequiredService<CurrentOrganization>();
            current.Set(organization.Id);
            current.Actor = $"cli:{Environment.UserName}";
            return await work(scope.ServiceProvider, cancellationToken);
        });
    }

    /// <summary>Runs <paramref name="work"/> in a scope with no organization selected (database chores, seeding).</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, CancellationToken, Task<int>> work, CancellationToken cancellationToken, bool migrate = true)
    {
        using var host = Build(parse);
        return await Guard(async () =>
        {
            if (migrate)
            {
                await MigrateIfConfiguredAsync(host.Services, cancellationToken);
            }
            await using var scope = host.Services.CreateAsyncScope();
            return await work(scope.ServiceProvider, cancellationToken);
        });
    }

    public static async Task MigrateIfConfiguredAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<IConfiguration>().GetValue("Database:MigrateOnStart", true))
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseMaintenance>().MigrateAsync(cancellationToken);
        }
    }

    private static async Task<Organization> SelectOrganizationAsync(OrganizationService organizations, string? slug, CancellationToken cancellationToken)
    {
        if (slug is not null)
        {
            return await organizations.FindBySlugAsync(slug, cancellationToken)
                ?? throw new CliException($"No practice has the short name '{slug}'.");
        }
        var all = await organizations.AllAsync(cancellationToken);
        return all.Count switch
        {
            0 => throw new CliException("The database holds no practice yet: create one with `rapport orgs create --name NAME --admin-email E` (or run `rapport serve` and complete setup, or `rapport demo seed`)."),
            1 => all[0],
            _ => throw new CliException($"The database holds {all.Count} practices; choose one with --org ({string.Join(", ", all.Select(o => o.Slug))})."),
        };
    }

    private static async Task<int> Guard(Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (ConflictException e)
        {
            await Console.Error.WriteLineAsync($"{e.Field}: {e.Message}");
            return 1;
        }
        catch (ValidationException e)
        {
            foreach (var (field, problems) in e.Errors)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync($"{field}: {problem}");
                }
            }
            return 2;
        }
        catch (Exception e) when (e is CliException or NotFoundException or Rapport.Email.EmailNotConfiguredException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return e is NotFoundException ? 3 : 1;
        }
    }
}

/// <summary>A problem to report to the person at the terminal, without a stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
