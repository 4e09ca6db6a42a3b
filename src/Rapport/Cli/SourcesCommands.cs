using System.CommandLine;
using System.Globalization;
using Rapport.Api;
using Rapport.Sources;

namespace Rapport.Cli;

public static class SourcesCommands
{
    private static readonly string[] Headers =
        ["Id", "NPI", "Name", "Specialty", "Status", "Active patients", "Referrals 90d", "Referrals 12m", "Last touch", "Method", "Days since touch", "Refer-backs 12m", "Last refer-back"];

    public static Command Create()
    {
        var format = new Option<OutputFormat>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => OutputFormat.Table };
        var search = new Option<string?>("--search") { Description = "Match name, NPI or practice." };
        var status = new Option<SourceStatus?>("--status") { Description = "Prospect, Active, Dormant or DoNotContact." };
        var specialty = new Option<string?>("--specialty") { Description = "e.g. \"Orthopaedic surgery\"." };
        var sort = new Option<SourceSort>("--sort") { Description = "Name, ActivePatients, Referrals90d, Referrals12m, LastTouchAt, DaysSinceTouch, ReferBacks12m, LastReferBackAt, ...", DefaultValueFactory = _ => SourceSort.Name };
        var descending = new Option<bool>("--desc") { Description = "Sort descending." };
        var list = new Command("list", "List referral sources with their metrics.") { format, search, status, specialty, sort, descending, CliHost.OrgOption };
        list.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var sources = await services.GetRequiredService<SourceQueries>().AllAsync(new SourceListQuery
            {
                Search = parse.GetValue(search), Status = parse.GetValue(status), Specialty = parse.GetValue(specialty),
                Sort = parse.GetValue(sort), Descending = parse.GetValue(descending),
                ExportFormat = parse.GetValue(format) == OutputFormat.Table ? null : parse.GetValue(format).ToString(),
            }, ct);
            switch (parse.GetValue(format))
            {
                case OutputFormat.Json:
                    Output.WriteJson(sources);
                    break;
                case OutputFormat.Csv:
                    Output.WriteCsv(["id", "npi", "name", "specialty", "status", "activePatients", "referrals90d", "referrals12m", "lastTouchAt", "lastTouchMethod", "daysSinceTouch", "referBacks12m", "lastReferBackAt"], sources.Select(Cells));
                    break;
                default:
                    Output.WriteTable(Headers, sources.Select(Cells));
                    break;
            }
            return 0;
        }, cancellationToken));

        var key = new Argument<string>("source") { Description = "The source's NPI or id." };
        var showFormat = new Option<OutputFormat>("--format") { Description = "table or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var show = new Command("show", "Show one source: profile, metrics, monthly referrals, touches and refer-backs.") { key, showFormat, CliHost.OrgOption };
        show.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var queries = services.GetRequiredService<SourceQueries>();
            var id = await queries.ResolveAsync(parse.GetValue(key)!, ct) ?? throw new CliException($"No source has NPI or id '{parse.GetValue(key)}'.");
            var details = (await queries.DetailsAsync(id, cancellationToken: ct))!;
            if (parse.GetValue(showFormat) == OutputFormat.Json)
            {
                Output.WriteJson(SourceDetailsResponse.From(details));
            }
            else
            {
                WriteDetails(details);
            }
            return 0;
        }, cancellationToken));

        return new Command("sources", "Referral sources and their metrics.") { list, show };
    }

    private static string?[] Cells(SourceSummary s) =>
    [
        s.Id.ToString(CultureInfo.InvariantCulture), s.Npi, s.Name, s.Specialty, s.Status.ToString(),
        Num(s.ActivePatients), Num(s.Referrals90d), Num(s.Referrals12m), Output.Iso(s.LastTouchAt), s.LastTouchMethod?.ToString(),
        s.DaysSinceTouch?.ToString(CultureInfo.InvariantCulture), Num(s.ReferBacks12m), Output.Iso(s.LastReferBackAt),
    ];

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteDetails(SourceDetails d)
    {
        var m = d.Metrics;
        Output.WriteTable(["Field", "Value"], new[]
        {
            new string?[] { "Name", m.Name }, ["NPI", m.Npi], ["Specialty", m.Specialty], ["Status", m.Status.ToString()],
            ["Practice", m.PracticeName], ["Clinic", d.ClinicName], ["Relationship owner", d.OwnerName],
            ["Phone", d.Profile.Phone], ["Fax", d.Profile.Fax], ["E-mail", d.Profile.Email],
            ["Active patients", Num(m.ActivePatients)], ["Referrals, last 90 days", Num(m.Referrals90d)], ["Referrals, last 12 months", Num(m.Referrals12m)],
            ["Last touch", m.LastTouchAt is null ? "never" : $"{Output.Iso(m.LastTouchAt)} by {m.LastTouchMethod} ({m.DaysSinceTouch} days ago)"],
            ["Refer-backs, last 12 months", Num(m.ReferBacks12m)],
            ["Last refer-back", m.LastReferBackAt is null ? "never" : Output.Iso(m.LastReferBackAt)],
        });
        Console.WriteLine();
        Console.WriteLine("Referrals per month (last 24 months)");
        var max = Math.Max(1, d.MonthlyReferrals.Max(x => x.Count));
        foreach (var month in d.MonthlyReferrals)
        {
            // The month so far is marked, so its short bar is not read as a fall.
            var bar = new string(month.Partial ? '+' : '#', (int)Math.Round(30.0 * month.Count / max));
            Console.WriteLine($"  {month.Year:D4}-{month.Month:D2} {month.Count,4} {bar}{(month.Partial ? $" (to date: {month.Label})" : "")}");
        }
        if (d.Touches.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Recent touches");
            Output.WriteTable(["Date", "Method", "Purpose", "By"], d.Touches.Take(10).Select(t => new[] { Output.Iso(t.OccurredOn), t.Method.ToString(), t.Purpose, t.By }));
        }
        if (d.ReferBacks.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Recent refer-backs");
            Output.WriteTable(["Date", "Reason"], d.ReferBacks.Take(10).Select(r => new[] { Output.Iso(r.SentOn), r.Reason }));
        }
    }
}
