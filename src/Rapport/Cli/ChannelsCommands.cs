using System.CommandLine;
using System.Globalization;
using Rapport.Channels;
using Rapport.Common;
using Rapport.Registry;

namespace Rapport.Cli;

/// <summary><c>rapport channels [--clinic ID|NAME] [--months 12|24] [--format table|json|csv]</c>: the /Channels page's figures.</summary>
public static class ChannelsCommands
{
    public static Command Create()
    {
        var clinic = new Option<string?>("--clinic") { Description = "One clinic (id or name); the whole practice when left out." };
        var months = new Option<int>("--months") { Description = "12 or 24 months, ending with this month (the month so far).", DefaultValueFactory = _ => 12 };
        var format = new Option<OutputFormat>("--format") { Description = "table, json (the API's document) or csv (one row per month, as the page's download).", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("channels", "Where patients come from: referrals per month by acquisition channel, the direct-access trend, the mix per clinic, "
            + "and direct-access payer mix and conversion.")
        {
            clinic, months, format, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var clinicId = await services.GetRequiredService<CoverageService>().ResolveClinicAsync(parse.GetValue(clinic), ct);
            var report = await services.GetRequiredService<ChannelReportService>().BuildAsync(new ChannelReportQuery { ClinicId = clinicId, Months = parse.GetValue(months) }, ct);
            switch (parse.GetValue(format))
            {
                case OutputFormat.Json:
                    Output.WriteJson(report);
                    break;
                case OutputFormat.Csv:
                    using (var stdout = Console.OpenStandardOutput())
                    {
                        TableFile.Write(ChannelsExport.ToSheet(report), TableFormat.Csv, stdout);
                    }
                    break;
                default:
                    WriteTables(report);
                    break;
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static void WriteTables(ChannelReport report)
    {
        var shown = report.Channels.Where(c => c.Total > 0).ToList();
        Console.Out.WriteLine($"Referrals by channel, {report.ClinicName ?? "all clinics"}, {report.RangeLabel}: {Num(report.Referrals)} referrals.");
        Output.WriteTable(["Month", "Referrals", "Physician", "Direct access", "Direct share", .. shown.Where(c => c.Level != ChannelLevel.Physician).Select(c => c.Label)],
            report.ByMonth.Select((m, i) => (IReadOnlyList<string?>)
            [
                m.Period.Label, Num(m.Referrals), Num(m.Physician), Num(m.DirectAccess), Percent(m.DirectAccessShare),
                .. shown.Where(c => c.Level != ChannelLevel.Physician).Select(c => Num(c.Referrals[i])),
            ]));
        if (report.PartialMonth is { } partial)
        {
            Console.Out.WriteLine($"{partial.Label} is the month so far, not a complete month.");
        }
        Console.Out.WriteLine();
        Console.Out.WriteLine("Direct-access share, this quarter so far against the same days before:");
        Output.WriteTable(["Quarter", "Referrals", "Direct access", "Share"],
            new[] { report.Trend.ThisQuarter, report.Trend.PreviousQuarter, report.Trend.SameQuarterLastYear }.Select(q => (IReadOnlyList<string?>)
                [q.Label, Num(q.Referrals), Num(q.DirectAccess), Percent(q.DirectAccessShare)]));
        Console.Out.WriteLine();
        Output.WriteTable(["Clinic", "Referrals", "Direct share", .. shown.Select(c => c.Label)],
            report.Clinics.Select(c => (IReadOnlyList<string?>)
            [
                c.ClinicName, Num(c.Referrals), Percent(c.DirectAccessShare),
                .. shown.Select(line => Num(c.Channels.First(x => x.Channel == line.Channel).Referrals)),
            ]));
        var direct = report.DirectAccess;
        Console.Out.WriteLine();
        Console.Out.WriteLine($"Direct-access patients: {Num(direct.Referrals)}; converted to evaluation {direct.Conversion.Text}; {Num(direct.Conversion.Open)} still open.");
        Output.WriteTable(["Payer", "Referrals", "Share"],
            direct.PayerMix.Where(p => p.Referrals > 0).Select(p => (IReadOnlyList<string?>)[p.Label, Num(p.Referrals), Percent(p.Share)]));
        if (direct.Campaigns.Count > 0)
        {
            Console.Out.WriteLine();
            Output.WriteTable(["Campaign named at intake", "Referrals", "Evaluated"],
                direct.Campaigns.Select(c => (IReadOnlyList<string?>)[c.Campaign, Num(c.Referrals), Num(c.Evaluated)]));
        }
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double? share) => share is { } s ? (s * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "—";
}
