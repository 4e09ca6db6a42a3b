using System.CommandLine;
using System.Diagnostics;
using Rapport.Imports;
using Spectre.Console;

namespace Rapport.Cli;

/// <summary><c>rapport import sources|patients|referrals|touchpoints|assessments FILE.csv</c>: a thin door onto <see cref="CsvImporter"/>.</summary>
public static class ImportCommands
{
    /// <summary>Exit code when the file is rejected (same as other validation failures).</summary>
    public const int Rejected = 2;

    public static Command Create()
    {
        var import = new Command("import", "Import sources, patients, referrals, touchpoints or outcome assessments from CSV (see docs/import.md). Import sources and patients before referrals, referrals before assessments.");
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            import.Subcommands.Add(CreateKind(kind));
        }
        return import;
    }

    /// <summary>--encoding values (case-insensitive spellings people type are accepted).</summary>
    private static readonly Dictionary<string, ImportEncoding> EncodingNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["utf-8"] = ImportEncoding.Utf8, ["utf8"] = ImportEncoding.Utf8,
        ["windows-1252"] = ImportEncoding.Windows1252, ["cp1252"] = ImportEncoding.Windows1252,
        ["latin1"] = ImportEncoding.Latin1, ["iso-8859-1"] = ImportEncoding.Latin1,
        ["utf-16"] = ImportEncoding.Utf16, ["utf16"] = ImportEncoding.Utf16,
    };

    private static Command CreateKind(ImportKind kind)
    {
        var name = kind.ToString().ToLowerInvariant();
        var file = new Argument<string>("file") { Description = $"CSV file with a header row of {name} columns." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Import the good rows and report the bad ones, instead of writing nothing when any row is bad." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check every row and report what would change, without writing." };
        var encoding = new Option<string>("--encoding")
        {
            Description = "The file's character encoding: utf-8, windows-1252, latin1 or utf-16. Default: a byte-order mark decides, else UTF-8, " +
                "else Windows-1252 (what Excel's plain \"CSV\" writes on Windows), which the output then says.",
        };
        var command = new Command(name, $"Import {name} from CSV: all-or-nothing, re-runnable (rows are matched on their key and only changes are written).")
        {
            file, skipInvalid, dryRun, encoding, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"{path}: no such file.");
            }
            var encodingName = parse.GetValue(encoding);
            if (encodingName is not null && !EncodingNames.ContainsKey(encodingName))
            {
                throw new CliException($"--encoding: '{encodingName}' is not one of utf-8, windows-1252, latin1, utf-16.");
            }
            var options = new ImportOptions
            {
                SkipInvalid = parse.GetValue(skipInvalid), DryRun = parse.GetValue(dryRun),
                Encoding = encodingName is null ? ImportEncoding.Auto : EncodingNames[encodingName],
            };
            var importer = services.GetRequiredService<CsvImporter>();
            var clock = Stopwatch.StartNew();
            var result = await RunWithProgressAsync(progress => importer.ImportFileAsync(kind, path, options, progress, ct));
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync(error.Format(path));
            }
            if (result.ErrorCount > result.Errors.Count)
            {
                await Console.Error.WriteLineAsync($"{path}: {result.ErrorCount - result.Errors.Count} more problem(s) not listed; fix these and run again to see them.");
            }
            if (result.Note is { } note)
            {
                await Console.Out.WriteLineAsync($"{path}: {note}.");
            }
            await Console.Out.WriteLineAsync($"{result.Summary} ({clock.Elapsed.TotalSeconds:0.0} s)");
            return result.Rejected ? Rejected : 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>A progress bar on stderr for a person at a terminal; nothing extra when output is redirected.</summary>
    private static async Task<ImportResult> RunWithProgressAsync(Func<IProgress<ImportProgress>?, Task<ImportResult>> import)
    {
        if (Console.IsErrorRedirected)
        {
            return await import(null);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Reading", maxValue: 1);
                return await import(new ImmediateProgress(p =>
                {
                    task.Description = p.Stage;
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                }));
            });
    }

    /// <summary>Reports on the importer's thread; Progress&lt;T&gt; would post to the thread pool and lag behind.</summary>
    private sealed class ImmediateProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
