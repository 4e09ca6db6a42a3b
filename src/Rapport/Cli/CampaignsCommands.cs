using System.CommandLine;
using System.Globalization;
using Rapport.Campaigns;
using Rapport.Common;
using Rapport.Registry;

namespace Rapport.Cli;

/// <summary>
/// <c>rapport campaigns list [--clinic ID|NAME] [--kind K] [--year Y] [--format table|json|csv]</c> and
/// <c>rapport campaigns show ID|NAME [--format table|json|csv]</c>: thin doors onto <see cref="CampaignResultsService"/>,
/// printing the same <see cref="CampaignText"/> figures as the campaign page and its PDF.
/// </summary>
public static class CampaignsCommands
{
    private static readonly string[] ListHeaders =
        ["Id", "Name", "Kind", "Starts", "Ends", "Clinics", "Budget", "Actual cost", "Sources reached", "New referring sources", "Referrals attributed",
         "Estimated revenue", "Return on spend", "Archived"];

    public static Command Create() => new("campaigns", "Referral campaigns and what each brought (attribution rule: docs/campaigns.md).") { List(), Show() };

    private static Option<OutputFormat> FormatOption() =>
        new("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => OutputFormat.Table };

    private static Command List()
    {
        var clinic = new Option<string?>("--clinic") { Description = "Only campaigns for this clinic (id or name); whole-practice campaigns are included." };
        var kind = new Option<string?>("--kind")
        {
            Description = "Only this kind: " + string.Join(", ", Enum.GetNames<CampaignKind>()) + ".",
        };
        var year = new Option<int?>("--year") { Description = "Only campaigns running at some time in this calendar year." };
        var format = FormatOption();
        var command = new Command("list", "Campaigns with their cost and the headline of what they brought.") { clinic, kind, year, format, CliHost.OrgOption };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            CampaignKind? kindValue = null;
            if (Formats.Clean(parse.GetValue(kind)) is { } kindText)
            {
                kindValue = Enum.TryParse<CampaignKind>(kindText.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                    ? parsed
                    : throw new ValidationException("kind", $"Kind \"{kindText}\" is not one of {string.Join(", ", Enum.GetNames<CampaignKind>())}.");
            }
            var clinicId = await services.GetRequiredService<CoverageService>().ResolveClinicAsync(parse.GetValue(clinic), ct);
            var rows = await services.GetRequiredService<CampaignResultsService>().SummariesAsync(
                new CampaignListQuery { ClinicId = clinicId, Kind = kindValue, Year = parse.GetValue(year) }, ct);
            switch (parse.GetValue(format))
            {
                case OutputFormat.Json:
                    Output.WriteJson(rows);
                    break;
                case OutputFormat.Csv:
                    Output.WriteCsv(ListHeaders, rows.Select(r => ListCells(r, machine: true)));
                    break;
                default:
                    if (rows.Count == 0)
                    {
                        Console.WriteLine("No campaigns match.");
                        return 0;
                    }
                    Output.WriteTable(ListHeaders, rows.Select(r => ListCells(r, machine: false)));
                    break;
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static IReadOnlyList<string?> ListCells(CampaignSummary r, bool machine) =>
    [
        r.Id.ToString(CultureInfo.InvariantCulture), r.Name, machine ? r.Kind.ToString() : CampaignKinds.Label(r.Kind), Output.Iso(r.StartsOn), Output.Iso(r.EndsOn),
        r.Clinics.Count == 0 ? (machine ? "" : "whole practice") : string.Join(", ", r.Clinics),
        machine ? Plain(r.Budget) : CampaignText.Money(r.Budget, ""), machine ? Plain(r.ActualCost) : CampaignText.Money(r.ActualCost),
        CampaignText.Count(r.SourcesReached), CampaignText.Count(r.NewReferringSources), CampaignText.Count(r.ReferralsAttributed),
        machine ? Plain(r.EstimatedRevenue) : CampaignText.Money(r.EstimatedRevenue), machine ? Plain(r.ReturnOnSpend) : CampaignText.ReturnOnSpend(r.ReturnOnSpend),
        r.Archived ? "yes" : (machine ? "no" : ""),
    ];

    private static string Plain(decimal? amount) => amount?.ToString("0.00", CultureInfo.InvariantCulture) ?? "";

    private static Command Show()
    {
        var campaign = new Argument<string>("campaign") { Description = "The campaign's id or name (names match ignoring case)." };
        var format = FormatOption();
        var command = new Command("show", "One campaign's results: costs, reach, attributed referrals, revenue, return on spend and the comparison group.")
        {
            campaign, format, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var service = services.GetRequiredService<CampaignResultsService>();
            var results = await service.ResultsAsync(await service.ResolveAsync(parse.GetValue(campaign)!, ct), ct);
            switch (parse.GetValue(format))
            {
                case OutputFormat.Json:
                    Output.WriteJson(results);
                    break;
                case OutputFormat.Csv:
                    Output.WriteCsv(["figure", "value"], ShowRows(results));
                    break;
                default:
                    Console.WriteLine($"{results.Name} — {CampaignResultsPdf.Facts(results)}");
                    Console.WriteLine($"Measured {CampaignText.Period(results)}.");
                    Output.WriteTable(["Figure", "Value"], ShowRows(results));
                    Console.WriteLine(results.Comparison.Verdict);
                    Console.WriteLine("Rule: " + results.Rule);
                    break;
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>The page's figures in its order, then the new sources, unpriced visits and the comparison group.</summary>
    private static IEnumerable<IReadOnlyList<string?>> ShowRows(CampaignResults r)
    {
        foreach (var (label, value) in CampaignText.Headline(r))
        {
            yield return [label.Trim(), value];
        }
        yield return ["New referring source names", string.Join("; ", r.NewReferringSources.Select(s => s.Name))];
        if (CampaignText.Unpriced(r) is { Length: > 0 } unpriced)
        {
            yield return ["Visits without a rate", unpriced];
        }
        var c = r.Comparison;
        yield return ["Comparison specialties", string.Join(", ", c.Specialties)];
        foreach (var (name, g) in new[] { ("Reached", c.Reached), ("Comparison group", c.Comparison) })
        {
            yield return [$"{name}: referred during", CampaignText.Share(g.ReferredDuring)];
            yield return [$"{name}: referred before", CampaignText.Share(g.ReferredBefore)];
            yield return [$"{name}: referrals per source per month during", CampaignText.Rate(g.PerSourceMonthDuring)];
            yield return [$"{name}: referrals per source per month before", CampaignText.Rate(g.PerSourceMonthBefore)];
        }
        yield return ["Attribution window (days)", r.AttributionWindowDays.ToString(CultureInfo.InvariantCulture)];
    }
}
