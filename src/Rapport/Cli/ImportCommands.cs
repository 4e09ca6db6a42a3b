using System.CommandLine;
using System.Diagnostics;
using Rapport.Imports;
using Spectre.Console;

namespace Rapport.Cli;

/// <summary>
/// <c>rapport import sources|patients|referrals|touchpoints|assessments FILE [--mapping NAME]</c>,
/// <c>rapport import history</c> and <c>rapport import undo ID</c>: thin doors onto <see cref="ImportRuns"/>
/// and <see cref="CsvImporter"/>.
/// </summary>
public static class ImportCommands
{
    /// <summary>Exit code when the file is rejected (same as other validation failures).</summary>
    public const int Rejected = 2;

    public static Command Create()
    {
        var import = new Command("import", "Import sources, patients, referrals, touchpoints or outcome assessments from CSV or XLSX (see docs/import.md). Import sources and patients before referrals, referrals before assessments.");
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            import.Subcommands.Add(CreateKind(kind));
        }
        import.Subcommands.Add(CreateHistory());
        import.Subcommands.Add(CreateUndo());
        import.Subcommands.Add(NppesCommands.CreateImport());
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
        var file = new Argument<string>("file") { Description = $"CSV or XLSX file (first worksheet) with a header row of {name} columns, or of the file's own headers with --mapping." };
        var mappingOption = new Option<string>("--mapping") { Description = "A mapping saved on the import page (Imports): reads the file's own headers as Rapport's columns." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Import the good rows and report the bad ones, instead of writing nothing when any row is bad." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check every row and report what would change, without writing." };
        var encoding = new Option<string>("--encoding")
        {
            Description = "The file's character encoding: utf-8, windows-1252, latin1 or utf-16. Default: a byte-order mark decides, else UTF-8, " +
                "else Windows-1252 (what Excel's plain \"CSV\" writes on Windows), which the output then says.",
        };
        var command = new Command(name, $"Import {name} from CSV: all-or-nothing, re-runnable (rows are matched on their key and only changes are written).")
        {
            file, skipInvalid, dryRun, encoding, mappingOption, CliHost.OrgOption,
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
            IReadOnlyDictionary<string, string>? columns = null;
            var mappingName = parse.GetValue(mappingOption);
            if (mappingName is not null)
            {
                var mappings = services.GetRequiredService<ImportMappings>();
                var mapping = await mappings.FindAsync(kind, mappingName, ct);
                if (mapping is null)
                {
                    var names = (await mappings.ListAsync(kind, ct)).Select(m => m.Name).ToList();
                    throw new CliException($"--mapping: no {name} mapping is called '{mappingName}'; " +
                        (names.Count == 0 ? "none is saved yet (save one on the Imports page)." : $"saved ones: {string.Join(", ", names)}."));
                }
                columns = mapping.ColumnMap();
                mappingName = mapping.Name;
            }
            var options = new ImportOptions
            {
                SkipInvalid = parse.GetValue(skipInvalid), DryRun = parse.GetValue(dryRun),
                Encoding = encodingName is null ? ImportEncoding.Auto : EncodingNames[encodingName], Mapping = columns,
            };
            var runs = services.GetRequiredService<ImportRuns>();
            var clock = Stopwatch.StartNew();
            int? runId = null;
            var result = await RunWithProgressAsync(async progress =>
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                var (imported, id) = await runs.ImportNowAsync(kind, stream, path, options, mappingName, progress, ct);
                runId = id;
                return imported;
            });
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync(error.Format(path));
            }
            if (result.ErrorCount > result.Errors.Count)
            {
                await Console.Error.WriteLineAsync($"{path}: {result.ErrorCount - result.Errors.Count} more problem(s) not listed; fix these and run again to see them.");
            }
            foreach (var warning in result.Warnings)
            {
                await Console.Error.WriteLineAsync($"{path}:{warning.Line}: {warning.Column}: warning: {warning.Message}");
            }
            if (result.Note is { } note)
            {
                await Console.Out.WriteLineAsync($"{path}: {note}.");
            }
            await Console.Out.WriteLineAsync($"{result.Summary} ({clock.Elapsed.TotalSeconds:0.0} s)");
            if (result.Written && runId is { } recorded)
            {
                await Console.Out.WriteLineAsync($"Import {recorded} (undo with: rapport import undo {recorded}).");
            }
            return result.Rejected ? Rejected : 0;
        }, cancellationToken));
        return command;
    }

    private static Command CreateHistory()
    {
        var format = new Option<string>("--format") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("history", "The practice's imports, newest first: who, when, file, kind, counts and status.") { format, CliHost.OrgOption };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var runs = await services.GetRequiredService<ImportRuns>().HistoryAsync(200, ct);
            if (parse.GetValue(format) == "json")
            {
                Output.WriteJson(runs.Select(r => new
                {
                    id = r.Id, kind = r.Kind.ToString().ToLowerInvariant(), file = r.FileName, status = r.Status.ToString().ToLowerInvariant(), by = r.CreatedBy,
                    at = r.CreatedAt, mapping = r.MappingName, rows = r.Rows, added = r.Added, updated = r.Updated, unchanged = r.Unchanged, skipped = r.Skipped,
                    patientsAdded = r.PatientsAdded, errors = r.ErrorCount, undoneAt = r.UndoneAt, undoneBy = r.UndoneBy,
                }));
                return 0;
            }
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            Output.WriteTable(["Id", "When (UTC)", "By", "Kind", "File", "Added", "Updated", "Errors", "Status"], runs.Select(r => new[]
            {
                r.Id.ToString(invariant), r.CreatedAt.ToString("yyyy-MM-dd HH:mm", invariant), r.CreatedBy, r.Kind.ToString().ToLowerInvariant(), r.FileName,
                (r.Added + r.PatientsAdded).ToString(invariant), r.Updated.ToString(invariant), r.ErrorCount.ToString(invariant), r.Status.ToString().ToLowerInvariant(),
            }));
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command CreateUndo()
    {
        var id = new Argument<int>("id") { Description = "The import's id (rapport import history)." };
        var command = new Command("undo", "Undo an import nothing has changed since: remove the rows it added and put back the values it changed.") { id, CliHost.OrgOption };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var summary = await services.GetRequiredService<ImportRuns>().UndoAsync(parse.GetValue(id), ct);
            await Console.Out.WriteLineAsync(summary);
            return 0;
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
