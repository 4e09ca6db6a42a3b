using System.CommandLine;
using System.Globalization;
using Rapport.Health;

namespace Rapport.Cli;

public enum CallListFormat { Table, Csv, Ics, Json }

public static class CallsCommands
{
    private static readonly string[] CsvHeaders = ["owner", "rank", "sourceId", "npi", "source", "referralsAtRisk", "expectedMonthly", "purpose", "lastTouchOn", "lastTouchMethod", "alerts", "reasons"];

    public static Command Create()
    {
        var format = new Option<CallListFormat>("--format") { Description = "table, csv, ics (iCalendar follow-up tasks) or json.", DefaultValueFactory = _ => CallListFormat.Table };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Build the list as if today were this date (yyyy-MM-dd)." };
        var command = new Command("calls", "This week's call list: sources to contact, ranked by referrals at risk, grouped by relationship owner.") { format, asOf, CliHost.OrgOption };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var list = await services.GetRequiredService<CallListService>().BuildAsync(parse.GetValue(asOf), ct);
            var rows = list.Owners.SelectMany(g => g.Calls.Select((c, i) => new string?[]
            {
                g.Owner, (i + 1).ToString(CultureInfo.InvariantCulture), c.Source.Id.ToString(CultureInfo.InvariantCulture), c.Source.Npi, c.Source.Name,
                c.ReferralsAtRisk.ToString("0.##", CultureInfo.InvariantCulture), c.ExpectedMonthly.ToString("0.##", CultureInfo.InvariantCulture), c.Purpose,
                Output.Iso(c.LastTouchOn), c.LastTouchMethod, string.Join(";", c.Kinds), string.Join(" ", c.Reasons),
            }));
            switch (parse.GetValue(format))
            {
                case CallListFormat.Json:
                    Output.WriteJson(list);
                    break;
                case CallListFormat.Csv:
                    Output.WriteCsv(CsvHeaders, rows);
                    break;
                case CallListFormat.Ics:
                    Console.Out.Write(CallListService.ToICalendar(list));
                    break;
                default:
                    Output.WriteTable(["Owner", "#", "Id", "NPI", "Source", "At risk/mo", "Expected/mo", "Purpose", "Last touch", "Method", "Alerts", "Reasons"], rows);
                    Console.WriteLine($"Week of {list.WeekOf:yyyy-MM-dd}: {list.Owners.Sum(g => g.Calls.Count)} calls.");
                    break;
            }
            return 0;
        }, cancellationToken));
        return command;
    }
}
