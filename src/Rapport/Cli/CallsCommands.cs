using System.CommandLine;
using System.Globalization;
using Rapport.Health;

namespace Rapport.Cli;

public enum CallListFormat { Table, Csv, Ics, Json }

public static class CallsCommands
{
    public static Command Create()
    {
        var format = new Option<CallListFormat>("--format") { Description = "table, csv, ics (iCalendar follow-up tasks) or json.", DefaultValueFactory = _ => CallListFormat.Table };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Build the list as if today were this date (yyyy-MM-dd)." };
        var all = new Option<bool>("--all") { Description = "Also list the calls beyond this week's calls per liaison (csv, ics, table)." };
        var command = new Command("calls", "This week's call list: sources to contact, most urgent first (referrals/month at risk, overdue touches), grouped by relationship owner.") { format, asOf, all, CliHost.OrgOption };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var list = await services.GetRequiredService<CallListService>().BuildAsync(parse.GetValue(asOf), ct);
            var includeLater = parse.GetValue(all);
            switch (parse.GetValue(format))
            {
                case CallListFormat.Json:
                    Output.WriteJson(list);
                    break;
                case CallListFormat.Csv:
                    Console.Out.Write(CallListService.ToCsv(list, includeLater));
                    break;
                case CallListFormat.Ics:
                    Console.Out.Write(CallListService.ToICalendar(list, includeLater));
                    break;
                default:
                    Output.WriteTable(["Owner", "#", "Id", "NPI", "Source", "Referrals/month at risk", "Usual referrals/month", "Recent referrals/month", "Purpose", "Last touch", "Method", "Alerts", "Reasons", "This week", "Tier",
                            "Practice", "Address", "Phone", "Fax", "Done on"],
                        CallListService.Rows(list, includeLater));
                    var later = list.Owners.Sum(g => g.Later.Count);
                    Console.WriteLine($"Week of {list.WeekOf:yyyy-MM-dd}: {list.Owners.Sum(g => g.Calls.Count)} calls (at most {list.CallsPerOwner} per liaison)"
                        + (later > 0 && !includeLater ? $"; {later} more can wait (--all lists them)." : "."));
                    break;
            }
            return 0;
        }, cancellationToken));
        return command;
    }
}
