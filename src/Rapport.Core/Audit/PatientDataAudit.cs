using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Audit;

/// <summary>
/// Records that patient data left Core, once per request: the HIPAA Security Rule's audit controls
/// (45 CFR §164.312(b)) ask who saw which patient records and when, whoever asked (page, API, CLI).
/// <para>
/// <b>Patient data</b> is anything that names or identifies a patient, or ties clinical facts to one:
/// patient rows (name, birth date, MRN, contact), referrals/episodes (they carry the patient's name),
/// refer-backs naming a patient, a source's details (they list the patients it referred), letters
/// about an episode (content, PDFs, the due list), outcome assessments and scores of an episode, NPS
/// follow-ups that name a patient. Not patient data: source lists, touchpoints, clinics, the
/// dashboard, alerts, the call list, NPS and outcome aggregates and comments without a name, report
/// cards (counts and scores suppressed below a minimum cell, no names), templates, settings, a fax
/// cover sheet. A bare patient id (NPS invitations) is not shown as patient data either.
/// </para>
/// <para>
/// The services that return such data call this class themselves, so no door can forget. It is
/// scoped like the <see cref="RapportDbContext"/> it writes through: one scope is one web request or
/// one CLI command. The first read of the scope inserts one event, before the data leaves Core
/// (lists: entity type, row count and the page/filter shape; single records: the entity id; exports:
/// <see cref="AuditTrail.Exported"/>). Later reads in the same scope are part of the same opening (an
/// episode page also lists its assessments and letters) and are not recorded again, except that a
/// stronger use replaces a read in that one event (a letter composed, then generated as a PDF, is
/// one <see cref="Disclosed"/> event). A scope that already changed patient data has its change
/// events from the DbContext, naming the record and the actor, so its reads are not counted twice.
/// Summaries carry ids, counts and which filters were used, never names, birth dates or search text
/// (a search term is often a patient's name).
/// </para>
/// </summary>
public sealed class PatientDataAudit(RapportDbContext db, PracticeClock time)
{
    /// <summary>Entity types whose rows are patient data; a change to one of them already audits the request.</summary>
    public static readonly IReadOnlySet<string> PatientDataTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(Patients.Patient), nameof(Referrals.Referral), nameof(ReferBacks.ReferralOut), nameof(Letters.Letter), nameof(Outcomes.OutcomeAssessment),
        nameof(Nps.SurveyInvitation), nameof(Nps.NpsResponse), nameof(Nps.DetractorFollowUp),
    };

    private AuditEvent? recorded;
    private bool readsNotShown;

    /// <summary>The event this scope recorded for patient data, if any.</summary>
    public AuditEvent? Recorded => recorded;

    /// <summary>One record of <paramref name="entityType"/> was returned.</summary>
    public Task ReadAsync(string entityType, int id, string? summary = null, CancellationToken cancellationToken = default) =>
        RecordAsync(AuditTrail.Read, entityType, id.ToString(CultureInfo.InvariantCulture), summary, cancellationToken);

    /// <summary>A list of <paramref name="count"/> rows was returned; <paramref name="scope"/> says which (see <see cref="Scope"/>).</summary>
    public Task ListedAsync(string entityType, int count, string? scope, CancellationToken cancellationToken = default) =>
        count == 0 ? Task.CompletedTask : RecordAsync(AuditTrail.Read, entityType, null, Describe(count, scope), cancellationToken);

    /// <summary>Rows were written out as a file (CSV) that leaves the application.</summary>
    public Task ExportedAsync(string entityType, int count, string? scope, CancellationToken cancellationToken = default) =>
        count == 0 ? Task.CompletedTask : RecordAsync(AuditTrail.Exported, entityType, null, Describe(count, scope), cancellationToken);

    /// <summary>A document about one patient (a letter PDF) was generated to leave the practice.</summary>
    public Task DisclosedAsync(string entityType, int id, string summary, CancellationToken cancellationToken = default) =>
        RecordAsync(Disclosed, entityType, id.ToString(CultureInfo.InvariantCulture), summary, cancellationToken);

    /// <summary>
    /// The reads that follow in this scope gather data that nobody is shown as such: a fax cover sheet
    /// names no patient; a letter being sent is recorded as a disclosure together with its changes.
    /// </summary>
    public void ReadsNotShown() => readsNotShown = true;

    public const string Disclosed = "Disclosed";

    /// <summary>Read, then exported, then disclosed: a later, stronger use in the same request replaces a read in its one event.</summary>
    private static int Strength(string action) => action switch { AuditTrail.Read => 0, AuditTrail.Exported => 1, _ => 2 };

    /// <summary>
    /// Which slice of the data a list was: the page, then the filters that were set. Numbers, dates
    /// and enums are shown (ids, statuses); free text only by its name, since it may be a patient's name.
    /// </summary>
    public static string? Scope(int? page, int? pageSize, params (string Name, object? Value)[] filters)
    {
        var parts = new List<string>();
        if (page is { } p && pageSize is { } size)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"page {p} × {size}"));
        }
        foreach (var (name, value) in filters)
        {
            switch (value)
            {
                case null or false:
                case string text when string.IsNullOrWhiteSpace(text):
                    break;
                case true or string:
                    parts.Add(name);
                    break;
                case IFormattable formattable:
                    parts.Add($"{name}={formattable.ToString(null, CultureInfo.InvariantCulture)}");
                    break;
                default:
                    parts.Add($"{name}={value}");
                    break;
            }
        }
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string Describe(int count, string? scope) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? "row" : "rows")}{(scope is null ? "" : "; " + scope)}");

    private async Task RecordAsync(string action, string entityType, string? entityId, string? summary, CancellationToken cancellationToken)
    {
        if (readsNotShown || ChangedPatientData())
        {
            return;
        }
        if (recorded is not null && (Strength(action) <= Strength(recorded.Action) || db.Entry(recorded).State == EntityState.Detached))
        {
            return;
        }
        recorded ??= db.AuditEvents.Add(new AuditEvent
        {
            OrganizationId = db.Organization.RequiredId,
            Actor = db.Organization.Actor,
            Action = action,
            EntityType = entityType,
        }).Entity;
        recorded.At = time.GetUtcNow().UtcDateTime;
        recorded.Action = action;
        recorded.EntityType = entityType;
        recorded.EntityId = entityId;
        recorded.Summary = summary is { Length: > 1000 } ? summary[..1000] : summary;
        // A read in the middle of a change leaves the event to the caller's SaveChanges (one
        // transaction); otherwise it is written now, before the data leaves Core.
        if (!db.ChangeTracker.Entries().Any(e => e.Entity != recorded && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private bool ChangedPatientData() =>
        db.ChangeTracker.Entries<AuditEvent>().Any(e => e.Entity != recorded && PatientDataTypes.Contains(e.Entity.EntityType));
}
