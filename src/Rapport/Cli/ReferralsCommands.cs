using System.CommandLine;
using System.Globalization;
using Rapport.Common;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;

namespace Rapport.Cli;

/// <summary><c>rapport referrals list|set-status</c>: the front desk's referral queue from a terminal.</summary>
public static class ReferralsCommands
{
    public static Command Create() => new("referrals", "The referral queue: referrals by stage, overdue to schedule first, and bulk status changes.")
    {
        List(), SetStatus(),
    };

    private static Command List()
    {
        var format = new Option<OutputFormat>("--format") { Description = "table, json or csv (csv: every row the filters select, as the page's download).", DefaultValueFactory = _ => OutputFormat.Table };
        var stage = new Option<string?>("--stage") { Description = "received, scheduled, evaluated, in-care, discharged or lost; every stage when left out." };
        var clinic = new Option<int?>("--clinic") { Description = "Only this clinic (id)." };
        var source = new Option<string?>("--source") { Description = "Only this source (NPI or id)." };
        var channel = new Option<string?>("--channel") { Description = "Only this channel: Physician, WebSearch, Website, FriendOrFamily, PastPatient, Event, SocialMedia, Employer, Insurer, Other, DirectAccess." };
        var from = new Option<DateOnly?>("--received-from") { Description = "Received on or after (yyyy-MM-dd)." };
        var to = new Option<DateOnly?>("--received-to") { Description = "Received on or before (yyyy-MM-dd)." };
        var page = new Option<int>("--page") { Description = "Page (table and json).", DefaultValueFactory = _ => 1 };
        var pageSize = new Option<int>("--page-size") { Description = "Rows a page, at most 500 (table and json).", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "Referrals by stage with their age, overdue to schedule first.") { format, stage, clinic, source, channel, from, to, page, pageSize, CliHost.OrgOption };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var filters = new Dictionary<string, string?>
            {
                ["stage"] = parse.GetValue(stage),
                ["clinic"] = parse.GetValue(clinic)?.ToString(CultureInfo.InvariantCulture),
                ["channel"] = parse.GetValue(channel),
                ["receivedFrom"] = Output.Iso(parse.GetValue(from)),
                ["receivedTo"] = Output.Iso(parse.GetValue(to)),
                ["page"] = parse.GetValue(page).ToString(CultureInfo.InvariantCulture),
                ["pageSize"] = parse.GetValue(pageSize).ToString(CultureInfo.InvariantCulture),
            };
            if (parse.GetValue(source) is { } key)
            {
                filters["source"] = (await services.GetRequiredService<SourceQueries>().ResolveAsync(key, ct) ?? throw new CliException($"No source has NPI or id '{key}'."))
                    .ToString(CultureInfo.InvariantCulture);
            }
            var query = ReferralQueueQuery.FromFilters(filters);
            var queue = services.GetRequiredService<ReferralQueue>();
            if (parse.GetValue(format) == OutputFormat.Csv)
            {
                using var stdout = Console.OpenStandardOutput();
                TableFile.Write(ReferralQueueExport.ToSheet(await queue.AllAsync(query, ct)), TableFormat.Csv, stdout);
                return 0;
            }
            var result = await queue.ListAsync(query, ct);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                Output.WriteJson(result);
                return 0;
            }
            Output.WriteTable(["Id", "Stage", "Received", "Age", "Overdue", "Patient", "Source or channel", "Clinic", "Payer"], result.Items.Select(r => new[]
            {
                r.Id.ToString(CultureInfo.InvariantCulture), ReferralQueue.StageSlug(r.Stage), Output.Iso(r.ReceivedOn),
                r.BusinessDaysWaiting is { } waiting ? $"{r.AgeDays} d ({waiting} business)" : $"{r.AgeDays} d",
                r.OverdueToSchedule ? "overdue" : "", r.PatientName, r.SourceName ?? ReferralChannels.Label(r.AcquisitionChannel), r.ClinicName,
                r.PayerCategory?.ToString(),
            }));
            Console.WriteLine($"{result.Total} referral(s){(query.Stage is { } s ? " " + ReferralQueue.StageSlug(s) : "")}, page {result.Page} of {Math.Max(1, result.PageCount)}; "
                + $"{result.OverdueCount} received referral(s) overdue to schedule (more than {result.ScheduleWithinBusinessDays} business days).");
            Console.WriteLine(string.Join(" · ", result.StageCounts.Select(c => $"{ReferralQueue.StageSlug(c.Stage)} {c.Count}")));
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command SetStatus()
    {
        // One token, comma-separated: a list argument would also swallow the --Key=value configuration tokens that follow.
        var ids = new Argument<string>("referrals") { Description = "The referral ids, comma-separated: 12,13,14." };
        var status = new Option<string>("--status") { Description = "scheduled, evaluated, discharged or lost.", Required = true };
        var on = new Option<DateOnly?>("--on") { Description = "The date of the step (yyyy-MM-dd); the practice's today when left out." };
        var reason = new Option<string?>("--lost-reason") { Description = "With lost (required): CouldNotReach, PatientDeclined, WentElsewhere, InsuranceOrCost, NoShow, NotAppropriate, Other." };
        var note = new Option<string?>("--note") { Description = "With lost: optional detail." };
        var command = new Command("set-status", "Move referrals to one status on one date, all or none (every problem is listed and nothing changes).")
        {
            ids, status, on, reason, note, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var result = await services.GetRequiredService<ReferralQueue>().SetStatusAsync(new ReferralStatusChange
            {
                ReferralIds = Ids(parse.GetValue(ids)),
                Status = ParseEnum<ReferralStatus>(parse.GetValue(status), "status"),
                On = parse.GetValue(on),
                LostReason = ParseEnum<LostReason>(parse.GetValue(reason), "lostReason"),
                Note = parse.GetValue(note),
            }, ct);
            Console.WriteLine($"{result.ReferralIds.Count} referral(s) now {result.Status} on {Output.Iso(result.On)}: {string.Join(", ", result.ReferralIds)}.");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static int[] Ids(string? values) => [.. (values ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(value =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
            : throw new ValidationException("referralIds", $"'{value}' is not a referral id (a whole number)."))];

    private static T? ParseEnum<T>(string? text, string field) where T : struct, Enum
    {
        if (Formats.Clean(text) is not { } value)
        {
            return null;
        }
        var key = value.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, key, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<T>(name)
            : throw new ValidationException(field, $"'{value}' is not one of {string.Join(", ", Enum.GetNames<T>())}.");
    }
}
