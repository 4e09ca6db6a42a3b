using System.CommandLine;
using System.Globalization;
using Rapport.Health;

namespace Rapport.Cli;

public static class AlertsCommands
{
    public static Command Create()
    {
        var format = new Option<OutputFormat>("--format") { Description = "table or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Compute everything as if today were this date (yyyy-MM-dd): audits, back-testing." };
        var all = new Option<bool>("--all") { Description = "Include acknowledged and snoozed alerts." };
        var tier = new Option<string?>("--tier") { Description = "alert (strong evidence or a plain fact) or watch (probably down, not yet certain); both when left out." };
        var command = new Command("alerts", "Relationship health alerts with their reasons: declining, lapsed, touch overdue, reciprocity gap, new referrer, rising, concentration.")
        {
            format, asOf, all, tier, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            // Checked first (the same rule and message as the API's), so a mistyped tier costs no computation.
            SourceAlerts.CheckTier(parse.GetValue(tier));
            var list = (await services.GetRequiredService<AlertService>().ListAsync(parse.GetValue(asOf), parse.GetValue(all), cancellationToken: ct))
                .OfTier(parse.GetValue(tier));
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                Output.WriteJson(list);
                return 0;
            }
            Output.WriteTable(["Kind", "Tier", "Source", "NPI", "Owner", "Since", "Status", "Reasons"], list.Alerts.Select(a => new[]
            {
                a.Kind, a.Tier, a.Source.Name, a.Source.Npi, a.Owner, a.FirstRaisedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), a.Status, string.Join(" ", a.Reasons),
            }));
            Console.WriteLine($"{list.Alerts.Count} alerts as of {list.AsOf:yyyy-MM-dd}, computed in {list.ComputeMilliseconds} ms.");
            return 0;
        }, cancellationToken));
        return command;
    }
}
