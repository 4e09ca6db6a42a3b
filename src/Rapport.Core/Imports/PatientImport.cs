using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Patients;

namespace Rapport.Imports;

/// <summary>Patients keyed by the EMR's id / MRN.</summary>
internal sealed class PatientImport(RapportDbContext db, DateOnly today) : ImportHandler
{
    private readonly KeyLines seen = new();
    private Dictionary<string, Patient> existing = [];

    public override string EntityName => nameof(Patient);

    public override IReadOnlyList<ImportColumn> Columns { get; } =
    [
        new("external_id", true, "The EMR's patient id / MRN. The key.", "MRN-000123", MaxLength: MaxLength<Patient>(db, nameof(Patient.ExternalId))),
        new("first_name", true, "Given name. Required.", "Ada", MaxLength: MaxLength<Patient>(db, nameof(Patient.FirstName))),
        new("last_name", true, "Surname. Required.", "Lovelace", MaxLength: MaxLength<Patient>(db, nameof(Patient.LastName))),
        new("birth_date", false, "yyyy-MM-dd or MM/dd/yyyy; not in the future, not before 1900.", "1958-12-10"),
        new("sex", false, "F, M, X or U (Female, Male, Other, Unknown).", "F"),
        new("zip", false, "ZIP or ZIP+4.", "08540"),
        new("payer", false, "Insurance plan or payer name.", "Aetna PPO", MaxLength: MaxLength<Patient>(db, nameof(Patient.Payer))),
        new("email", false, "E-mail, used only to invite the patient to the satisfaction (NPS) survey.", "ada@example.com", MaxLength: MaxLength<Patient>(db, nameof(Patient.Email))),
        new("phone", false, "US phone number, any punctuation; stored as (555) 123-4567.", "(609) 555-0147"),
        new("acquisition_channel", false, $"How the patient found the practice: {string.Join(", ", Enum.GetNames<AcquisitionChannel>())}.", "Physician"),
    ];

    public override async Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        existing = new(StringComparer.Ordinal);
        foreach (var ids in KeysOf(rows, "external_id"))
        {
            foreach (var patient in await db.Patients.AsNoTracking().Where(p => ids.Contains(p.ExternalId)).ToListAsync(cancellationToken))
            {
                existing[patient.ExternalId] = patient;
            }
        }
    }

    public override RowOutcome Stage(ImportRow row)
    {
        var key = row.Text("external_id");
        if (key is not null && IsRepeat(seen, key, row, "external_id", $"Patient id '{key}'"))
        {
            return RowOutcome.Invalid;
        }
        var current = key is null ? null : existing.GetValueOrDefault(key);
        var input = new PatientInput
        {
            ExternalId = key,
            FirstName = row.Text("first_name", current?.FirstName),
            LastName = row.Text("last_name", current?.LastName),
            BirthDate = row.Date("birth_date", current?.BirthDate),
            Sex = row.Text("sex", current?.Sex),
            Zip = row.Text("zip", current?.Zip),
            Payer = row.Text("payer", current?.Payer),
            AcquisitionChannel = row.Enum("acquisition_channel", current?.AcquisitionChannel),
            // A file without these columns keeps what the practice already has.
            Email = row.Text("email", current?.Email),
            Phone = row.Text("phone", current?.Phone),
        };
        var problems = new Problems();
        PatientService.Check(input, today, problems);
        row.AddRuleProblems(problems, ColumnOfField);
        if (!row.IsValid)
        {
            return RowOutcome.Invalid;
        }
        return Apply(row, db, current, () => new Patient { ExternalId = "", FirstName = "", LastName = "" }, target => PatientService.CopyOnto(target, input));
    }
}
