using System.CommandLine;
using System.Globalization;
using Rapport.Email;
using Rapport.Letters;
using Rapport.Sources;

namespace Rapport.Cli;

/// <summary><c>rapport letters due|send|pdf</c>: closing-the-loop letters to referring sources.</summary>
public static class LettersCommands
{
    private static readonly string[] Headers = ["referralId", "patient", "sourceId", "source", "clinic", "kind", "state", "eventOn", "dueBy", "atVisit", "daysOverdue", "sourceHasEmail", "email"];

    public static Command Create() => new("letters", "Closing-the-loop letters to referring physicians: evaluation, progress (every 10th visit) and discharge.")
    {
        Due(), Send(), Pdf(),
    };

    private static Command Due()
    {
        var format = new Option<OutputFormat>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => OutputFormat.Table };
        var source = new Option<string?>("--source") { Description = "Only this source (NPI or id)." };
        var clinic = new Option<int?>("--clinic") { Description = "Only episodes of this clinic (id)." };
        var overdue = new Option<bool>("--overdue") { Description = "Only overdue letters." };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Compute as if today were this date (yyyy-MM-dd)." };
        var command = new Command("due", "Letters owed now, most overdue first.") { format, source, clinic, overdue, asOf, CliHost.OrgOption };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            int? sourceId = null;
            if (parse.GetValue(source) is { } key)
            {
                sourceId = await services.GetRequiredService<SourceQueries>().ResolveAsync(key, ct) ?? throw new CliException($"No source has NPI or id '{key}'.");
            }
            var due = await services.GetRequiredService<LetterService>().DueAsync(new LetterDueQuery
            {
                SourceId = sourceId, ClinicId = parse.GetValue(clinic), OverdueOnly = parse.GetValue(overdue), AsOf = parse.GetValue(asOf),
                ExportFormat = parse.GetValue(format) == OutputFormat.Table ? null : parse.GetValue(format).ToString(),
            }, ct);
            var rows = due.Select(d => new string?[]
            {
                Number(d.ReferralId), d.PatientName, Number(d.SourceId), d.SourceName, d.ClinicName, LetterFormat.Slug(d.Kind), d.State.ToString(),
                Output.Iso(d.EventOn), Output.Iso(d.DueBy), d.AtVisit is { } v ? Number(v) : null, Number(d.DaysOverdue), d.SourceHasEmail ? "yes" : "no",
                d.EmailDelivery is { } e ? (e.Error is { } error ? $"{e.Status}: {error}" : e.Status.ToString()) : null,
            });
            switch (parse.GetValue(format))
            {
                case OutputFormat.Json:
                    Output.WriteJson(due);
                    break;
                case OutputFormat.Csv:
                    Output.WriteCsv(Headers, rows);
                    break;
                default:
                    Output.WriteTable(["Referral", "Patient", "Source id", "Source", "Clinic", "Letter", "State", "Event", "Due by", "Visit", "Days overdue", "E-mail", "E-mail state"], rows);
                    Console.WriteLine($"{due.Count} letter(s) owed, {due.Count(d => d.State == LetterState.Overdue)} overdue.");
                    break;
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Send()
    {
        var referral = new Argument<int>("referral") { Description = "The referral (episode) id." };
        var kind = new Argument<string>("kind") { Description = "evaluation, progress or discharge." };
        var via = new Option<LetterDelivery>("--via")
        {
            Description = "email (to the source's address, PDF attached), or fax / mail to record a letter sent by hand.",
            DefaultValueFactory = _ => LetterDelivery.Email,
        };
        var sentOn = new Option<DateOnly?>("--sent-on") { Description = "For fax or mail: the day it went (default today)." };
        var command = new Command("send", "Send a letter by e-mail (sent when the mail server accepts it), or record it as faxed or mailed; logs a touchpoint on the source.")
        {
            referral, kind, via, sentOn, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var letterKind = ParseKind(parse.GetValue(kind));
            var sent = await services.GetRequiredService<LetterService>().SendAsync(parse.GetValue(referral), letterKind, parse.GetValue(via), parse.GetValue(sentOn), ct);
            if (sent.EmailDelivery is { } queued)
            {
                // One attempt now, so the person at the terminal learns the outcome; a failure stays in the outbox, retried by the app.
                var delivery = await services.GetRequiredService<OutboxMessages>().SendNowAsync(queued.OutboxMessageId, ct);
                var title = $"{LetterFormat.Title(letterKind)} letter for referral {parse.GetValue(referral)}";
                switch (delivery.Status)
                {
                    case DeliveryStatus.Sent:
                        Console.WriteLine($"{title} sent by e-mail (the mail server accepted it); touchpoint logged.");
                        return 0;
                    case DeliveryStatus.Failed:
                        await Console.Error.WriteLineAsync($"{title} NOT sent: {delivery.Error} It stays due, with no touch logged; the app retries it "
                            + $"automatically, or retry it under Settings → E-mail outbox (message {delivery.OutboxMessageId}).");
                        return 1;
                    default:
                        Console.WriteLine($"{title} queued by e-mail (message {delivery.OutboxMessageId}); it counts as sent, with its touch, once the mail server accepts it.");
                        return 0;
                }
            }
            else
            {
                Console.WriteLine($"{LetterFormat.Title(letterKind)} letter for referral {parse.GetValue(referral)} recorded as sent by {sent.Delivery.ToString()!.ToLowerInvariant()} on {Output.Iso(sent.SentOn)}; touchpoint {sent.TouchpointId} logged.");
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Pdf()
    {
        var referral = new Argument<int>("referral") { Description = "The referral (episode) id." };
        var kind = new Argument<string>("kind") { Description = "evaluation, progress or discharge." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the letter (PDF).", Required = true };
        var cover = new Option<FileInfo?>("--fax-cover") { Description = "Also write a fax cover sheet here." };
        var command = new Command("pdf", "Write a letter as PDF (recorded in the audit trail as a disclosure), optionally with a fax cover sheet.")
        {
            referral, kind, output, cover, CliHost.OrgOption,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunInOrganizationAsync(parse, async (services, ct) =>
        {
            var letters = services.GetRequiredService<LetterService>();
            var letterKind = ParseKind(parse.GetValue(kind));
            var letter = await letters.PdfAsync(parse.GetValue(referral), letterKind, ct);
            var path = parse.GetValue(output)!.FullName;
            await File.WriteAllBytesAsync(path, letter.Pdf.Bytes, ct);
            Console.WriteLine($"Wrote {path} ({letter.Pdf.Pages} page(s)).");
            if (parse.GetValue(cover) is { } coverFile)
            {
                var sheet = await letters.FaxCoverAsync(parse.GetValue(referral), letterKind, ct);
                await File.WriteAllBytesAsync(coverFile.FullName, sheet.Pdf.Bytes, ct);
                Console.WriteLine($"Wrote {coverFile.FullName} (fax cover).");
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static LetterKind ParseKind(string? text) =>
        LetterFormat.ParseKind(text) ?? throw new CliException($"kind: '{text}' is not a letter kind; use evaluation, progress or discharge.");

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
