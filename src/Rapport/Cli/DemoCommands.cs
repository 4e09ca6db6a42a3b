using System.CommandLine;
using System.Diagnostics;
using Rapport.Demo;
using Spectre.Console;

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
            var options = new DemoOptions { Seed = parse.GetValue(seed), Scale = parse.GetValue(scale) };
            var seeder = services.GetRequiredService<DemoSeeder>();
            var stopwatch = Stopwatch.StartNew();
            var result = await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(context => seeder.SeedIfEmptyAsync(options, new StageProgress(context), ct));
            if (!result.Created)
            {
                throw new CliException("The database already holds data; demo data goes into an empty database only.");
            }
            Console.WriteLine($"Loaded '{result.OrganizationName}' ({result.OrganizationSlug}) in {stopwatch.Elapsed.TotalSeconds:F1} s. " +
                $"Sign in as {DemoSeeder.AdminEmail} / {DemoSeeder.AdminPassword}");
            return 0;
        }, cancellationToken));
        return new Command("demo", "Demo data.") { seedCommand };
    }

    /// <summary>
    /// One bar per seeding stage. Reports are applied on the calling thread, in order
    /// (<see cref="Progress{T}"/> would post them to the thread pool and could reorder them).
    /// </summary>
    private sealed class StageProgress(ProgressContext context) : IProgress<DemoProgress>
    {
        private readonly Dictionary<string, ProgressTask> tasks = new(StringComparer.Ordinal);

        public void Report(DemoProgress value)
        {
            if (!tasks.TryGetValue(value.Stage, out var task))
            {
                tasks[value.Stage] = task = context.AddTask(Markup.Escape(value.Stage), maxValue: Math.Max(1, value.Total));
            }
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Done;
            if (value.Done >= value.Total)
            {
                task.StopTask();
            }
        }
    }
}
