using System.CommandLine;
using Rapport.Common;
using Rapport.Exports;

namespace Rapport.Cli;

/// <summary><c>rapport export KIND --format csv|xlsx [--out FILE] [--filter name=value]…</c>: a list as the page's download gives it.</summary>
public static class ExportCommands
{
    public static Command Create()
    {
        var kind = new Argument<string>("KIND") { Description = "sources, patients, touches, alerts, calls, letters-due, nps-responses, prospects, channels, campaigns (or referrals)." };
        var format = new Option<string>("--format") { Description = "csv or xlsx.", DefaultValueFactory = _ => "csv" };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file; without it CSV goes to standard output and XLSX to rapport-KIND-DATE.xlsx here." };
        var filters = new Option<string[]>("--filter")
        {
            Description = "A filter of the list page, by the page's parameter name (e.g. status=Active, q=house, archived=true); repeat for several.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("export", "Download a list (the same rows as its page's CSV/Excel link); recorded in the audit trail.")
        {
            kind, format, output, filters, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var values = Parse(parse.GetValue(filters) ?? []);
            var file = await services.GetRequiredService<ExportService>().ExportAsync(parse.GetValue(kind), parse.GetValue(format), values, ct);
            var target = parse.GetValue(output)?.FullName ?? (file.FileName.EndsWith(".csv", StringComparison.Ordinal) ? null : Path.GetFullPath(file.FileName));
            if (target is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(file.Content, ct);
                return 0;
            }
            await File.WriteAllBytesAsync(target, file.Content, ct);
            await Console.Error.WriteLineAsync($"{file.Rows} {(file.Rows == 1 ? "row" : "rows")} written to {target}");
            return 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>"name=value" pairs; anything else is a problem with --filter.</summary>
    private static Dictionary<string, string?> Parse(IEnumerable<string> pairs)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ValidationException("filter", $"'{pair}' is not name=value (e.g. --filter status=Active).");
            }
            values[pair[..equals].Trim()] = pair[(equals + 1)..];
        }
        return values;
    }
}
