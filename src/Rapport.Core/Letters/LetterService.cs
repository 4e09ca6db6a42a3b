using Microsoft.EntityFrameworkCore;
using Rapport.Audit;
using Rapport.Common;
using Rapport.Data;
using Rapport.Email;
using Rapport.Outcomes;
using Rapport.Referrals;
using Rapport.Touchpoints;

namespace Rapport.Letters;

/// <summary>
/// A letter sent for an episode, or (from <see cref="LetterService.SendAsync"/>) one just queued by
/// e-mail, which has no <see cref="SentOn"/> and no touchpoint until the mail server accepts it.
/// </summary>
public sealed record LetterRecord(int Id, LetterKind Kind, DateOnly? SentOn, LetterDelivery? Delivery, string? SentBy, int? VisitCount, string? EmailStatus,
    int? TouchpointId)
{
    /// <summary>E-mailed letters: the e-mail's delivery state, from the outbox.</summary>
    public EmailDelivery? EmailDelivery { get; init; }
}

/// <summary>An episode's letters: where each kind stands, the drafts' notes, and what was sent.</summary>
public sealed record EpisodeLetters(int ReferralId, int PatientId, string PatientName, int? SourceId, string? SourceName, string? SourceEmail, string? SourceFax,
    IReadOnlyList<LetterStatus> Letters, IReadOnlyDictionary<LetterKind, string?> Notes, IReadOnlyList<LetterRecord> Sent);

/// <summary>One letter owed now, for the due lists (practice, source, CLI).</summary>
public sealed record DueLetter(int ReferralId, int PatientId, string PatientName, int SourceId, string SourceName, string ClinicName, LetterKind Kind,
    LetterState State, DateOnly EventOn, DateOnly DueBy, int? AtVisit, int DaysOverdue, bool SourceHasEmail)
{
    /// <summary>The letter's e-mail while it is not yet sent (Queued, or Failed with its error): the letter stays owed meanwhile.</summary>
    public EmailDelivery? EmailDelivery { get; init; }
}

public sealed record LetterDueQuery
{
    public int? SourceId { get; init; }
    public int? ClinicId { get; init; }
    /// <summary>Compute as if today were this day.</summary>
    public DateOnly? AsOf { get; init; }
    public bool OverdueOnly { get; init; }
    /// <summary>The list is written out as a file ("csv", "json"): audited as an export rather than a read.</summary>
    public string? ExportFormat { get; init; }
}

/// <summary>
/// Closing-the-loop letters: which ones each episode owes (see <see cref="LetterSchedule"/>), their
/// content, and sending them. A letter names the patient and goes only to the episode's referring
/// source, so every letter generated or sent is recorded in the audit trail as a disclosure.
/// <para>
/// A letter counts as sent (no longer owed, its touchpoint logged, its disclosure audited) only when
/// it left the practice: recorded as faxed or mailed, or e-mailed and accepted by the SMTP server.
/// An e-mailed letter stays the episode's draft of that kind (<see cref="Letter.SentAt"/> null, its
/// <see cref="Letter.OutboxMessageId"/> set) while its e-mail is queued or failing; the outbox tells
/// <see cref="LetterDeliveryObserver"/> when it went, which calls <see cref="RecordEmailDeliveredAsync"/>.
/// </para>
/// </summary>
public sealed class LetterService(RapportDbContext db, AssessmentService assessments, EmailOutbox outbox, MailServer mail, LetterTemplateStore templates,
    LetterDocuments documents, PatientDataAudit audit, PracticeClock time, Users.StaffNames staff)
{
    public const string Disclosed = "Disclosed";

    private DbSet<Letter> Letters => db.Set<Letter>();

    public async Task<LetterRules> RulesAsync(CancellationToken cancellationToken = default) =>
        (await db.Set<LetterSettings>().AsNoTracking().FirstOrDefaultAsync(cancellationToken))?.ToRules() ?? new LetterRules();

    public async Task<LetterSettings> SettingsAsync(CancellationToken cancellationToken = default) =>
        await db.Set<LetterSettings>().AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new LetterSettings();

    public async Task SaveSettingsAsync(int overdueAfterDays, int lookbackDays, CancellationToken cancellationToken = default)
    {
        var problems = new Problems();
        if (overdueAfterDays is < 0 or > 90) problems.Add("overdueAfterDays", "Overdue after must be between 0 and 90 days.");
        if (lookbackDays is < 1 or > 730) problems.Add("lookbackDays", "Look back must be between 1 and 730 days.");
        if (lookbackDays < overdueAfterDays) problems.Add("lookbackDays", "Look back must be at least the days until a letter is overdue.");
        problems.ThrowIfAny();
        var settings = await db.Set<LetterSettings>().FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new LetterSettings();
            db.Set<LetterSettings>().Add(settings);
        }
        settings.OverdueAfterDays = overdueAfterDays;
        settings.LookbackDays = lookbackDays;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<EpisodeLetters> EpisodeAsync(int referralId, CancellationToken cancellationToken = default)
    {
        var episode = await db.Referrals.AsNoTracking().Where(r => r.Id == referralId)
            .Select(r => new
            {
                r.Id, r.PatientId, PatientName = r.Patient!.LastName + ", " + r.Patient.FirstName, r.SourceId,
                Source = r.Source == null ? null : new { r.Source.FirstName, r.Source.LastName, r.Source.Credential, r.Source.Email, r.Source.Fax },
                r.EvaluatedOn, r.DischargedOn, r.LostOn, r.VisitCount,
            })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException($"Referral {referralId}");
        await audit.ReadAsync(nameof(Letter), referralId, $"letters of referral {referralId}", cancellationToken);
        var rows = await Letters.AsNoTracking().Where(l => l.ReferralId == referralId).OrderBy(l => l.SentAt).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        var failed = await FailedEmailsAsync(rows, cancellationToken);
        var visits = await RecordedVisitsAsync(db.Referrals.Where(r => r.Id == referralId), cancellationToken);
        var facts = new EpisodeLetterFacts(episode.SourceId, episode.EvaluatedOn, episode.DischargedOn, episode.LostOn, episode.VisitCount,
            visits.GetValueOrDefault(referralId) ?? []);
        var deliveries = await DeliveriesAsync(rows, cancellationToken);
        var pending = PendingEmails(rows, deliveries);
        var statuses = LetterSchedule.Evaluate(facts, SentFacts(rows, failed), await RulesAsync(cancellationToken), time.Today())
            .Select(s => s with { EmailDelivery = pending.GetValueOrDefault((referralId, s.Kind)) }).ToList();
        var names = await staff.BookAsync(cancellationToken);
        return new EpisodeLetters(episode.Id, episode.PatientId, episode.PatientName, episode.SourceId,
            episode.Source is { } s ? Sources.SourceNames.Display(s.FirstName, s.LastName, s.Credential) : null, episode.Source?.Email, episode.Source?.Fax,
            statuses,
            Enum.GetValues<LetterKind>().ToDictionary(k => k, k => rows.FirstOrDefault(l => l.Kind == k && l.SentAt == null)?.Notes),
            [.. rows.Where(l => l.SentAt != null).Select(l =>
            {
                var email = l.OutboxMessageId is { } m ? deliveries.GetValueOrDefault(m) : null;
                return new LetterRecord(l.Id, l.Kind, l.SentOn, l.Delivery, names.Show(l.SentBy), l.VisitCount, email?.Status.ToString(), l.TouchpointId) { EmailDelivery = email };
            })]);
    }

    /// <summary>The letters owed now (due or overdue), most overdue first.</summary>
    public async Task<IReadOnlyList<DueLetter>> DueAsync(LetterDueQuery query, CancellationToken cancellationToken = default)
    {
        var today = time.AsOfOrToday(query.AsOf);
        var rules = await RulesAsync(cancellationToken);
        var since = today.AddDays(-rules.LookbackDays - 1);
        var candidates = db.Referrals.Where(r => r.SourceId != null && r.EvaluatedOn != null
            && (r.EvaluatedOn >= since || r.DischargedOn >= since
                || (r.DischargedOn == null && r.LostOn == null && r.VisitCount >= LetterSchedule.ProgressEveryVisits)));
        if (query.SourceId is { } sourceId) candidates = candidates.Where(r => r.SourceId == sourceId);
        if (query.ClinicId is { } clinicId) candidates = candidates.Where(r => r.ClinicId == clinicId);
        var episodes = await candidates.AsNoTracking()
            .Select(r => new
            {
                r.Id, r.PatientId, PatientName = r.Patient!.LastName + ", " + r.Patient.FirstName, SourceId = r.SourceId!.Value,
                r.Source!.FirstName, r.Source.LastName, r.Source.Credential, SourceEmail = r.Source.Email, ClinicName = r.Clinic!.Name,
                r.EvaluatedOn, r.DischargedOn, r.LostOn, r.VisitCount,
            })
            .ToListAsync(cancellationToken);
        var letters = await Letters.AsNoTracking().Where(l => l.SentAt != null && candidates.Any(r => r.Id == l.ReferralId)).ToListAsync(cancellationToken);
        var failed = await FailedEmailsAsync(letters, cancellationToken);
        var queued = await Letters.AsNoTracking().Where(l => l.SentAt == null && l.OutboxMessageId != null && candidates.Any(r => r.Id == l.ReferralId))
            .ToListAsync(cancellationToken);
        var pending = PendingEmails(queued, await DeliveriesAsync(queued, cancellationToken));
        var sentByEpisode = letters.GroupBy(l => l.ReferralId).ToDictionary(g => g.Key, g => SentFacts([.. g], failed));
        var visits = await RecordedVisitsAsync(candidates.Where(r => r.DischargedOn == null && r.LostOn == null), cancellationToken);
        var due = new List<DueLetter>();
        foreach (var e in episodes)
        {
            var facts = new EpisodeLetterFacts(e.SourceId, e.EvaluatedOn, e.DischargedOn, e.LostOn, e.VisitCount, visits.GetValueOrDefault(e.Id) ?? []);
            foreach (var status in LetterSchedule.Evaluate(facts, sentByEpisode.GetValueOrDefault(e.Id) ?? [], rules, today))
            {
                if (status.Owed && (!query.OverdueOnly || status.State == LetterState.Overdue))
                {
                    due.Add(new DueLetter(e.Id, e.PatientId, e.PatientName, e.SourceId, Sources.SourceNames.Display(e.FirstName, e.LastName, e.Credential),
                        e.ClinicName, status.Kind, status.State, status.EventOn!.Value, status.DueBy!.Value, status.AtVisit,
                        Math.Max(0, today.DayNumber - status.DueBy!.Value.DayNumber), e.SourceEmail is not null)
                    {
                        EmailDelivery = pending.GetValueOrDefault((e.Id, status.Kind)),
                    });
                }
            }
        }
        var scope = PatientDataAudit.Scope(null, null, ("due", true), ("sourceId", query.SourceId), ("clinicId", query.ClinicId),
            ("asOf", query.AsOf), ("overdueOnly", query.OverdueOnly));
        if (query.ExportFormat is { } format)
        {
            scope = $"{scope}, as {(format.All(char.IsAsciiLetter) ? format.ToLowerInvariant() : "file")}";
        }
        await (query.ExportFormat is null ? audit.ListedAsync(nameof(Letter), due.Count, scope, cancellationToken) : audit.ExportedAsync(nameof(Letter), due.Count, scope, cancellationToken));
        return [.. due.OrderByDescending(d => d.DaysOverdue).ThenBy(d => d.EventOn).ThenBy(d => d.ReferralId).ThenBy(d => d.Kind)];
    }

    /// <summary>Keeps the clinician's words for the episode's next letter of this kind.</summary>
    public async Task SaveNotesAsync(int referralId, LetterKind kind, string? notes, CancellationToken cancellationToken = default)
    {
        if (!await db.Referrals.AnyAsync(r => r.Id == referralId, cancellationToken))
        {
            throw new NotFoundException($"Referral {referralId}");
        }
        var problems = new Problems();
        FieldRules.Text(problems, "notes", notes, FieldRules.MaxLengthOf<Letter>(nameof(Letter.Notes)), multiLine: true);
        problems.ThrowIfAny();
        var text = Formats.Clean(notes);
        var draft = await Letters.FirstOrDefaultAsync(l => l.ReferralId == referralId && l.Kind == kind && l.SentAt == null, cancellationToken);
        if (draft is null)
        {
            Letters.Add(draft = new Letter { ReferralId = referralId, Kind = kind, CreatedAt = time.GetUtcNow().UtcDateTime });
        }
        draft.Notes = text;
        draft.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Gathers the letter: the episode, its outcomes (the outcomes feature's episode outcomes), the
    /// practice's template and the draft's notes. Fails naming the kind when the episode cannot have
    /// such a letter yet (no evaluation, no discharge) or has no referring source.
    /// </summary>
    public async Task<LetterContent> ComposeAsync(int referralId, LetterKind kind, CancellationToken cancellationToken = default)
    {
        var r = await db.Referrals.AsNoTracking().Include(x => x.Patient).Include(x => x.Source).Include(x => x.Clinic)
            .FirstOrDefaultAsync(x => x.Id == referralId, cancellationToken) ?? throw new NotFoundException($"Referral {referralId}");
        if (r.Source is not { } source)
        {
            throw new ValidationException("kind", "A direct-access episode has no referring physician to write to.");
        }
        if (r.EvaluatedOn is null)
        {
            throw new ValidationException("kind", $"A {LetterFormat.Title(kind).ToLowerInvariant()} letter needs the evaluation date; the episode has not been evaluated.");
        }
        if (kind == LetterKind.Discharge && r.DischargedOn is null)
        {
            throw new ValidationException("kind", "A discharge letter needs the discharge date; the episode is still open.");
        }
        await audit.ReadAsync(nameof(Letter), referralId, $"{LetterFormat.Title(kind)} letter for referral {referralId}", cancellationToken);
        var organization = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == db.Organization.RequiredId, cancellationToken);
        var tracks = await assessments.TracksAsync(referralId, cancellationToken);
        var notes = await Letters.AsNoTracking().Where(l => l.ReferralId == referralId && l.Kind == kind && l.SentAt == null)
            .Select(l => l.Notes).FirstOrDefaultAsync(cancellationToken);
        var clinic = r.Clinic!;
        // The treating therapist signs when the referral's therapist is one of the practice's users;
        // otherwise the person sending does, so a letter always goes out under a clinician's name and credentials.
        var names = await staff.BookAsync(cancellationToken);
        var therapist = names.Find(r.Therapist);
        var signer = therapist ?? names.Find(db.Organization.Actor);
        var sender = new LetterSender(organization.Name, clinic.Name, AddressLines(clinic.AddressLine, clinic.City, clinic.State, clinic.Zip), clinic.Phone,
            clinic.Fax, therapist?.Name ?? Formats.Clean(r.Therapist), signer?.Signature);
        var recipient = new LetterRecipient(source.Id, source.DisplayName, Sources.SourceNames.Salutation(source.FirstName, source.LastName, source.Credential), source.PracticeName,
            AddressLines(source.AddressLine, source.City, source.State, source.Zip), source.Phone, source.Fax, source.Email);
        var patient = new LetterPatient(r.Patient!.FirstName, r.Patient.LastName, r.Patient.BirthDate, r.Patient.ExternalId);
        var episode = new LetterEpisode(r.Id, r.ReceivedOn, r.EvaluatedOn, r.DischargedOn, r.VisitCount, r.DiagnosisCodes, r.BodyRegion, r.Procedure);
        var content = new LetterContent(kind, time.Today(), sender, recipient, patient, episode, [.. tracks.Select(LetterOutcome.From)], notes);
        return content with { Body = await templates.RenderAsync(kind, content.Values, cancellationToken) };
    }

    /// <summary>The letter as a PDF, recorded as a disclosure of the patient's record.</summary>
    public async Task<GeneratedLetter> PdfAsync(int referralId, LetterKind kind, CancellationToken cancellationToken = default)
    {
        var content = await ComposeAsync(referralId, kind, cancellationToken);
        var pdf = documents.Letter(content);
        await audit.DisclosedAsync(nameof(Letter), referralId,
            $"{LetterFormat.Title(kind)} letter for referral {referralId} to source {content.To.SourceId} generated as PDF ({pdf.Pages} page(s))", cancellationToken);
        return new GeneratedLetter(content, pdf);
    }

    /// <summary>The fax cover sheet for the letter (names no patient), recorded with the letter it covers.</summary>
    public async Task<GeneratedLetter> FaxCoverAsync(int referralId, LetterKind kind, CancellationToken cancellationToken = default)
    {
        audit.ReadsNotShown();
        var content = await ComposeAsync(referralId, kind, cancellationToken);
        var letter = documents.Letter(content);
        return new GeneratedLetter(content, documents.FaxCover(content, letter.Pages));
    }

    /// <summary>
    /// Sends the letter by e-mail to the source's own address (the PDF attached, through the outbox),
    /// or records it as faxed or mailed by hand. A fax or mailed letter is sent at once: recorded as
    /// sent (so it is no longer due), one touchpoint logged on the source and the disclosure audited,
    /// in one transaction. An e-mail is only queued: the letter counts as sent, with its touch and
    /// disclosure, when the mail server accepts it (<see cref="RecordEmailDeliveredAsync"/>). With no
    /// mail server configured an e-mail is refused before anything is queued. Sending a letter whose
    /// earlier e-mail is still queued or failing replaces that e-mail (it is withdrawn from the outbox),
    /// so the physician never gets it twice.
    /// </summary>
    public async Task<LetterRecord> SendAsync(int referralId, LetterKind kind, LetterDelivery delivery, DateOnly? sentOn = null,
        CancellationToken cancellationToken = default)
    {
        audit.ReadsNotShown();
        var content = await ComposeAsync(referralId, kind, cancellationToken);
        var today = time.Today();
        var on = sentOn ?? today;
        var problems = new Problems();
        problems.NotInFuture("sentOn", on, today, "Sent date");
        problems.NotBefore("sentOn", on, kind == LetterKind.Discharge ? content.Episode.DischargedOn : content.Episode.EvaluatedOn, "Sent date",
            kind == LetterKind.Discharge ? "the discharge date" : "the evaluation date");
        if (delivery == LetterDelivery.Email && content.To.Email is null)
        {
            problems.Add("via", $"{content.To.Name} has no e-mail address: fax or mail the letter and mark it sent, or add the address to the source.");
        }
        if (delivery == LetterDelivery.Email && sentOn is not null && sentOn != today)
        {
            problems.Add("sentOn", "An e-mail goes today; a past date is only for letters faxed or mailed earlier.");
        }
        problems.ThrowIfAny();
        if (delivery == LetterDelivery.Email)
        {
            mail.EnsureConfigured();
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var letter = await Letters.FirstOrDefaultAsync(l => l.ReferralId == referralId && l.Kind == kind && l.SentAt == null, cancellationToken);
        if (letter is null)
        {
            Letters.Add(letter = new Letter { ReferralId = referralId, Kind = kind, CreatedAt = now });
        }
        await WithdrawPendingEmailAsync(letter, now, cancellationToken);
        letter.SourceId = content.To.SourceId;
        letter.VisitCount = content.Episode.VisitCount;
        letter.Delivery = delivery;
        letter.SentBy = db.Organization.Actor;
        letter.UpdatedAt = now;
        if (delivery == LetterDelivery.Email)
        {
            var message = outbox.Add(LetterEmail.Compose(content, documents.Letter(content).Bytes));
            await db.SaveChangesAsync(cancellationToken);
            letter.OutboxMessageId = message.Id;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            var queued = EmailDelivery.Of(message);
            return new LetterRecord(letter.Id, kind, null, delivery, (await staff.BookAsync(cancellationToken)).Show(letter.SentBy), letter.VisitCount, queued.Status.ToString(), null)
            {
                EmailDelivery = queued,
            };
        }
        letter.OutboxMessageId = null;
        letter.SentOn = on;
        letter.SentAt = now;
        var touch = AddSentRecords(kind, referralId, content.To.SourceId, on, delivery, db.Organization.Actor, now);
        await db.SaveChangesAsync(cancellationToken);
        letter.TouchpointId = touch?.Id;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new LetterRecord(letter.Id, kind, on, delivery, (await staff.BookAsync(cancellationToken)).Show(letter.SentBy), letter.VisitCount, null, touch?.Id);
    }

    /// <summary>
    /// The mail server accepted a letter's e-mail: the letter is now sent (on the practice's date of
    /// that instant), its touchpoint is logged (by whoever pressed Send) and the disclosure audited.
    /// Idempotent: a second call for the same message, even a concurrent one, does nothing. Returns
    /// whether this call recorded it (false also when the message carries no letter).
    /// </summary>
    public async Task<bool> RecordEmailDeliveredAsync(long outboxMessageId, DateTime sentAtUtc, CancellationToken cancellationToken = default)
    {
        var letter = await Letters.AsNoTracking().FirstOrDefaultAsync(l => l.OutboxMessageId == outboxMessageId && l.SentAt == null, cancellationToken);
        if (letter is null)
        {
            return false;
        }
        var on = time.DateOf(sentAtUtc);
        var now = time.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The conditional update is the once-only guard: of two callers, only one finds SentAt still empty.
        var mine = await Letters.Where(l => l.Id == letter.Id && l.SentAt == null && l.OutboxMessageId == outboxMessageId)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.SentAt, sentAtUtc).SetProperty(l => l.SentOn, on).SetProperty(l => l.UpdatedAt, now), cancellationToken);
        if (mine == 0)
        {
            return false;
        }
        var touch = AddSentRecords(letter.Kind, letter.ReferralId, letter.SourceId, on, LetterDelivery.Email, letter.SentBy ?? db.Organization.Actor, now);
        await db.SaveChangesAsync(cancellationToken);
        if (touch is not null)
        {
            await Letters.Where(l => l.Id == letter.Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.TouchpointId, touch.Id), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The touchpoint on the source (none if the source was since deleted) and the audited disclosure of a letter that left.</summary>
    private Touchpoint? AddSentRecords(LetterKind kind, int referralId, int? sourceId, DateOnly on, LetterDelivery delivery, string? actor, DateTime now)
    {
        Touchpoint? touch = null;
        if (sourceId is { } source)
        {
            db.Touchpoints.Add(touch = new Touchpoint
            {
                SourceId = source,
                OccurredOn = on,
                Method = delivery switch { LetterDelivery.Email => TouchMethod.Email, LetterDelivery.Fax => TouchMethod.Fax, _ => TouchMethod.Letter },
                Purpose = $"{LetterFormat.Title(kind)} letter",
                Notes = $"Closing-the-loop letter for referral {referralId}.",
                ByName = actor,
            });
        }
        db.AuditEvents.Add(new AuditEvent
        {
            At = now,
            Actor = actor,
            Action = Disclosed,
            EntityType = nameof(Letter),
            EntityId = referralId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Summary = $"{LetterFormat.Title(kind)} letter for referral {referralId} sent to source {sourceId} by {delivery.ToString().ToLowerInvariant()}",
            OrganizationId = db.Organization.RequiredId,
        });
        return touch;
    }

    /// <summary>
    /// Takes a letter's queued or failing e-mail out of the outbox before the letter is sent another
    /// way (or e-mailed afresh, e.g. to a corrected address). An e-mail the server already accepted
    /// means the letter went: that is recorded and the new send refused; one being sent this moment
    /// cannot be withdrawn either.
    /// </summary>
    private async Task WithdrawPendingEmailAsync(Letter letter, DateTime now, CancellationToken cancellationToken)
    {
        if (letter.OutboxMessageId is not { } pending)
        {
            return;
        }
        var withdrawn = await db.Set<OutboxMessage>()
            .Where(m => m.Id == pending && m.Status != OutboxStatus.Sent && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteDeleteAsync(cancellationToken);
        if (withdrawn > 0)
        {
            letter.OutboxMessageId = null;
            return;
        }
        var left = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Id == pending).Select(m => new { m.Status, m.SentAt }).FirstOrDefaultAsync(cancellationToken);
        if (left is null)
        {
            letter.OutboxMessageId = null;
        }
        else if (left.Status == OutboxStatus.Sent)
        {
            throw new ValidationException("via", "This letter's e-mail was already accepted by the mail server: it is sent. Reload the page to see it.");
        }
        else
        {
            throw new ValidationException("via", "This letter's e-mail is being handed to the mail server right now; look again in a minute.");
        }
    }

    /// <summary>Each outbox message's delivery state, for the letters that have one.</summary>
    private async Task<Dictionary<long, EmailDelivery>> DeliveriesAsync(IReadOnlyList<Letter> letters, CancellationToken cancellationToken)
    {
        var ids = letters.Where(l => l.OutboxMessageId != null).Select(l => l.OutboxMessageId!.Value).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var rows = await db.Set<OutboxMessage>().AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.Status, m.LastError, m.Attempts, m.NextAttemptAt, m.SentAt }).ToListAsync(cancellationToken);
        return rows.ToDictionary(m => m.Id, m => EmailDelivery.Of(m.Id, m.Status, m.LastError, m.Attempts, m.NextAttemptAt, m.SentAt));
    }

    /// <summary>The e-mail of each episode's draft of each kind, while it is queued or failing.</summary>
    private static Dictionary<(int ReferralId, LetterKind Kind), EmailDelivery> PendingEmails(IEnumerable<Letter> letters, Dictionary<long, EmailDelivery> deliveries) =>
        letters.Where(l => l.SentAt == null && l.OutboxMessageId is { } m && deliveries.ContainsKey(m))
            .GroupBy(l => (l.ReferralId, l.Kind))
            .ToDictionary(g => g.Key, g => deliveries[g.First().OutboxMessageId!.Value]);

    /// <summary>
    /// Letters recorded as sent when their e-mail was only queued (how Rapport worked before a letter
    /// waited for the mail server): one whose e-mail finally failed does not count as sent.
    /// </summary>
    private async Task<HashSet<long>> FailedEmailsAsync(IReadOnlyList<Letter> letters, CancellationToken cancellationToken)
    {
        var ids = letters.Where(l => l.OutboxMessageId != null).Select(l => l.OutboxMessageId!.Value).ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        return [.. await db.Set<OutboxMessage>().Where(m => ids.Contains(m.Id) && m.Status == OutboxStatus.Failed).Select(m => m.Id).ToListAsync(cancellationToken)];
    }

    private static List<SentLetterFact> SentFacts(IReadOnlyList<Letter> letters, HashSet<long> failed) =>
        [.. letters.Where(l => l.SentAt != null && l.SentOn != null && (l.OutboxMessageId is null || !failed.Contains(l.OutboxMessageId.Value)))
            .Select(l => new SentLetterFact(l.Kind, l.SentOn!.Value, l.VisitCount))];

    private async Task<Dictionary<int, IReadOnlyList<RecordedVisit>>> RecordedVisitsAsync(IQueryable<Referral> episodes, CancellationToken cancellationToken)
    {
        var rows = await db.Set<OutcomeAssessment>().AsNoTracking()
            .Where(a => a.VisitNumber != null && episodes.Any(r => r.Id == a.ReferralId))
            .Select(a => new { a.ReferralId, Visit = a.VisitNumber!.Value, a.AssessedOn })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(a => a.ReferralId).ToDictionary(g => g.Key, g => (IReadOnlyList<RecordedVisit>)[.. g.Select(a => new RecordedVisit(a.Visit, a.AssessedOn))]);
    }

    private static List<string> AddressLines(string? line, string? city, string? state, string? zip)
    {
        var lines = new List<string>();
        if (Formats.Clean(line) is { } street) lines.Add(street);
        var place = string.Join(" ", new[] { city is null ? null : city + (state is null ? "" : ","), state, zip }.Where(p => !string.IsNullOrWhiteSpace(p)));
        if (place.Length > 0) lines.Add(place);
        return lines;
    }

}

/// <summary>A rendered document and what it was made from.</summary>
public sealed record GeneratedLetter(LetterContent Content, RenderedPdf Pdf)
{
    public string FileName => FileNameOf(Content);

    public static string FileNameOf(LetterContent content) => $"{LetterFormat.Slug(content.Kind)}-letter-referral-{content.Episode.ReferralId}.pdf";
}

public sealed record RenderedPdf(byte[] Bytes, int Pages);
