using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Rapport.Common;
using Rapport.ReportCards;
using Spectre.Console;

namespace Rapport.Cli;

/// <summary><c>rapport report cards --period … --out DIR</c>: a thin door onto <see cref="ReportCardBatch"/>.</summary>
public static class ReportCommands
{
    public static Command Create()
    {
        var period = new Option<string>("--period")
        {
            Description = $"The period: {ReportCardPeriod.Syntax}.", DefaultValueFactory = _ => ReportCardPeriod.DefaultText,
        };
        var output = new Option<string>("--out") { Description = "Folder for the PDFs and summary.csv (created if missing).", Required = true };
        var sources = new Option<string[]>("--source") { Description = "Only this source (id or NPI); repeat for several.", AllowMultipleArgumentsPerToken = false };
        var owner = new Option<string?>("--owner") { Description = "Only sources whose relationship owner has this e-mail." };
        var clinic = new Option<string?>("--clinic") { Description = "Only sources of this clinic (id or name)." };
        var cards = new Command("cards", "Physician report cards: one PDF per active source and summary.csv; logs a Report touchpoint per source and period, once.")
        {
            period, output, sources, owner, clinic, CliHost.OrgOption,
        };
        cards.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var clock = Stopwatch.StartNew();
            var today = services.GetRequiredService<PracticeClock>().Today();
            var (from, to) = ReportCardPeriod.Parse(parse.GetValue(period), today);
            var batch = services.GetRequiredService<ReportCardBatch>();
            var selected = await batch.SelectAsync(new ReportCardBatchFilter
            {
                Sources = parse.GetValue(sources) ?? [], Owner = parse.GetValue(owner), Clinic = parse.GetValue(clinic),
            }, ct);
            if (selected.Count == 0)
            {
                throw new CliException("No active source matches these filters.");
            }
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(folder);
            var summary = new StringBuilder(ReportCardSummaryCsv.Header).Append('\n');
            var added = 0;
            await RunWithProgressAsync(selected.Count, progress => batch.RunAsync(selected, from, to, async (card, token) =>
            {
                await WriteAtomicallyAsync(Path.Combine(folder, card.Source.FileName), card.Pdf, token);
                summary.Append(ReportCardSummaryCsv.Line(card)).Append('\n');
                added += card.TouchAdded ? 1 : 0;
            }, progress, ct));
            await WriteAtomicallyAsync(Path.Combine(folder, "summary.csv"), new UTF8Encoding(false).GetBytes(summary.ToString()), ct);
            Console.WriteLine($"Wrote {selected.Count} report cards for {ReportCardPeriod.Describe(from, to, today)} and summary.csv to {folder} " +
                $"({added} touchpoints logged, {selected.Count - added} already logged; {clock.Elapsed.TotalSeconds:0.0} s).");
            return 0;
        }, cancellationToken));
        return new Command("report", "Reports for referring physicians.") { cards };
    }

    /// <summary>Written beside the target and moved over it, so a file is either whole or absent.</summary>
    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = path + ".partial";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A progress bar on stderr for a person at a terminal; nothing extra when output is redirected.</summary>
    private static async Task RunWithProgressAsync(int total, Func<IProgress<BatchProgress>?, Task> work)
    {
        if (Console.IsErrorRedirected)
        {
            await work(null);
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Report cards", maxValue: Math.Max(1, total));
                await work(new ImmediateProgress(p =>
                {
                    task.Description = Markup.Escape(p.Current is null ? "Report cards" : $"Report cards: {p.Current}");
                    task.Value = p.Done;
                }));
            });
    }

    private sealed class ImmediateProgress(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }
}
