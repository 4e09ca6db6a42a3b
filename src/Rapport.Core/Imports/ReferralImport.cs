using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;

namespace Rapport.Imports;

/// <summary>
/// Referrals keyed by the EMR's episode / referral id. Sources and clinics must exist already
/// (import sources first); the clinic may be left blank when the practice has only one. The patient
/// must exist too, unless the file carries the patient's own columns (patient_first_name, ...):
/// then a patient is found by external id, else (no id given) by last name, first name and birth
/// date, ignoring case, and created when there is none (<see cref="ResolvePatient"/>).
/// </summary>
internal sealed class ReferralImport(RapportDbContext db, PracticeClock time) : ImportHandler
{
    private readonly DateOnly today = time.Today();
    /// <summary>Sources the file's rows refer to, whose added date may move back (<see cref="AfterWriteAsync"/>).</summary>
    private readonly HashSet<int> sourceIds = [];
    private readonly KeyLines seen = new();
    private Dictionary<string, Referral> existing = [];
    private readonly ReferenceIds sourceByNpi = new(async (npis, ct) =>
        (await db.Sources.Where(s => npis.Contains(s.Npi!)).Select(s => new { Npi = s.Npi!, s.Id }).ToListAsync(ct))
            .ConvertAll(s => KeyValuePair.Create(s.Npi, s.Id)));
    private readonly ReferenceIds patientByExternalId = new(async (ids, ct) =>
        (await db.Patients.Where(p => ids.Contains(p.ExternalId)).Select(p => new { p.ExternalId, p.Id }).ToListAsync(ct))
            .ConvertAll(p => KeyValuePair.Create(p.ExternalId, p.Id)));
    private Dictionary<string, int> clinicByName = [];
    private Dictionary<string, int> campaignByName = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<int, string> campaignNames = [];

    public override string EntityName => nameof(Referral);

    public override IReadOnlyList<ImportColumn> Columns { get; } =
    [
        new("external_id", true, "The EMR's referral / episode id. The key.", "REF-2024-0001", MaxLength: MaxLength<Referral>(db, nameof(Referral.ExternalId))),
        new("source_npi", true, "NPI of the referring source (imported before); blank for direct access.", "1234567893", Field: "sourceId"),
        new("patient_external_id", false, "The patient's external id / MRN: a patient imported before, or (with the patient columns below) one created when new. Required in the header unless patient_first_name and patient_last_name are.", "MRN-000123", Field: "patientId"),
        new("clinic", false, "Clinic name as in Settings; may be blank when the practice has one clinic.", "Riverside Downtown", Field: "clinicId"),
        new("therapist", false, "Treating therapist.", "J. Doe, DPT", MaxLength: MaxLength<Referral>(db, nameof(Referral.Therapist))),
        new("received_date", true, "Date the referral arrived. Required; not in the future.", "2024-03-04", Field: "receivedOn"),
        new("scheduled_date", false, "First visit scheduled; not before received.", "2024-03-06", Field: "scheduledOn"),
        new("evaluated_date", false, "Initial evaluation; not before received.", "2024-03-11", Field: "evaluatedOn"),
        new("discharged_date", false, "Discharge; needs the evaluation date.", "2024-05-02", Field: "dischargedOn"),
        new("lost_date", false, "Date the referral was lost (never scheduled, cancelled, ...).", "", Field: "lostOn"),
        new("lost_reason", false, "Why it was lost; needs lost_date.", "", MaxLength: MaxLength<Referral>(db, nameof(Referral.LostReason))),
        new("acquisition_channel", false, $"{string.Join(", ", Enum.GetNames<AcquisitionChannel>())}; blank = Physician, or DirectAccess without a source.", "Physician"),
        new("diagnosis", false, "ICD-10-CM codes separated by ';' (quote the field if you use commas).", "M17.11;Z96.651", Field: "diagnosisCodes", MaxLength: MaxLength<Referral>(db, nameof(Referral.DiagnosisCodes))),
        new("body_region", false, $"e.g. {string.Join(", ", ReferralService.BodyRegions)}.", "Knee", MaxLength: MaxLength<Referral>(db, nameof(Referral.BodyRegion))),
        new("procedure", false, "Surgical procedure, if any.", "Total knee arthroplasty", MaxLength: MaxLength<Referral>(db, nameof(Referral.Procedure))),
        new("payer_category", false, $"{string.Join(", ", Enum.GetNames<PayerCategory>())}.", "Medicare"),
        new("visits", false, "Visit count, 0–500; blank = 0.", "12", Field: "visitCount"),
        new("campaign", false, "Direct access only: the event or campaign the patient named at intake (added under Campaigns first); matched ignoring case.",
            "", MaxLength: MaxLength<Campaigns.Campaign>(db, nameof(Campaigns.Campaign.Name))),
        new("patient_first_name", false, "With the other patient columns: the patient's given name, to find or create the patient (see Referrals with the patient's columns).", "Ada", MaxLength: MaxLength<Patient>(db, nameof(Patient.FirstName))),
        new("patient_last_name", false, "The patient's surname.", "Lovelace", MaxLength: MaxLength<Patient>(db, nameof(Patient.LastName))),
        new("patient_birth_date", false, "The patient's birth date; needed to match or create a patient without patient_external_id.", "1958-12-10"),
        new("patient_sex", false, "F, M, X or U, for a new patient.", "F"),
        new("patient_zip", false, "ZIP or ZIP+4, for a new patient.", "08540"),
        new("patient_payer", false, "Insurance plan or payer name, for a new patient.", "Aetna PPO", MaxLength: MaxLength<Patient>(db, nameof(Patient.Payer))),
        new("patient_email", false, "E-mail (for the satisfaction survey), for a new patient.", "ada@example.com", MaxLength: MaxLength<Patient>(db, nameof(Patient.Email))),
        new("patient_phone", false, "US phone number, any punctuation, for a new patient.", "(609) 555-0147"),
    ];

    private static readonly Dictionary<string, string> PatientColumnOfField = new()
    {
        ["externalId"] = "patient_external_id",
        ["firstName"] = "patient_first_name",
        ["lastName"] = "patient_last_name",
        ["birthDate"] = "patient_birth_date",
        ["sex"] = "patient_sex",
        ["zip"] = "patient_zip",
        ["payer"] = "patient_payer",
        ["email"] = "patient_email",
        ["phone"] = "patient_phone",
        ["acquisitionChannel"] = "acquisition_channel",
    };

    /// <summary>Patients this file creates, by external id and by name + birth date, so later rows of the file find them.</summary>
    private readonly Dictionary<string, Patient> newPatientsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Patient> newPatientsByName = new(StringComparer.Ordinal);
    /// <summary>The chunk's referrals whose patient is inserted with the chunk: their PatientId is set once it has its id.</summary>
    private readonly List<(Referral Referral, Patient Patient)> pendingLinks = [];
    private Dictionary<string, List<int>> patientsByName = [];
    private bool withPatientColumns;

    public override IReadOnlyDictionary<string, string> ColumnOfField { get; } = new Dictionary<string, string>
    {
        ["externalId"] = "external_id",
        ["sourceId"] = "source_npi",
        ["patientId"] = "patient_external_id",
        ["clinicId"] = "clinic",
        ["receivedOn"] = "received_date",
        ["scheduledOn"] = "scheduled_date",
        ["evaluatedOn"] = "evaluated_date",
        ["dischargedOn"] = "discharged_date",
        ["lostOn"] = "lost_date",
        ["diagnosisCodes"] = "diagnosis",
        ["visitCount"] = "visits",
        ["campaignId"] = "campaign",
    };

    public override async Task LoadAsync(CancellationToken cancellationToken)
    {
        clinicByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var clinic in await db.Clinics.OrderBy(c => c.Id).Select(c => new { c.Name, c.Id }).ToListAsync(cancellationToken))
        {
            clinicByName.TryAdd(clinic.Name.Trim(), clinic.Id);
        }
        // A practice has tens of campaigns, not thousands: all of them, once.
        campaignNames = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        campaignByName = campaignNames.ToDictionary(c => c.Value, c => c.Key, StringComparer.OrdinalIgnoreCase);
    }

    public override async Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        pendingLinks.Clear();
        existing = new(StringComparer.Ordinal);
        foreach (var ids in KeysOf(rows, "external_id"))
        {
            foreach (var referral in await db.Referrals.AsNoTracking().Where(r => ids.Contains(r.ExternalId!)).ToListAsync(cancellationToken))
            {
                existing[referral.ExternalId!] = referral;
            }
        }
        await sourceByNpi.LoadAsync(rows, "source_npi", LookupSize, cancellationToken);
        await patientByExternalId.LoadAsync(rows, "patient_external_id", LookupSize, cancellationToken);
        patientsByName = new(StringComparer.Ordinal);
        if (withPatientColumns)
        {
            foreach (var names in KeysOf(rows, "patient_last_name"))
            {
                var lower = names.Select(n => n.ToLowerInvariant()).Distinct().ToArray();
                var found = await db.Patients.AsNoTracking().Where(p => lower.Contains(p.LastName.ToLower()))
                    .Select(p => new { p.Id, p.FirstName, p.LastName, p.BirthDate }).ToListAsync(cancellationToken);
                foreach (var patient in found)
                {
                    var key = NameKey(patient.LastName, patient.FirstName, patient.BirthDate);
                    if (!patientsByName.TryGetValue(key, out var ids))
                    {
                        patientsByName[key] = ids = [];
                    }
                    ids.Add(patient.Id);
                }
            }
        }
    }

    public override void CheckHeader(ImportHeader header, int line, List<ImportError> errors)
    {
        withPatientColumns = header.PositionOf("patient_first_name") >= 0 || header.PositionOf("patient_last_name") >= 0;
        if (header.PositionOf("patient_external_id") < 0 && (header.PositionOf("patient_first_name") < 0 || header.PositionOf("patient_last_name") < 0))
        {
            errors.Add(new ImportError(line, "patient_external_id", "This column is required in the header."));
        }
    }

    public override void LinkPrerequisites()
    {
        foreach (var (referral, patient) in pendingLinks)
        {
            referral.PatientId = patient.Id;
        }
        pendingLinks.Clear();
    }

    public override RowOutcome Stage(ImportRow row)
    {
        if (row.Text("external_id") is not { } key)
        {
            row.Add("external_id", "The referral's external id is required: it is the key that lets a re-import update a referral instead of adding it twice.");
            return RowOutcome.Invalid;
        }
        if (IsRepeat(seen, key, row, "external_id", $"Referral id '{key}'"))
        {
            return RowOutcome.Invalid;
        }
        var current = existing.GetValueOrDefault(key);
        var (patientId, newPatient) = withPatientColumns ? ResolveOrCreatePatient(row) : (ResolvePatient(row, current), null);
        var input = new ReferralInput
        {
            ExternalId = key,
            PatientId = patientId,
            SourceId = ResolveSource(row, current),
            ClinicId = ResolveClinic(row, current),
            Therapist = row.Text("therapist", current?.Therapist),
            ReceivedOn = row.Date("received_date", current?.ReceivedOn),
            ScheduledOn = row.Date("scheduled_date", current?.ScheduledOn),
            EvaluatedOn = row.Date("evaluated_date", current?.EvaluatedOn),
            DischargedOn = row.Date("discharged_date", current?.DischargedOn),
            LostOn = row.Date("lost_date", current?.LostOn),
            LostReason = row.Text("lost_reason", current?.LostReason),
            AcquisitionChannel = row.Enum("acquisition_channel", current?.AcquisitionChannel),
            DiagnosisCodes = row.Has("diagnosis") ? DiagnosisList(row.Text("diagnosis")) : current?.DiagnosisCodes,
            BodyRegion = row.Text("body_region", current?.BodyRegion),
            Procedure = row.Text("procedure", current?.Procedure),
            PayerCategory = row.Enum("payer_category", current?.PayerCategory),
            VisitCount = row.WholeNumber("visits", current?.VisitCount),
            CampaignId = ResolveCampaign(row, current),
        };
        var problems = new Problems();
        ReferralService.Check(input, today, problems);
        row.AddRuleProblems(problems, ColumnOfField);
        if (!row.IsValid)
        {
            return RowOutcome.Invalid;
        }
        if (input.SourceId is { } sourceId)
        {
            sourceIds.Add(sourceId);
        }
        var outcome = Apply(row, db, current, () => new Referral(), target => ReferralService.CopyOnto(target, input));
        if (newPatient is not null && outcome is RowOutcome.Added or RowOutcome.Updated)
        {
            if (newPatient.Id == 0 && !newPatientsById.ContainsKey(newPatient.ExternalId))
            {
                // First row naming this new patient: it is inserted with this chunk.
                newPatientsById[newPatient.ExternalId] = newPatient;
                newPatientsByName[NameKey(newPatient.LastName, newPatient.FirstName, newPatient.BirthDate)] = newPatient;
                newPatient.AcquisitionChannel ??= input.AcquisitionChannel;
                NewPrerequisites.Add(newPatient);
                PrerequisitesAdded++;
            }
            var referral = outcome == RowOutcome.Added ? (Referral)NewEntities[^1] : current!;
            if (newPatient.Id == 0)
            {
                pendingLinks.Add((referral, newPatient));
            }
            else
            {
                referral.PatientId = newPatient.Id;
            }
        }
        return outcome;
    }

    /// <summary>
    /// The patient of a row of a file with patient columns. An external id given is the key: the
    /// patient with it, or a new patient with it (the EMR's id is trusted over a name). Without one,
    /// the patient with the same last name, first name and birth date (ignoring case), or a new
    /// patient whose external id is made from those (<see cref="GeneratedExternalId"/>). Returns the
    /// id to check the referral with (0 for a patient still to be inserted) and the new patient.
    /// </summary>
    private (int? Id, Patient? New) ResolveOrCreatePatient(ImportRow row)
    {
        var externalId = row.Text("patient_external_id");
        var first = row.Text("patient_first_name");
        var last = row.Text("patient_last_name");
        var birth = row.Date("patient_birth_date");
        if (externalId is not null)
        {
            if (patientByExternalId.TryGet(externalId, out var id))
            {
                return (id, null);
            }
            if (newPatientsById.TryGetValue(externalId, out var staged))
            {
                return (staged.Id, staged);
            }
        }
        else
        {
            if (last is null || first is null || birth is null)
            {
                row.Add("patient_external_id", "Give the patient's external id, or their first name, last name and birth date to find or add them.");
                return (null, null);
            }
            var key = NameKey(last, first, birth);
            if (patientsByName.TryGetValue(key, out var ids))
            {
                if (ids.Count == 1)
                {
                    return (ids[0], null);
                }
                row.Add("patient_external_id", $"{ids.Count} patients are named {first} {last}, born {birth:yyyy-MM-dd}; give the patient's external id.");
                return (null, null);
            }
            if (newPatientsByName.TryGetValue(key, out var staged))
            {
                return (staged.Id, staged);
            }
        }
        var input = new PatientInput
        {
            ExternalId = externalId ?? GeneratedExternalId(last!, first!, birth!.Value),
            FirstName = first, LastName = last, BirthDate = birth,
            Sex = row.Text("patient_sex"), Zip = row.Text("patient_zip"), Payer = row.Text("patient_payer"), Email = row.Text("patient_email"), Phone = row.Text("patient_phone"),
        };
        var problems = new Problems();
        PatientService.Check(input, today, problems);
        row.AddRuleProblems(problems, PatientColumnOfField);
        if (problems.Any)
        {
            // The row is refused for the patient's own columns; a placeholder keeps "Patient is required" from echoing them.
            return (0, null);
        }
        var patient = new Patient { ExternalId = "", FirstName = "", LastName = "" };
        PatientService.CopyOnto(patient, input);
        return (0, patient);
    }

    /// <summary>
    /// The external id of a patient a file adds without one: "AUTO-" and ten hex digits of the
    /// SHA-256 of "last|first|yyyy-MM-dd" in lower case, so the same person in the next file gets
    /// the same id (and is found by name and birth date anyway).
    /// </summary>
    public static string GeneratedExternalId(string last, string first, DateOnly birth) =>
        "AUTO-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(NameKey(last, first, birth))))[..10];

    private static string NameKey(string last, string first, DateOnly? birth) =>
        $"{last.Trim().ToLowerInvariant()}|{first.Trim().ToLowerInvariant()}|{birth:yyyy-MM-dd}";

    /// <summary>
    /// A source created by an import without an added_on date (<see cref="ReferralSource.AddedOnFromReferrals"/>)
    /// was "added" at that import's moment, though the practice worked with it long before: its added
    /// date moves back to the start of its first referral's day (in the practice's time zone), so touch
    /// overdue ("never touched since added …") and its trend history count as if the practice had always
    /// used Rapport. A source added by hand, or given an added_on, keeps its date. One UPDATE per distinct
    /// day, for the sources of this file only.
    /// </summary>
    public override async Task AfterWriteAsync(CancellationToken cancellationToken)
    {
        var moves = new List<(int Id, DateTime AddedAt)>();
        foreach (var chunk in sourceIds.Chunk(500))
        {
            var firsts = await db.Sources.AsNoTracking().Where(s => chunk.Contains(s.Id) && s.AddedOnFromReferrals)
                .Select(s => new { s.Id, s.CreatedAt, First = db.Referrals.Where(r => r.SourceId == s.Id).Min(r => (DateOnly?)r.ReceivedOn) })
                .ToListAsync(cancellationToken);
            foreach (var source in firsts)
            {
                if (source.First is { } first && time.StartOfDayUtc(first) is var addedAt && addedAt < source.CreatedAt)
                {
                    moves.Add((source.Id, addedAt));
                }
            }
        }
        foreach (var group in moves.GroupBy(m => m.AddedAt))
        {
            foreach (var chunk in group.Select(m => m.Id).Chunk(500))
            {
                await db.Sources.Where(s => chunk.Contains(s.Id)).ExecuteUpdateAsync(u => u.SetProperty(s => s.CreatedAt, group.Key), cancellationToken);
            }
        }
    }

    private int? ResolvePatient(ImportRow row, Referral? current)
    {
        if (!row.Has("patient_external_id"))
        {
            return current?.PatientId;
        }
        if (row.Text("patient_external_id") is not { } externalId)
        {
            return null;
        }
        if (patientByExternalId.TryGet(externalId, out var id))
        {
            return id;
        }
        row.Add("patient_external_id", $"No patient has id '{externalId}' in this practice; import patients first.");
        return null;
    }

    private int? ResolveSource(ImportRow row, Referral? current)
    {
        if (!row.Has("source_npi"))
        {
            return current?.SourceId;
        }
        if (row.Text("source_npi") is not { } npi)
        {
            return null; // Direct access.
        }
        if (sourceByNpi.TryGet(npi, out var id))
        {
            return id;
        }
        row.Add("source_npi", $"No referral source has NPI {npi} in this practice; import sources first, or leave it blank for direct access.");
        return null;
    }

    private int? ResolveClinic(ImportRow row, Referral? current)
    {
        var onlyClinic = clinicByName.Count == 1 ? clinicByName.Values.First() : (int?)null;
        if (!row.Has("clinic"))
        {
            return current?.ClinicId ?? onlyClinic;
        }
        if (row.Text("clinic") is not { } name)
        {
            return onlyClinic;
        }
        if (clinicByName.TryGetValue(name, out var id))
        {
            return id;
        }
        row.Add("clinic", $"No clinic is named '{name}'; the practice's clinics are: {string.Join(", ", clinicByName.Keys.Take(20))}.");
        return null;
    }

    /// <summary>The campaign the row names (a missing column keeps the referral's campaign); an unknown name is the row's problem.</summary>
    private int? ResolveCampaign(ImportRow row, Referral? current)
    {
        var name = row.Text("campaign", current?.CampaignId is { } id ? campaignNames.GetValueOrDefault(id) : null);
        if (name is null) return null;
        if (campaignByName.TryGetValue(name, out var campaignId)) return campaignId;
        row.Add("campaign", Campaigns.CampaignNames.Unknown(name));
        return null;
    }

    /// <summary>EMR exports separate codes with ';' (commas would need quoting); stored comma-separated.</summary>
    private static string? DiagnosisList(string? codes) =>
        codes is null ? null : Formats.Clean(string.Join(',', codes.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
}
