using System.CommandLine;
using Rapport.Demo;
using Rapport.Web;

namespace Rapport.Cli;

public static class ServeCommand
{
    public static Command Create()
    {
        var demo = new Option<bool>("--demo") { Description = "Load the demo practice into an empty database and print its sign-in." };
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, e.g. http://localhost:5080 (default)." };
        var command = new Command("serve", "Run the web app (UI, JSON API, /healthz).") { demo, urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var args = parse.UnmatchedTokens.ToList();
            args.Add($"--urls={parse.GetValue(urls) ?? "http://localhost:5080"}");
            var app = RapportWeb.Build([.. args]);
            await CliHost.MigrateIfConfiguredAsync(app.Services, cancellationToken);
            if (parse.GetValue(demo))
            {
                await using var scope = app.Services.CreateAsyncScope();
                var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
                var result = await seeder.SeedIfEmptyAsync(new DemoOptions(), progress: null, cancellationToken);
                Console.WriteLine(result.Created
                    ? $"Loaded the demo practice '{result.OrganizationName}'."
                    : "The database already holds data; the demo practice was not loaded again.");
                Console.WriteLine($"Demo sign-in: {DemoSeeder.AdminEmail} / {DemoSeeder.AdminPassword}");
            }
            await app.StartAsync(cancellationToken);
            foreach (var address in app.Urls)
            {
                Console.WriteLine($"Rapport is listening on {address}");
            }
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
