using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Email;
using Rapport.Referrals;

namespace Rapport.Nps;

public sealed record NpsSettingsInput
{
    public bool InviteAtDischarge { get; init; } = true;
    public int? InviteAfterVisits { get; init; }
    public int ExpiryDays { get; init; } = 30;
    public string? ReviewUrl { get; init; }
    public string? Subject { get; init; }
    public string? Body { get; init; }
}

public sealed record InvitationSummary(int Id, int PatientId, int? ReferralId, int ClinicId, string? Therapist, InvitationTrigger Trigger,
    DateTime CreatedAt, DateTime ExpiresAt, InvitationStatus Status, int DeliveryAttempts, string? LastError)
{
    /// <summary>The invitation's e-mail in the outbox (for Retry), when it has one.</summary>
    public long? OutboxMessageId { get; init; }
}

public sealed record BulkInviteResult(int Queued, int NoAddress, int Skipped);

/// <summary>
/// Creates survey invitations (at discharge, after the Nth visit, by hand) and queues their e-mails.
/// Invitations exist to be e-mailed: with no mail server configured, inviting by hand is refused and
/// the automatic invitations are not made (a practice without e-mail can still import its answers).
/// </summary>
public sealed class SurveyInvitations(RapportDbContext db, EmailOutbox outbox, MailServer mail, PublicAddress publicAddress, PracticeClock time)
{
    /// <summary>Episodes discharged longer ago than this are history being typed in, not patients to ask now.</summary>
    public const int RecentDischargeDays = 30;

    public async Task<NpsSettings> SettingsAsync(CancellationToken cancellationToken = default) =>
        await db.Set<NpsSettings>().AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new NpsSettings();

    public async Task<NpsSettings> SaveSettingsAsync(NpsSettingsInput input, CancellationToken cancellationToken = default)
    {
        var problems = new Problems();
        if (input.InviteAfterVisits is { } visits && (visits < 1 || visits > 100)) problems.Add("inviteAfterVisits", "Visits must be between 1 and 100.");
        if (input.ExpiryDays is < 1 or > 365) problems.Add("expiryDays", "Expiry must be between 1 and 365 days.");
        if (Formats.Clean(input.ReviewUrl) is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            problems.Add("reviewUrl", $"'{url}' is not a web address (https://…).");
        }
        problems.Required("subject", input.Subject, "Subject");
        problems.Required("body", input.Body, "Message");
        if (Formats.Clean(input.Body) is { } body && !body.Contains("{SurveyLink}", StringComparison.Ordinal))
        {
            problems.Add("body", "The message must contain {SurveyLink}, or the patient cannot answer.");
        }
        problems.ThrowIfAny();
        var settings = await db.Set<NpsSettings>().FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new NpsSettings();
            db.Add(settings);
        }
        settings.InviteAtDischarge = input.InviteAtDischarge;
        settings.InviteAfterVisits = input.InviteAfterVisits;
        settings.ExpiryDays = input.ExpiryDays;
        settings.ReviewUrl = Formats.Clean(input.ReviewUrl);
        settings.Subject = input.Subject!.Trim();
        settings.Body = input.Body!.Trim();
        await db.SaveChangesAsync(cancellationToken);
        return settings;
    }

    /// <summary>
    /// Called after an episode is saved: invites at a recent discharge, or once the visit count
    /// reaches the practice's threshold, each at most once per episode.
    /// </summary>
    public async Task AfterEpisodeSavedAsync(Referral episode, CancellationToken cancellationToken = default)
    {
        if (!mail.IsConfigured)
        {
            return;
        }
        var settings = await SettingsAsync(cancellationToken);
        var today = time.Today();
        if (settings.InviteAtDischarge && episode.DischargedOn is { } discharged && discharged >= today.AddDays(-RecentDischargeDays))
        {
            await InviteOnceAsync(episode, InvitationTrigger.Discharge, settings, cancellationToken);
        }
        else if (settings.InviteAfterVisits is { } visits && episode.DischargedOn is null && episode.LostOn is null && episode.VisitCount >= visits)
        {
            await InviteOnceAsync(episode, InvitationTrigger.Visits, settings, cancellationToken);
        }
    }

    /// <summary>By hand: an invitation for the patient's most recent episode.</summary>
    public async Task<InvitationSummary> InvitePatientAsync(int patientId, CancellationToken cancellationToken = default)
    {
        mail.EnsureConfigured();
        var episode = await db.Referrals.Where(r => r.PatientId == patientId).OrderByDescending(r => r.ReceivedOn).ThenByDescending(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (episode is null)
        {
            throw await db.Patients.AnyAsync(p => p.Id == patientId, cancellationToken)
                ? new ValidationException("patientId", "The patient has no episode of care to ask about.")
                : new NotFoundException($"Patient {patientId}");
        }
        var invitation = await CreateAsync(episode, InvitationTrigger.Manual, await SettingsAsync(cancellationToken), cancellationToken);
        return (await ListAsync(patientId, cancellationToken)).First(i => i.Id == invitation.Id);
    }

    public async Task<BulkInviteResult> InvitePatientsAsync(IReadOnlyCollection<int> patientIds, CancellationToken cancellationToken = default)
    {
        mail.EnsureConfigured();
        int queued = 0, noAddress = 0, skipped = 0;
        foreach (var patientId in patientIds.Distinct())
        {
            try
            {
                var invitation = await InvitePatientAsync(patientId, cancellationToken);
                if (invitation.Status == InvitationStatus.NoAddress) noAddress++; else queued++;
            }
            catch (Exception e) when (e is ValidationException or NotFoundException)
            {
                skipped++;
            }
        }
        return new BulkInviteResult(queued, noAddress, skipped);
    }

    public async Task<List<InvitationSummary>> ListAsync(int? patientId = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var invitations = db.Set<SurveyInvitation>().AsQueryable();
        if (patientId is { } id) invitations = invitations.Where(i => i.PatientId == id);
        var rows = await (from i in invitations
                          join m in db.Set<OutboxMessage>() on i.OutboxMessageId equals m.Id into mail
                          from m in mail.DefaultIfEmpty()
                          orderby i.CreatedAt descending, i.Id descending
                          select new { i, Mail = m == null ? null : new { m.Id, m.Status, m.Attempts, m.LastError, m.NextAttemptAt, m.SentAt } })
            .Take(500).ToListAsync(cancellationToken);
        return rows.Select(r =>
        {
            // Failed from the first failed attempt, as everywhere the outbox is shown (see EmailDelivery).
            var delivery = r.Mail is { } m ? EmailDelivery.Of(m.Id, m.Status, m.LastError, m.Attempts, m.NextAttemptAt, m.SentAt) : null;
            return new InvitationSummary(r.i.Id, r.i.PatientId, r.i.ReferralId, r.i.ClinicId, r.i.Therapist, r.i.Trigger, r.i.CreatedAt,
                r.i.ExpiresAt,
                r.i.AnsweredAt is not null ? InvitationStatus.Answered
                : r.i.NoAddress ? InvitationStatus.NoAddress
                : delivery?.Status == DeliveryStatus.Failed ? InvitationStatus.Failed
                : r.i.ExpiresAt < now ? InvitationStatus.Expired
                : delivery?.Status == DeliveryStatus.Sent ? InvitationStatus.Sent
                : InvitationStatus.Queued,
                r.Mail?.Attempts ?? 0, r.Mail?.LastError) { OutboxMessageId = r.Mail?.Id };
        }).ToList();
    }

    private async Task InviteOnceAsync(Referral episode, InvitationTrigger trigger, NpsSettings settings, CancellationToken cancellationToken)
    {
        if (!await db.Set<SurveyInvitation>().AnyAsync(i => i.ReferralId == episode.Id && i.Trigger == trigger, cancellationToken))
        {
            await CreateAsync(episode, trigger, settings, cancellationToken);
        }
    }

    private async Task<SurveyInvitation> CreateAsync(Referral episode, InvitationTrigger trigger, NpsSettings settings, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.AsNoTracking().FirstAsync(p => p.Id == episode.PatientId, cancellationToken);
        var practice = await db.Organizations.AsNoTracking().Where(o => o.Id == db.Organization.RequiredId).Select(o => o.Name).FirstAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var token = NewToken(db.Organization.RequiredId);
        var invitation = new SurveyInvitation
        {
            TokenHash = HashToken(token),
            PatientId = episode.PatientId,
            ReferralId = episode.Id,
            ClinicId = episode.ClinicId,
            Therapist = episode.Therapist,
            SourceId = episode.SourceId,
            PayerCategory = episode.PayerCategory,
            Trigger = trigger,
            CreatedAt = now,
            ExpiresAt = now.AddDays(settings.ExpiryDays),
            NoAddress = patient.Email is null,
        };
        // Inside the caller's transaction when there is one (referral intake), else our own.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        db.Add(invitation);
        if (patient.Email is { } address)
        {
            var message = Render(settings, patient.FirstName, practice, publicAddress.Link($"s/{token}"), time.DateOf(invitation.ExpiresAt), address);
            var mail = outbox.Add(message);
            await db.SaveChangesAsync(cancellationToken);
            invitation.OutboxMessageId = mail.Id;
        }
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return invitation;
    }

    /// <summary>Fills the practice's template. Only the first name is used: the message carries no other PHI.</summary>
    public static EmailMessage Render(NpsSettings settings, string firstName, string practiceName, Uri link, DateOnly expiresOn, string to)
    {
        string Fill(string template, Func<string, string> encode) => template
            .Replace("{FirstName}", encode(firstName), StringComparison.Ordinal)
            .Replace("{PracticeName}", encode(practiceName), StringComparison.Ordinal)
            .Replace("{ExpiresOn}", encode(expiresOn.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)), StringComparison.Ordinal);
        var subject = Fill(settings.Subject, s => s).Replace("{SurveyLink}", "", StringComparison.Ordinal);
        var text = Fill(settings.Body, s => s).Replace("{SurveyLink}", link.AbsoluteUri, StringComparison.Ordinal);
        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\"><p>");
        html.Append(Fill(WebUtility.HtmlEncode(settings.Body), WebUtility.HtmlEncode)
            .Replace("{SurveyLink}", $"<a href=\"{WebUtility.HtmlEncode(link.AbsoluteUri)}\">Answer the one-question survey</a>", StringComparison.Ordinal)
            .Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n\n", "</p><p>", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal));
        html.Append("</p></body></html>");
        return new EmailMessage(to, subject, text, html.ToString());
    }

    /// <summary>
    /// "{organization id}.{256 random bits, base64url}". The prefix lets the public page select the
    /// practice before looking the token up through the normal tenant filter; forging it gains
    /// nothing, since the hash must still match a row of that practice.
    /// </summary>
    public static string NewToken(int organizationId) =>
        $"{organizationId.ToString(CultureInfo.InvariantCulture)}.{Base64Url(RandomNumberGenerator.GetBytes(32))}";

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static int? OrganizationOf(string token) =>
        token.Split('.', 2) is [var prefix, { Length: >= 22 }] && int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
