using System.CommandLine;
using System.Globalization;
using Rapport.Api;
using Rapport.Nps;

namespace Rapport.Cli;

public static class NpsCommands
{
    public static Command Create()
    {
        var format = new Option<OutputFormat>("--format") { Description = "table or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var by = new Option<string?>("--by") { Description = "Group by clinic, therapist, source, month or payer." };
        var from = new Option<DateOnly?>("--from") { Description = "First answer date (YYYY-MM-DD)." };
        var to = new Option<DateOnly?>("--to") { Description = "Last answer date (YYYY-MM-DD)." };
        var command = new Command("nps", "Net Promoter Score with counts and 95% margin of error, overall or by group.") { format, by, from, to, CliHost.OrgOption };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var results = services.GetRequiredService<NpsResults>();
            var filter = new NpsFilter { From = parse.GetValue(from), To = parse.GetValue(to) };
            var json = parse.GetValue(format) == OutputFormat.Json;
            if (NpsApi.ParseGrouping(parse.GetValue(by)) is { } grouping)
            {
                var groups = await results.ByAsync(grouping, filter, ct);
                if (json)
                {
                    Output.WriteJson(groups);
                }
                else
                {
                    Output.WriteTable([grouping.ToString(), "NPS", "± 95%", "n", "Promoters", "Passives", "Detractors"], groups.Select(g => Cells(g.Group, g)));
                }
                return 0;
            }
            var summary = await results.SummaryAsync(filter, ct);
            if (json)
            {
                Output.WriteJson(summary);
            }
            else
            {
                Output.WriteTable(["", "NPS", "± 95%", "n", "Promoters", "Passives", "Detractors"], [Cells("All", summary)]);
                Console.WriteLine(summary.ResponseRate is { } rate
                    ? $"Response rate: {rate.ToString("0.#", CultureInfo.InvariantCulture)}% of {summary.Invited} e-mailed invitations."
                    : "Response rate: no e-mailed invitations in the period.");
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static string?[] Cells(string? group, NpsResult r) =>
    [
        group, Num(r.Nps), Num(r.MarginOfError), r.N.ToString(CultureInfo.InvariantCulture), r.Promoters.ToString(CultureInfo.InvariantCulture),
        r.Passives.ToString(CultureInfo.InvariantCulture), r.Detractors.ToString(CultureInfo.InvariantCulture),
    ];

    private static string Num(double? value) => value?.ToString("0.#", CultureInfo.InvariantCulture) ?? "—";
}
