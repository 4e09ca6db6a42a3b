using System.CommandLine;
using System.Globalization;
using Rapport.Registry;

namespace Rapport.Cli;

/// <summary><c>rapport coverage</c>: per clinic and specialty group, the registry's physicians within the radius and how many refer (docs/coverage.md).</summary>
public static class CoverageCommands
{
    private static readonly string[] Columns =
        ["clinicId", "clinic", "specialty", "physicians", "referring", "prospects", "neither", "notYetSources", "referrals12m", "referralsPerReferringPhysician"];

    public static Command Create()
    {
        var clinic = new Option<string?>("--clinic") { Description = "One clinic (id or name); every clinic when left out." };
        var radius = new Option<double>("--radius") { Description = "Miles from the clinic's ZIP (more than 0, at most 100).", DefaultValueFactory = _ => CoverageService.DefaultRadiusMiles };
        var format = new Option<OutputFormat>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("coverage", "Which specialty niches around each clinic are under-served: registry physicians within the radius, referring, prospects.")
        {
            clinic, radius, format, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var coverage = services.GetRequiredService<CoverageService>();
            var report = await coverage.ReportAsync(await coverage.ResolveClinicAsync(parse.GetValue(clinic), ct), parse.GetValue(radius), ct);
            switch (parse.GetValue(format))
            {
                case OutputFormat.Json:
                    Output.WriteJson(report);
                    break;
                case OutputFormat.Csv:
                    Output.WriteCsv(Columns, Rows(report));
                    break;
                default:
                    Console.Out.WriteLine($"Coverage within {Miles(report.RadiusMiles)} miles, referrals received {Output.Iso(report.ReferralsFrom.AddDays(1))} to {Output.Iso(report.AsOf)}. {report.SortRule}");
                    foreach (var c in report.Clinics.Where(c => !c.Located))
                    {
                        Console.Out.WriteLine($"{c.ClinicName}: {c.Note}");
                    }
                    Output.WriteTable(["Clinic id", "Clinic", "Specialty", "Physicians", "Referring", "Prospects", "Neither", "Not yet sources", "Referrals 12m", "Per referring"], Rows(report));
                    break;
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static IEnumerable<string?[]> Rows(CoverageReport report) =>
        report.Clinics.SelectMany(c => c.Rows.Select(r => new[]
        {
            Num(c.ClinicId), c.ClinicName, r.Group, Num(r.Physicians), Num(r.Referring), Num(r.Prospects), Num(r.Neither), Num(r.NotYetSources),
            Num(r.Referrals12m), r.ReferralsPerReferringPhysician?.ToString("0.0", CultureInfo.InvariantCulture),
        }));

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Miles(double miles) => miles.ToString("0.#", CultureInfo.InvariantCulture);
}
