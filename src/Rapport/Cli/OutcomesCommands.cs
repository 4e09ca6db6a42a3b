using System.CommandLine;
using System.Globalization;
using Rapport.Outcomes;

namespace Rapport.Cli;

/// <summary><c>rapport outcomes --by … --instrument … --format table|json</c>: a thin door onto <see cref="OutcomeResults"/>.</summary>
public static class OutcomesCommands
{
    public static Command Create()
    {
        var by = new Option<string>("--by") { Description = $"Group by: {string.Join(", ", CohortSlices.Names.Keys)}.", DefaultValueFactory = _ => "all" };
        var instrument = new Option<string>("--instrument") { Description = "Instrument code (e.g. hoos-jr, odi).", Required = true };
        var format = new Option<OutputFormat>("--format") { Description = "table or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var from = new Option<DateOnly?>("--from") { Description = "Only episodes with intake on or after this date." };
        var to = new Option<DateOnly?>("--to") { Description = "Only episodes with intake on or before this date." };
        var minCell = new Option<int?>("--min-cell") { Description = "Suppress groups with fewer episodes (default from configuration, 5)." };
        var command = new Command("outcomes", "Cohort outcome results: change with 95% CI, share reaching MCID, Kaplan–Meier days to MCID.")
        {
            by, instrument, format, from, to, minCell, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var results = await services.GetRequiredService<OutcomeResults>().CohortAsync(new CohortQuery
            {
                Instrument = parse.GetValue(instrument), By = CohortSlices.Parse(parse.GetValue(by)),
                From = parse.GetValue(from), To = parse.GetValue(to), MinimumCellSize = parse.GetValue(minCell),
            }, ct);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                Output.WriteJson(results);
                return 0;
            }
            Console.WriteLine($"{results.InstrumentName}: change from intake in the instrument's direction (positive = better); MCID {N(results.Mcid) ?? "not established"}.");
            Output.WriteTable(["Group", "n", "Mean change (95% CI)", "Median change (95% CI)", "Reached MCID", "Median days to MCID (95% CI)"],
                results.Groups.Select(g => g.Suppressed
                    ? new string?[] { g.Group, $"< {results.MinimumCellSize}", "suppressed", "", "", "" }
                    : [g.Group, g.N?.ToString(CultureInfo.InvariantCulture), Interval(g.MeanChange), Interval(g.MedianChange),
                        g.McidShare is { } share ? $"{share:P0} ({g.McidReached})" : "", Days(g.TimeToMcid)]));
            return 0;
        }, cancellationToken));
        return command;
    }

    internal static string? N(double? value) => value?.ToString("0.#", CultureInfo.InvariantCulture);

    internal static string Interval(Estimate? e) =>
        e is null ? "" : e.Lower is null ? N(e.Value)! : $"{N(e.Value)} ({N(e.Lower)} to {N(e.Upper)})";

    internal static string Days(KaplanMeierResult? km) =>
        km is null ? "" : km.MedianDays is null ? "not reached"
        : $"{km.MedianDays} ({km.MedianLower?.ToString(CultureInfo.InvariantCulture) ?? "?"} to {km.MedianUpper?.ToString(CultureInfo.InvariantCulture) ?? "not reached"})";
}
