using System.CommandLine;
using Rapport.Demo;

namespace Rapport.Cli;

public static class DemoCommands
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same practice.", DefaultValueFactory = _ => DemoOptions.DefaultSeed };
        var scale = new Option<DemoScale>("--scale") { Description = "small (one practice, 3 clinics) or large (benchmark network).", DefaultValueFactory = _ => DemoScale.Small };
        var seedCommand = new Command("seed", "Load deterministic demo data into an empty database.") { seed, scale };
        seedCommand.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var result = await services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(
                new DemoOptions { Seed = parse.GetValue(seed), Scale = parse.GetValue(scale) }, progress: null, ct);
            if (!result.Created)
            {
                throw new CliException("The database already holds data; demo data goes into an empty database only.");
            }
            Console.WriteLine($"Loaded '{result.OrganizationName}'. Sign in as {DemoSeeder.AdminEmail} / {DemoSeeder.AdminPassword}");
            return 0;
        }, cancellationToken));
        return new Command("demo", "Demo data.") { seedCommand };
    }
}
