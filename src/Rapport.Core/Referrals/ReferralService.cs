using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Patients;

namespace Rapport.Referrals;

public sealed record ReferralInput
{
    public string? ExternalId { get; init; }
    public int? PatientId { get; init; }
    /// <summary>Null for direct access.</summary>
    public int? SourceId { get; init; }
    public int? ClinicId { get; init; }
    public string? Therapist { get; init; }
    public DateOnly? ReceivedOn { get; init; }
    public DateOnly? ScheduledOn { get; init; }
    public DateOnly? EvaluatedOn { get; init; }
    public DateOnly? DischargedOn { get; init; }
    public DateOnly? LostOn { get; init; }
    public string? LostReason { get; init; }
    public string? DiagnosisCodes { get; init; }
    public string? BodyRegion { get; init; }
    public string? Procedure { get; init; }
    public PayerCategory? PayerCategory { get; init; }
    public AcquisitionChannel? AcquisitionChannel { get; init; }
    public int? VisitCount { get; init; }
    /// <summary>Direct access only: the campaign the patient named at intake ("I saw you at the health fair"). Wins over <see cref="Campaign"/>.</summary>
    public int? CampaignId { get; init; }
    /// <summary>The same campaign by name, matched ignoring case (imports and API clients that know names, not ids).</summary>
    public string? Campaign { get; init; }
}

public sealed record ReferralSummary(int Id, string? ExternalId, int PatientId, string PatientName, int? SourceId, string? SourceName, int ClinicId,
    string ClinicName, string? Therapist, DateOnly ReceivedOn, DateOnly? ScheduledOn, DateOnly? EvaluatedOn, DateOnly? DischargedOn,
    DateOnly? LostOn, string? LostReason, ReferralStatus Status, string? DiagnosisCodes, string? BodyRegion, string? Procedure,
    PayerCategory? PayerCategory, AcquisitionChannel? AcquisitionChannel, int VisitCount,
    /// <summary>Direct access: the campaign the patient named at intake, and its name.</summary>
    int? CampaignId, string? Campaign);

/// <summary>A campaign as the intake form's choice.</summary>
public sealed record CampaignChoice(int Id, string Name);

public sealed record ReferralListQuery
{
    public int? SourceId { get; init; }
    public int? PatientId { get; init; }
    public int? ClinicId { get; init; }
    public ReferralStatus? Status { get; init; }
    public DateOnly? ReceivedFrom { get; init; }
    public DateOnly? ReceivedTo { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

/// <summary>Referrals (episodes) name their patient: reads are audited here (<see cref="Audit.PatientDataAudit"/>), changes by the DbContext.</summary>
public sealed class ReferralService(RapportDbContext db, PatientService patients, Nps.SurveyInvitations surveys, PracticeClock time, Audit.PatientDataAudit audit)
{
    public static readonly string[] BodyRegions =
        ["Cervical spine", "Thoracic spine", "Lumbar spine", "Shoulder", "Elbow", "Wrist/hand", "Hip", "Knee", "Ankle/foot", "Multiple", "Other"];

    public async Task<Paged<ReferralSummary>> ListAsync(ReferralListQuery query, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(query.Page, query.PageSize);
        var referrals = db.Referrals.AsQueryable();
        if (query.SourceId is { } sourceId) referrals = referrals.Where(r => r.SourceId == sourceId);
        if (query.PatientId is { } patientId) referrals = referrals.Where(r => r.PatientId == patientId);
        if (query.ClinicId is { } clinicId) referrals = referrals.Where(r => r.ClinicId == clinicId);
        if (query.Status is { } status) referrals = referrals.Where(r => r.Status == status);
        if (query.ReceivedFrom is { } from) referrals = referrals.Where(r => r.ReceivedOn >= from);
        if (query.ReceivedTo is { } to) referrals = referrals.Where(r => r.ReceivedOn <= to);
        var total = await referrals.CountAsync(cancellationToken);
        var items = await Project(referrals.OrderByDescending(r => r.ReceivedOn).ThenByDescending(r => r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
        await audit.ListedAsync(nameof(Referral), items.Count, Audit.PatientDataAudit.Scope(page, pageSize, ("sourceId", query.SourceId), ("patientId", query.PatientId),
            ("clinicId", query.ClinicId), ("status", query.Status), ("receivedFrom", query.ReceivedFrom), ("receivedTo", query.ReceivedTo)), cancellationToken);
        return new Paged<ReferralSummary>(items, total, page, pageSize);
    }

    /// <summary>
    /// The campaigns intake offers ("Which event or campaign?"): the practice's campaigns not archived, newest first, plus
    /// <paramref name="keepId"/> (the one a referral already names) even when archived, so editing does not drop it.
    /// </summary>
    public async Task<IReadOnlyList<CampaignChoice>> CampaignChoicesAsync(int? keepId = null, CancellationToken cancellationToken = default) =>
        await db.Campaigns.AsNoTracking().Where(c => c.ArchivedAt == null || c.Id == keepId)
            .OrderByDescending(c => c.StartsOn).ThenBy(c => c.Name).Select(c => new CampaignChoice(c.Id, c.Name)).ToListAsync(cancellationToken);

    public async Task<ReferralSummary?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        var referral = await Project(db.Referrals.Where(r => r.Id == id)).FirstOrDefaultAsync(cancellationToken);
        if (referral is not null)
        {
            await audit.ReadAsync(nameof(Referral), id, cancellationToken: cancellationToken);
        }
        return referral;
    }

    public async Task<Referral> CreateAsync(ReferralInput input, CancellationToken cancellationToken = default)
    {
        var referral = new Referral();
        await ApplyAsync(referral, input, cancellationToken);
        db.Referrals.Add(referral);
        await db.SaveChangesAsync(cancellationToken);
        await surveys.AfterEpisodeSavedAsync(referral, cancellationToken);
        return referral;
    }

    /// <summary>
    /// Front-desk intake: a referral for an existing patient, or for a new patient created with it.
    /// Both are saved or neither; problems with the new patient come back as <c>newPatient.field</c>.
    /// </summary>
    public async Task<Referral> IntakeAsync(ReferralInput input, PatientInput? newPatient, CancellationToken cancellationToken = default)
    {
        var intake = new Problems();
        ReferralChannels.CheckIntake(input, intake);
        if (intake.Any)
        {
            // Shown with the form's other mistakes, not one at a time.
            Check(input with { PatientId = input.PatientId ?? (newPatient is null ? null : 0) }, time.Today(), intake);
            if (newPatient is not null)
            {
                var patientProblems = new Problems();
                PatientService.Check(newPatient, time.Today(), patientProblems);
                try
                {
                    patientProblems.ThrowIfAny();
                }
                catch (ValidationException e)
                {
                    foreach (var (field, messages) in e.Errors)
                    {
                        foreach (var message in messages)
                        {
                            intake.Add(NewPatientPrefix + field, message);
                        }
                    }
                }
            }
            intake.ThrowIfAny();
        }
        if (newPatient is null)
        {
            return await CreateAsync(input, cancellationToken);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            Patient patient;
            try
            {
                patient = await patients.CreateAsync(newPatient with { AcquisitionChannel = newPatient.AcquisitionChannel ?? input.AcquisitionChannel }, cancellationToken);
            }
            catch (ConflictException e)
            {
                throw new ConflictException($"{NewPatientPrefix}{e.Field}", e.Value, e.Message);
            }
            catch (ValidationException e)
            {
                throw new ValidationException(e.Errors.ToDictionary(error => $"{NewPatientPrefix}{error.Key}", error => error.Value));
            }
            var referral = await CreateAsync(input with { PatientId = patient.Id }, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return referral;
        }
        catch
        {
            // The rolled-back patient must not linger in this context as if it had been saved.
            db.ChangeTracker.Clear();
            throw;
        }
    }

    public const string NewPatientPrefix = "newPatient.";

    public async Task<Referral> UpdateAsync(int id, ReferralInput input, CancellationToken cancellationToken = default)
    {
        var referral = await db.Referrals.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException($"Referral {id}");
        await ApplyAsync(referral, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await surveys.AfterEpisodeSavedAsync(referral, cancellationToken);
        return referral;
    }

    public async Task DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        var referral = await db.Referrals.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException($"Referral {id}");
        db.Referrals.Remove(referral);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ApplyAsync(Referral referral, ReferralInput input, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        Check(input, time.Today(), problems);
        // Ids are checked through the filtered sets, so another organization's ids read as missing.
        if (input.PatientId is { } patientId && !await db.Patients.AnyAsync(p => p.Id == patientId, cancellationToken))
        {
            problems.Add("patientId", $"Patient {patientId} does not exist.");
        }
        if (input.SourceId is { } sourceId && !await db.Sources.AnyAsync(s => s.Id == sourceId, cancellationToken))
        {
            problems.Add("sourceId", $"Source {sourceId} does not exist.");
        }
        if (input.ClinicId is { } clinicId && !await db.Clinics.AnyAsync(c => c.Id == clinicId, cancellationToken))
        {
            problems.Add("clinicId", $"Clinic {clinicId} does not exist.");
        }
        var campaignId = await Campaigns.CampaignNames.ResolveAsync(db, input.CampaignId, input.Campaign, problems, cancellationToken);
        problems.ThrowIfAny();
        if (Formats.Clean(input.ExternalId) is { } externalId
            && await db.Referrals.AnyAsync(r => r.ExternalId == externalId && r.Id != referral.Id, cancellationToken))
        {
            throw new ConflictException("externalId", externalId, $"A referral with external id {externalId} already exists.");
        }
        CopyOnto(referral, input with { CampaignId = campaignId });
    }


    /// <summary>Rules that need no database, shared with the CSV importer.</summary>
    public static void Check(ReferralInput input, DateOnly today, Problems problems)
    {
        FieldRules.Check<Referral>(input, today, problems);
        if (input.PatientId is null) problems.Add("patientId", "Patient is required.");
        if (input.ClinicId is null) problems.Add("clinicId", "Clinic is required.");
        if (input.ReceivedOn is null) problems.Add("receivedOn", "Received date is required.");
        problems.NotInFuture("receivedOn", input.ReceivedOn, today, "Received date");
        problems.NotInFuture("evaluatedOn", input.EvaluatedOn, today, "Evaluation date");
        problems.NotInFuture("dischargedOn", input.DischargedOn, today, "Discharge date");
        problems.NotInFuture("lostOn", input.LostOn, today, "Lost date");
        problems.NotBefore("scheduledOn", input.ScheduledOn, input.ReceivedOn, "Scheduled date", "the received date");
        problems.NotBefore("evaluatedOn", input.EvaluatedOn, input.ReceivedOn, "Evaluation date", "the received date");
        problems.NotBefore("dischargedOn", input.DischargedOn, input.EvaluatedOn ?? input.ReceivedOn, "Discharge date", input.EvaluatedOn is null ? "the received date" : "the evaluation date");
        problems.NotBefore("lostOn", input.LostOn, input.ReceivedOn, "Lost date", "the received date");
        if (input.DischargedOn is not null && input.EvaluatedOn is null)
        {
            problems.Add("evaluatedOn", "A discharged referral needs its evaluation date.");
        }
        if (input.VisitCount is { } visits && (visits < 0 || visits > 500))
        {
            problems.Add("visitCount", "Visit count must be between 0 and 500.");
        }
        if (input.LostOn is null && Formats.Clean(input.LostReason) is not null)
        {
            problems.Add("lostOn", "A lost reason needs the date the referral was lost.");
        }
        ReferralChannels.Check(input.AcquisitionChannel, input.SourceId, problems);
        ReferralChannels.CheckCampaign(input, problems);
    }

    /// <summary>A stored referral as the input that would write it again: the base of a change to some of its fields.</summary>
    public static ReferralInput InputOf(Referral r) => new()
    {
        ExternalId = r.ExternalId, PatientId = r.PatientId, SourceId = r.SourceId, ClinicId = r.ClinicId, Therapist = r.Therapist,
        ReceivedOn = r.ReceivedOn, ScheduledOn = r.ScheduledOn, EvaluatedOn = r.EvaluatedOn, DischargedOn = r.DischargedOn, LostOn = r.LostOn,
        LostReason = r.LostReason, DiagnosisCodes = r.DiagnosisCodes, BodyRegion = r.BodyRegion, Procedure = r.Procedure,
        PayerCategory = r.PayerCategory, AcquisitionChannel = r.AcquisitionChannel, VisitCount = r.VisitCount, CampaignId = r.CampaignId,
    };

    public static void CopyOnto(Referral referral, ReferralInput input)
    {
        referral.ExternalId = Formats.Clean(input.ExternalId);
        referral.PatientId = input.PatientId!.Value;
        referral.SourceId = input.SourceId;
        referral.ClinicId = input.ClinicId!.Value;
        referral.Therapist = Formats.Clean(input.Therapist);
        referral.ReceivedOn = input.ReceivedOn!.Value;
        referral.ScheduledOn = input.ScheduledOn;
        referral.EvaluatedOn = input.EvaluatedOn;
        referral.DischargedOn = input.DischargedOn;
        referral.LostOn = input.LostOn;
        referral.LostReason = Formats.Clean(input.LostReason);
        referral.DiagnosisCodes = Formats.Clean(input.DiagnosisCodes)?.ToUpperInvariant();
        referral.BodyRegion = Formats.Clean(input.BodyRegion);
        referral.Procedure = Formats.Clean(input.Procedure);
        referral.PayerCategory = input.PayerCategory;
        referral.AcquisitionChannel = input.AcquisitionChannel ?? (input.SourceId is null ? Patients.AcquisitionChannel.DirectAccess : Patients.AcquisitionChannel.Physician);
        referral.VisitCount = input.VisitCount ?? 0;
        referral.CampaignId = input.CampaignId;
        referral.Status = ReferralTimeline.StatusOf(referral.ScheduledOn, referral.EvaluatedOn, referral.DischargedOn, referral.LostOn);
    }

    private static IQueryable<ReferralSummary> Project(IQueryable<Referral> referrals) =>
        referrals.Select(r => new ReferralSummary(r.Id, r.ExternalId, r.PatientId, r.Patient!.LastName + ", " + r.Patient.FirstName, r.SourceId,
            r.Source == null ? null : (r.Source.FirstName == null ? r.Source.LastName : r.Source.FirstName + " " + r.Source.LastName)
                + (r.Source.Credential == null ? "" : ", " + r.Source.Credential),
            r.ClinicId, r.Clinic!.Name, r.Therapist, r.ReceivedOn, r.ScheduledOn, r.EvaluatedOn, r.DischargedOn, r.LostOn, r.LostReason, r.Status,
            r.DiagnosisCodes, r.BodyRegion, r.Procedure, r.PayerCategory, r.AcquisitionChannel, r.VisitCount, r.CampaignId,
            r.Campaign == null ? null : r.Campaign.Name));
}
