using System.CommandLine;
using Rapport.Email;
using Rapport.Health;

namespace Rapport.Cli;

public static class DigestCommands
{
    public static Command Create()
    {
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Build the digest as if today were this date (yyyy-MM-dd)." };
        var force = new Option<bool>("--force") { Description = "Send even if this week's digest was already sent." };
        var send = new Command("send", "E-mail each relationship owner their alerts and call list for this week.") { asOf, force, CliHost.OrgOption };
        send.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var result = await services.GetRequiredService<WeeklyDigest>().QueueAsync(parse.GetValue(asOf), parse.GetValue(force), ct);
            if (result.AlreadySent)
            {
                Console.WriteLine($"The digest for the week of {result.WeekOf:yyyy-MM-dd} was already sent; use --force to send it again.");
                return 0;
            }
            // The verb delivers what it queued now; anything the mail server refuses stays in the outbox for the app to retry.
            var delivered = await services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(ct);
            Console.WriteLine($"Week of {result.WeekOf:yyyy-MM-dd}: {result.Recipients.Count} digest(s) queued, {delivered} message(s) delivered"
                + (result.OwnersWithoutEmail > 0 ? $", {result.OwnersWithoutEmail} owner(s) without an e-mail address." : "."));
            return 0;
        }, cancellationToken));
        return new Command("digest", "The weekly e-mail digest of alerts and calls.") { send };
    }
}
