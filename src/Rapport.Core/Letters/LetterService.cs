using Microsoft.EntityFrameworkCore;
using Rapport.Audit;
using Rapport.Common;
using Rapport.Data;
using Rapport.Email;
using Rapport.Outcomes;
using Rapport.Referrals;
using Rapport.Touchpoints;

namespace Rapport.Letters;

/// <summary>A letter already written or sent for an episode.</summary>
public sealed record LetterRecord(int Id, LetterKind Kind, DateOnly? SentOn, LetterDelivery? Delivery, string? SentBy, int? VisitCount, string? EmailStatus,
    int? TouchpointId);

/// <summary>An episode's letters: where each kind stands, the drafts' notes, and what was sent.</summary>
public sealed record EpisodeLetters(int ReferralId, int PatientId, string PatientName, int? SourceId, string? SourceName, string? SourceEmail, string? SourceFax,
    IReadOnlyList<LetterStatus> Letters, IReadOnlyDictionary<LetterKind, string?> Notes, IReadOnlyList<LetterRecord> Sent);

/// <summary>One letter owed now, for the due lists (practice, source, CLI).</summary>
public sealed record DueLetter(int ReferralId, int PatientId, string PatientName, int SourceId, string SourceName, string ClinicName, LetterKind Kind,
    LetterState State, DateOnly EventOn, DateOnly DueBy, int? AtVisit, int DaysOverdue, bool SourceHasEmail);

public sealed record LetterDueQuery
{
    public int? SourceId { get; init; }
    public int? ClinicId { get; init; }
    /// <summary>Compute as if today were this day.</summary>
    public DateOnly? AsOf { get; init; }
    public bool OverdueOnly { get; init; }
}

/// <summary>
/// Closing-the-loop letters: which ones each episode owes (see <see cref="LetterSchedule"/>), their
/// content, and sending them. A letter names the patient and goes only to the episode's referring
/// source, so every letter generated or sent is recorded in the audit trail as a disclosure.
/// </summary>
public sealed class LetterService(RapportDbContext db, AssessmentService assessments, EmailOutbox outbox, LetterTemplateStore templates, LetterDocuments documents,
    AuditTrail audit, PracticeClock time, Users.StaffNames staff)
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
        var rows = await Letters.AsNoTracking().Where(l => l.ReferralId == referralId).OrderBy(l => l.SentAt).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        var failed = await FailedEmailsAsync(rows, cancellationToken);
        var visits = await RecordedVisitsAsync(db.Referrals.Where(r => r.Id == referralId), cancellationToken);
        var facts = new EpisodeLetterFacts(episode.SourceId, episode.EvaluatedOn, episode.DischargedOn, episode.LostOn, episode.VisitCount,
            visits.GetValueOrDefault(referralId) ?? []);
        var statuses = LetterSchedule.Evaluate(facts, SentFacts(rows, failed), await RulesAsync(cancellationToken), time.Today());
        var outboxStates = await OutboxStatesAsync(rows, cancellationToken);
        var names = await staff.BookAsync(cancellationToken);
        return new EpisodeLetters(episode.Id, episode.PatientId, episode.PatientName, episode.SourceId,
            episode.Source is { } s ? Sources.SourceNames.Display(s.FirstName, s.LastName, s.Credential) : null, episode.Source?.Email, episode.Source?.Fax,
            statuses,
            Enum.GetValues<LetterKind>().ToDictionary(k => k, k => rows.FirstOrDefault(l => l.Kind == k && l.SentAt == null)?.Notes),
            [.. rows.Where(l => l.SentAt != null).Select(l => new LetterRecord(l.Id, l.Kind, l.SentOn, l.Delivery, names.Show(l.SentBy), l.VisitCount,
                l.OutboxMessageId is { } m && outboxStates.TryGetValue(m, out var status) ? status.ToString() : null, l.TouchpointId))]);
    }

    /// <summary>The letters owed now (due or overdue), most overdue first.</summary>
    public async Task<IReadOnlyList<DueLetter>> DueAsync(LetterDueQuery query, CancellationToken cancellationToken = default)
    {
        var today = query.AsOf ?? time.Today();
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
                        Math.Max(0, today.DayNumber - status.DueBy!.Value.DayNumber), e.SourceEmail is not null));
                }
            }
        }
        return [.. due.OrderByDescending(d => d.DaysOverdue).ThenBy(d => d.EventOn).ThenBy(d => d.ReferralId).ThenBy(d => d.Kind)];
    }

    /// <summary>Keeps the clinician's words for the episode's next letter of this kind.</summary>
    public async Task SaveNotesAsync(int referralId, LetterKind kind, string? notes, CancellationToken cancellationToken = default)
    {
        if (!await db.Referrals.AnyAsync(r => r.Id == referralId, cancellationToken))
        {
            throw new NotFoundException($"Referral {referralId}");
        }
        var text = Formats.Clean(notes);
        if (text is { Length: > 8000 })
        {
            throw new ValidationException("notes", "Notes are at most 8,000 characters.");
        }
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
        await audit.RecordAsync(Disclosed, nameof(Letter), referralId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{LetterFormat.Title(kind)} letter for referral {referralId} to source {content.To.SourceId} generated as PDF ({pdf.Pages} page(s))", cancellationToken);
        return new GeneratedLetter(content, pdf);
    }

    /// <summary>The fax cover sheet for the letter (names no patient), recorded with the letter it covers.</summary>
    public async Task<GeneratedLetter> FaxCoverAsync(int referralId, LetterKind kind, CancellationToken cancellationToken = default)
    {
        var content = await ComposeAsync(referralId, kind, cancellationToken);
        var letter = documents.Letter(content);
        return new GeneratedLetter(content, documents.FaxCover(content, letter.Pages));
    }

    /// <summary>
    /// Sends the letter, or records that it went: by e-mail to the source's own address (the PDF
    /// attached, through the outbox), or as faxed or mailed by hand. Either way the letter is recorded
    /// as sent (so it is no longer due), one touchpoint is logged on the source and the disclosure is
    /// audited, all in one transaction.
    /// </summary>
    public async Task<LetterRecord> SendAsync(int referralId, LetterKind kind, LetterDelivery delivery, DateOnly? sentOn = null,
        CancellationToken cancellationToken = default)
    {
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

        var now = time.GetUtcNow().UtcDateTime;
        var letter = await Letters.FirstOrDefaultAsync(l => l.ReferralId == referralId && l.Kind == kind && l.SentAt == null, cancellationToken);
        if (letter is null)
        {
            Letters.Add(letter = new Letter { ReferralId = referralId, Kind = kind, CreatedAt = now });
        }
        letter.SourceId = content.To.SourceId;
        letter.VisitCount = content.Episode.VisitCount;
        letter.SentOn = on;
        letter.SentAt = now;
        letter.Delivery = delivery;
        letter.SentBy = db.Organization.Actor;
        letter.UpdatedAt = now;
        OutboxMessage? message = null;
        if (delivery == LetterDelivery.Email)
        {
            var pdf = documents.Letter(content);
            message = outbox.Add(LetterEmail.Compose(content, pdf.Bytes));
        }
        var touch = new Touchpoint
        {
            SourceId = content.To.SourceId,
            OccurredOn = on,
            Method = delivery switch { LetterDelivery.Email => TouchMethod.Email, LetterDelivery.Fax => TouchMethod.Fax, _ => TouchMethod.Letter },
            Purpose = $"{LetterFormat.Title(kind)} letter",
            Notes = $"Closing-the-loop letter for referral {referralId}.",
            ByName = db.Organization.Actor,
        };
        db.Touchpoints.Add(touch);
        db.AuditEvents.Add(new AuditEvent
        {
            At = now,
            Actor = db.Organization.Actor,
            Action = Disclosed,
            EntityType = nameof(Letter),
            EntityId = referralId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Summary = $"{LetterFormat.Title(kind)} letter for referral {referralId} sent to source {content.To.SourceId} by {delivery.ToString().ToLowerInvariant()}",
            OrganizationId = db.Organization.RequiredId,
        });
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        letter.TouchpointId = touch.Id;
        letter.OutboxMessageId = message?.Id;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new LetterRecord(letter.Id, kind, on, delivery, (await staff.BookAsync(cancellationToken)).Show(letter.SentBy), letter.VisitCount,
            message?.Status.ToString(), touch.Id);
    }

    private async Task<HashSet<long>> FailedEmailsAsync(IReadOnlyList<Letter> letters, CancellationToken cancellationToken)
    {
        var ids = letters.Where(l => l.OutboxMessageId != null).Select(l => l.OutboxMessageId!.Value).ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        return [.. await db.Set<OutboxMessage>().Where(m => ids.Contains(m.Id) && m.Status == OutboxStatus.Failed).Select(m => m.Id).ToListAsync(cancellationToken)];
    }

    private async Task<Dictionary<long, OutboxStatus>> OutboxStatesAsync(IReadOnlyList<Letter> letters, CancellationToken cancellationToken)
    {
        var ids = letters.Where(l => l.OutboxMessageId != null).Select(l => l.OutboxMessageId!.Value).ToList();
        return ids.Count == 0 ? [] : await db.Set<OutboxMessage>().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Status, cancellationToken);
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
