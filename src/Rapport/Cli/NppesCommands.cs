using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Rapport.Registry.Nppes;
using Spectre.Console;

namespace Rapport.Cli;

/// <summary>
/// <c>rapport import nppes FILE</c> (the public NPI registry, shared by every practice: no --org) and
/// <c>rapport registry generate|groups</c>: thin doors onto <see cref="NppesImporter"/> and <see cref="NppesFileGenerator"/>.
/// See docs/registry.md.
/// </summary>
public static class NppesCommands
{
    /// <summary>Exit code when the file is not an NPPES dissemination file at all.</summary>
    public const int NotAnNppesFile = 2;

    /// <summary>The managed heap an import may use (see the import action).</summary>
    private const long ManagedHeapLimitBytes = 128L << 20;

    public static Command CreateImport()
    {
        var file = new Argument<string>("file") { Description = "An NPPES NPI data dissemination file (npidata_pfile_YYYYMMDD-YYYYMMDD.csv, monthly full or weekly incremental)." };
        var states = new Option<string>("--states") { Description = "Keep practice locations in these states only, e.g. CA,NV." };
        var groups = new Option<string>("--taxonomy-groups")
        {
            Description = $"Keep these specialty groups of the primary taxonomy only (case-insensitive, comma-separated), e.g. \"Orthopaedic surgery,Sports medicine\"; " +
                $"{NppesFilter.PtReferrers} = every specialty that refers to physical therapy. `rapport registry groups` lists them.",
        };
        var activeOnly = new Option<bool>("--active-only") { Description = "Add no deactivated NPI (those already in the registry are still marked deactivated)." };
        var weekly = new Option<bool>("--weekly") { Description = "Treat the file as a weekly incremental file (never marks NPIs missing), whatever its name." };
        var full = new Option<bool>("--full") { Description = "Treat the file as a full monthly file (marks NPIs of the import's scope it does not list as missing), whatever its name." };
        var restart = new Option<bool>("--restart") { Description = "Start over instead of resuming an interrupted import of the same file and filters." };
        var batchSize = new Option<int>("--batch-size") { Description = "Kept rows per transaction and checkpoint.", DefaultValueFactory = _ => 5_000, Hidden = true };
        var command = new Command("nppes", "Import the public NPI registry (NPPES) into the registry every practice shares: streamed, filtered, resumable (see docs/registry.md).")
        {
            file, states, groups, activeOnly, weekly, full, restart, batchSize,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"{path}: no such file.");
            }
            if (parse.GetValue(weekly) && parse.GetValue(full))
            {
                throw new CliException("--weekly and --full exclude each other.");
            }
            NppesFilter filter;
            try
            {
                filter = NppesFilter.Create(parse.GetValue(states), parse.GetValue(groups), parse.GetValue(activeOnly));
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
            var request = new NppesImportRequest(path, filter)
            {
                Kind = parse.GetValue(weekly) ? NppesFileKind.Weekly : parse.GetValue(full) ? NppesFileKind.Full : null,
                Restart = parse.GetValue(restart),
                BatchSize = Math.Max(1, parse.GetValue(batchSize)),
            };
            // The server GC the web host is built with sizes its heaps for throughput; an import of any size
            // needs a few MB of batches and the 25 MB seen-NPI set, so the heap is capped to keep the peak
            // RSS flat (the 250 MB goal) whatever the file size.
            AppContext.SetData("GCHeapHardLimit", (ulong)ManagedHeapLimitBytes);
            GC.RefreshMemoryLimit();
            var importer = services.GetRequiredService<NppesImporter>();
            NppesImportResult result;
            try
            {
                result = await WithProgressAsync(progress => importer.ImportAsync(request, progress, ct));
            }
            catch (NotAnNppesFileException e)
            {
                await Console.Error.WriteLineAsync($"{path}: {e.Message}.");
                return NotAnNppesFile;
            }
            WriteSummary(path, result);
            return 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>The file tools, under <c>rapport registry</c> beside <c>show</c>: one verb for the registry.</summary>
    public static IEnumerable<Command> CreateFileTools()
    {
        var rows = new Option<long>("--rows") { Description = "Records to write (besides the header).", Required = true };
        var output = new Option<string>("--out") { Description = "The file to write, e.g. npidata_pfile_20050523-20261108.csv (a full file by its name).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Same seed, same file.", DefaultValueFactory = _ => 1 };
        var layout = new Option<int>("--layout") { Description = "330 columns (today's) or 329 (the 2016 layout).", DefaultValueFactory = _ => 330 };
        layout.AcceptOnlyFromAmong("330", "329");
        var badRows = new Option<int>("--bad-rows") { Description = "Malformed records to inject, one of each kind in turn: short row, long row, text after a closing quote, unclosed quote, bad date, bad NPI check digit, 10 KB field." };
        var states = new Option<string>("--states") { Description = "Draw practice ZIPs from these states only, e.g. NE,KS." };
        var generate = new Command("generate", "Write a file in the exact NPPES dissemination layout (for tests and benchmarks; the real file is ~9 GB).")
        {
            rows, output, seed, layout, badRows, states,
        };
        generate.SetAction(parse =>
        {
            var path = parse.GetValue(output)!;
            var clock = Stopwatch.StartNew();
            IReadOnlyList<InjectedBadRow> injected;
            try
            {
                using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                injected = NppesFileGenerator.Write(stream, new NppesGeneratorOptions(parse.GetValue(rows))
                {
                    Seed = parse.GetValue(seed), Layout = parse.GetValue(layout), BadRows = Math.Max(0, parse.GetValue(badRows)),
                    States = (parse.GetValue(states) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                });
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            var size = new FileInfo(path).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {parse.GetValue(rows):N0} records to {path}: {size / 1048576.0:N1} MiB, {size / (double)Math.Max(1, parse.GetValue(rows)):N0} bytes a record, {clock.Elapsed.TotalSeconds:N1} s."));
            foreach (var bad in injected.Take(50))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}:{bad.Line}: injected {bad.Kind}"));
            }
            return 0;
        });

        var groups = new Command("groups", "The taxonomy groups --taxonomy-groups accepts, with their NUCC codes.");
        groups.SetAction(_ =>
        {
            foreach (var group in NppesFilter.AllGroups())
            {
                var codes = group == NppesFilter.PtReferrers
                    ? NppesFilter.Create(null, group, false).Codes!.Count
                    : Registry.NuccTaxonomy.CodesOfGroup(group).Count;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group}\t{codes} code(s)"));
            }
            return 0;
        });
        return [generate, groups];
    }

    private static void WriteSummary(string path, NppesImportResult result)
    {
        var run = result.Run;
        var invariant = CultureInfo.InvariantCulture;
        if (result.ResumedAtLine is { } line)
        {
            Console.WriteLine(string.Create(invariant, $"Resumed an interrupted import at line {line:N0}."));
        }
        foreach (var problem in result.Problems)
        {
            Console.Error.WriteLine(string.Create(invariant, $"{path}:{problem.Line}: {problem.Message}"));
        }
        if (run.BadRows > result.Problems.Count)
        {
            Console.Error.WriteLine(string.Create(invariant, $"{path}: {run.BadRows - result.Problems.Count:N0} more bad row(s) not listed (the first {NppesImporter.ProblemsKept:N0} are kept)."));
        }
        var rate = run.ElapsedSeconds > 0 ? run.Records / run.ElapsedSeconds : 0;
        Console.WriteLine(string.Create(invariant, $"""
            {path} ({result.KindReason}; {run.Filters})
              lines read      {run.Line - 1:N0}
              rows read       {run.Records:N0}
              rows kept       {run.Kept:N0}
              added           {run.Added:N0}
              changed         {result.Changed:N0}
              unchanged       {run.Unchanged:N0}
              deactivated     {run.Deactivated:N0}
              marked missing  {run.MarkedMissing:N0}
              bad rows        {run.BadRows:N0}
              elapsed         {run.ElapsedSeconds:N1} s ({rate:N0} rows/s; writing {result.WriteTime.TotalSeconds:N1} s of {result.ThisAttempt.TotalSeconds:N1} s this attempt)
              registry rows   {result.RowsAfter:N0}
            """));
    }

    /// <summary>A progress bar (bytes read → percentage and ETA, with rows/s) at a terminal; a plain line every 5 s when stderr is redirected.</summary>
    private static async Task<NppesImportResult> WithProgressAsync(Func<IProgress<NppesProgress>, Task<NppesImportResult>> import)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (Console.IsErrorRedirected)
        {
            var last = TimeSpan.Zero;
            return await import(new ImmediateProgress(p =>
            {
                if (p.Elapsed - last < TimeSpan.FromSeconds(5))
                {
                    return;
                }
                last = p.Elapsed;
                var percent = p.FileSize > 0 ? 100.0 * p.BytesRead / p.FileSize : 100;
                var rate = p.Elapsed.TotalSeconds > 0 ? p.Records / p.Elapsed.TotalSeconds : 0;
                var eta = p.BytesRead > 0 ? TimeSpan.FromSeconds(p.Elapsed.TotalSeconds * (p.FileSize - p.BytesRead) / p.BytesRead) : TimeSpan.Zero;
                Console.Error.WriteLine(string.Create(invariant,
                    $"{p.Stage}: {percent:N1}% line {p.Lines:N0}, {p.Records:N0} rows ({rate:N0} rows/s), {p.Kept:N0} kept, {p.BadRows:N0} bad, ETA {eta:hh\\:mm\\:ss}"));
            }));
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Reading", maxValue: 1);
                return await import(new ImmediateProgress(p =>
                {
                    var rate = p.Elapsed.TotalSeconds > 0 ? p.Records / p.Elapsed.TotalSeconds : 0;
                    task.Description = Markup.Escape(string.Create(invariant, $"{p.Stage} {p.Records:N0} rows, {rate:N0}/s, {p.BadRows:N0} bad"));
                    task.MaxValue = Math.Max(1, p.FileSize);
                    task.Value = p.BytesRead;
                }));
            });
    }

    private sealed class ImmediateProgress(Action<NppesProgress> report) : IProgress<NppesProgress>
    {
        public void Report(NppesProgress value) => report(value);
    }
}
