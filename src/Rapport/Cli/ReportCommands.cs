using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Rapport.Common;
using Rapport.ReportCards;
using Rapport.Reports;
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
        return new Command("report", "Reports for referring physicians and about them.") { cards, SourcesReport() };
    }

    /// <summary><c>rapport report sources</c>: a thin door onto <see cref="SourceReportService"/>, the same figures as the page and the API.</summary>
    private static Command SourcesReport()
    {
        var period = new Option<string?>("--period") { Description = $"The period: {SourceReportPeriod.Syntax}. Default: last-month." };
        var from = new Option<string?>("--from") { Description = "First day of a custom period (yyyy-MM-dd), with --to." };
        var to = new Option<string?>("--to") { Description = "Last day of a custom period (yyyy-MM-dd), with --from." };
        var clinic = new Option<string?>("--clinic") { Description = "Only referrals received at this clinic (id or name)." };
        var sort = new Option<string?>("--sort")
        {
            Description = "Column to sort by (name, referrals, previous, change, changePercent, lastYear, yearChange, yearChangePercent, conversion, visits, revenue); "
                + "- in front for descending, e.g. --sort=-revenue. Default -referrals.",
        };
        var format = new Option<string>("--format") { Description = "table, json, csv, xlsx or pdf.", DefaultValueFactory = _ => "table" };
        var output = new Option<string?>("--out") { Description = "Write to this file instead of the terminal (needed for xlsx and pdf)." };
        var command = new Command("sources", "Referral source report: referrals per source this period vs the previous period and the same period last year, "
            + "conversion, visits and estimated revenue, with totals.")
        {
            period, from, to, clinic, sort, format, output, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var kind = parse.GetValue(format)?.Trim().ToLowerInvariant();
            if (kind is not ("table" or "json" or "csv" or "xlsx" or "pdf"))
            {
                throw new ValidationException("format", $"Format \"{parse.GetValue(format)}\" is not one of table, json, csv, xlsx, pdf.");
            }
            var file = parse.GetValue(output);
            if (kind is "xlsx" or "pdf" && string.IsNullOrWhiteSpace(file))
            {
                throw new ValidationException("out", $"A {kind} file needs --out FILE.");
            }
            var report = await services.GetRequiredService<SourceReportService>().BuildAsync(new SourceReportQuery
            {
                Period = parse.GetValue(period), From = parse.GetValue(from), To = parse.GetValue(to),
                Clinic = parse.GetValue(clinic), Sort = parse.GetValue(sort),
            }, ct);
            byte[]? bytes = kind switch
            {
                "pdf" => SourceReportFiles.Pdf(report),
                "xlsx" => TableFile.Write(SourceReportFiles.Sheet(report), TableFormat.Xlsx),
                "csv" => TableFile.Write(SourceReportFiles.Sheet(report), TableFormat.Csv),
                "json" => new UTF8Encoding(false).GetBytes(System.Text.Json.JsonSerializer.Serialize(report, Output.Json) + "\n"),
                _ => null,
            };
            if (bytes is null)
            {
                WriteSourceTable(report);
                return 0;
            }
            if (string.IsNullOrWhiteSpace(file))
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(bytes, ct);
            }
            else
            {
                var path = Path.GetFullPath(file);
                await WriteAtomicallyAsync(path, bytes, ct);
                await Console.Error.WriteLineAsync($"Wrote the referral source report for {report.PeriodLabel} ({report.Rows.Count} rows) to {path}.");
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static readonly string[] ShortHeaders = ["Source", "Referrals", "Previous", "Change", "%", "Last year", "Change", "%", "Conversion", "Visits", "Est. revenue"];

    private static void WriteSourceTable(SourceReport report)
    {
        Console.WriteLine($"Referral sources, {report.PeriodLabel}{(report.ClinicName is { } clinic ? $", {clinic}" : "")}");
        Console.WriteLine(SourceReportText.Windows(report));
        if (report.PartialNote is { } note)
        {
            Console.WriteLine(note);
        }
        // Eleven columns: short headers, and a wide page when the output goes to a file or a pipe.
        var console = Output.Terminal();
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (header, index) in ShortHeaders.Select((h, i) => (h, i)))
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)) { Alignment = index == 0 ? Justify.Left : Justify.Right, NoWrap = index > 0 });
        }
        foreach (var row in report.Rows.Append(report.Totals))
        {
            table.AddRow([.. SourceReportText.Cells(row).Select(cell => new Markup(Markup.Escape(cell)))]);
        }
        console.Write(table);
        if (report.RevenueNote is { } revenue)
        {
            Console.WriteLine(revenue);
        }
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
