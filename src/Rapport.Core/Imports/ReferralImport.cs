using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;

namespace Rapport.Imports;

/// <summary>
/// Referrals keyed by the EMR's episode / referral id. Patients, sources and clinics must exist
/// already (import sources and patients first); the clinic may be left blank when the practice has
/// only one.
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

    public override string EntityName => nameof(Referral);

    public override IReadOnlyList<ImportColumn> Columns { get; } =
    [
        new("external_id", true, "The EMR's referral / episode id. The key.", "REF-2024-0001", MaxLength: MaxLength<Referral>(db, nameof(Referral.ExternalId))),
        new("source_npi", true, "NPI of the referring source (imported before); blank for direct access.", "1234567893", Field: "sourceId"),
        new("patient_external_id", true, "The patient's external id (imported before).", "MRN-000123", Field: "patientId"),
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
    ];

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
    };

    public override async Task LoadAsync(CancellationToken cancellationToken)
    {
        clinicByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var clinic in await db.Clinics.OrderBy(c => c.Id).Select(c => new { c.Name, c.Id }).ToListAsync(cancellationToken))
        {
            clinicByName.TryAdd(clinic.Name.Trim(), clinic.Id);
        }
    }

    public override async Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        existing = new(StringComparer.Ordinal);
        foreach (var ids in KeysOf(rows, "external_id"))
        {
            foreach (var referral in await db.Referrals.AsNoTracking().Where(r => ids.Contains(r.ExternalId!)).ToListAsync(cancellationToken))
            {
                existing[referral.ExternalId!] = referral;
            }
        }
        await sourceByNpi.LoadAsync(rows, "source_npi", cancellationToken);
        await patientByExternalId.LoadAsync(rows, "patient_external_id", cancellationToken);
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
        var input = new ReferralInput
        {
            ExternalId = key,
            PatientId = ResolvePatient(row, current),
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
        return Apply(row, db, current, () => new Referral(), target => ReferralService.CopyOnto(target, input));
    }

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

    /// <summary>EMR exports separate codes with ';' (commas would need quoting); stored comma-separated.</summary>
    private static string? DiagnosisList(string? codes) =>
        codes is null ? null : Formats.Clean(string.Join(',', codes.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
}
