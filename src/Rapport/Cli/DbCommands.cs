using System.CommandLine;
using Rapport.Data;

namespace Rapport.Cli;

public static class DbCommands
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Apply database migrations (run once per upgrade in multi-node deployments).");
        migrate.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var database = services.GetRequiredService<DatabaseMaintenance>();
            var pending = await database.PendingMigrationsAsync(ct);
            await database.MigrateAsync(ct);
            Console.WriteLine(pending.Count == 0
                ? $"{services.GetRequiredService<DatabaseSettings>().Describe()} is up to date."
                : $"Applied {pending.Count} migration(s) to {services.GetRequiredService<DatabaseSettings>().Describe()}: {string.Join(", ", pending)}");
            return 0;
        }, cancellationToken, migrate: false));

        var output = new Option<string>("--out") { Description = "File to write the backup to (must not exist).", Required = true };
        var backup = new Command("backup", "Copy the live SQLite database to a file (PostgreSQL: use pg_dump).") { output };
        backup.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var path = parse.GetValue(output)!;
            try
            {
                await services.GetRequiredService<DatabaseMaintenance>().BackupAsync(path, ct);
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }
            Console.WriteLine($"Backed up to {Path.GetFullPath(path)} ({new FileInfo(path).Length / 1024.0:N0} KiB).");
            return 0;
        }, cancellationToken, migrate: false));

        return new Command("db", "Database chores: migrate, backup.") { migrate, backup };
    }
}
