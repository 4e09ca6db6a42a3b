using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.Imports;

/// <summary>
/// A practice's saved answer to "which of this file's columns is which": the headers of one source
/// system's export (WebPT, a liaison's spreadsheet) mapped onto one import kind's columns, chosen
/// once on the mapping page and reused there and by <c>rapport import KIND FILE --mapping NAME</c>.
/// </summary>
public sealed class ImportMapping : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public ImportKind Kind { get; set; }
    /// <summary>The source system or file it is for, e.g. "WebPT referrals"; unique per kind.</summary>
    public required string Name { get; set; }
    /// <summary>JSON object: the file's header → Rapport column ("" = ignored).</summary>
    public required string Columns { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }

    public Dictionary<string, string> ColumnMap() =>
        new(JsonSerializer.Deserialize<Dictionary<string, string>>(Columns) ?? [], StringComparer.OrdinalIgnoreCase);
}

internal sealed class ImportMappingConfiguration : IEntityTypeConfiguration<ImportMapping>
{
    public void Configure(EntityTypeBuilder<ImportMapping> b)
    {
        b.ToTable("ImportMappings");
        b.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(m => m.Name).HasMaxLength(100);
        b.Property(m => m.Columns).HasMaxLength(20_000);
        b.Property(m => m.UpdatedBy).HasMaxLength(256);
        b.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId);
        b.HasIndex(m => new { m.OrganizationId, m.Kind, m.Name }).IsUnique();
    }
}

public sealed class ImportMappings(RapportDbContext db, PracticeClock time)
{
    public Task<List<ImportMapping>> ListAsync(ImportKind? kind = null, CancellationToken cancellationToken = default) =>
        db.Set<ImportMapping>().AsNoTracking().Where(m => kind == null || m.Kind == kind).OrderBy(m => m.Kind).ThenBy(m => m.Name).ToListAsync(cancellationToken);

    public async Task<ImportMapping?> FindAsync(ImportKind kind, string name, CancellationToken cancellationToken = default)
    {
        var all = await db.Set<ImportMapping>().AsNoTracking().Where(m => m.Kind == kind).ToListAsync(cancellationToken);
        return all.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Saves (or replaces) the mapping called <paramref name="name"/> for this kind.</summary>
    public async Task<ImportMapping> SaveAsync(ImportKind kind, string? name, IReadOnlyDictionary<string, string> columns, CancellationToken cancellationToken = default)
    {
        var clean = Formats.Clean(name);
        var problems = new Problems();
        if (clean is null) problems.Add("name", "Give the mapping a name, e.g. the system the file comes from (\"WebPT referrals\").");
        else if (clean.Length > 100) problems.Add("name", "At most 100 characters.");
        var known = new CsvImporter(db, time).ColumnsOf(kind).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (header, column) in columns)
        {
            if (column.Length > 0 && !known.Contains(column)) problems.Add("columns", $"'{column}' (for '{header}') is not a column of a {kind.ToString().ToLowerInvariant()} import.");
        }
        var taken = columns.Where(c => c.Value.Length > 0).GroupBy(c => c.Value).FirstOrDefault(g => g.Count() > 1);
        if (taken is not null) problems.Add("columns", $"{string.Join(" and ", taken.Select(t => $"'{t.Key}'"))} are both mapped to {taken.Key}; a column can take one of the file's columns.");
        problems.ThrowIfAny();
        var mapping = (await db.Set<ImportMapping>().Where(m => m.Kind == kind).ToListAsync(cancellationToken))
            .FirstOrDefault(m => string.Equals(m.Name, clean, StringComparison.OrdinalIgnoreCase));
        if (mapping is null)
        {
            mapping = new ImportMapping { Kind = kind, Name = clean!, Columns = "{}" };
            db.Add(mapping);
        }
        mapping.Columns = JsonSerializer.Serialize(columns);
        mapping.UpdatedAt = time.UtcNow;
        mapping.UpdatedBy = db.Organization.Actor;
        await db.SaveChangesAsync(cancellationToken);
        return mapping;
    }
}

/// <summary>
/// Guesses which of Rapport's columns each header of a file is, from the names EMR exports
/// (WebPT, Raintree, Prompt, ...) and office spreadsheets use: "MRN", "Patient ID", "DOB",
/// "Referring NPI", "Date Received", "Insurance", ... A guess is only a starting point the person
/// checks on the mapping page; a header it cannot place is ignored there, never at the command line.
/// </summary>
public static class ImportColumnGuess
{
    private static readonly string[] PatientIdentity = ["mrn", "patientid", "patientnumber", "patientno", "patientmrn", "chartnumber", "chartno", "chart", "accountnumber", "accountno", "medicalrecordnumber", "medicalrecordno", "emrid", "personid"];
    private static readonly string[] FirstName = ["firstname", "first", "givenname", "fname", "patientfirstname", "patientfirst"];
    private static readonly string[] LastName = ["lastname", "last", "surname", "lname", "familyname", "patientlastname", "patientlast"];
    private static readonly string[] BirthDate = ["dob", "dateofbirth", "birthdate", "birthday", "patientdob", "patientdateofbirth", "birthdt"];
    private static readonly string[] Sex = ["sex", "gender", "patientsex", "patientgender"];
    private static readonly string[] Zip = ["zip", "zipcode", "postalcode", "postcode", "patientzip", "patientzipcode"];
    private static readonly string[] Payer = ["payer", "insurance", "primaryinsurance", "insurancename", "payername", "insurancecompany", "primarypayer", "insuranceplan", "plan", "carrier", "primaryinsurancename"];
    private static readonly string[] Email = ["email", "emailaddress", "patientemail", "patientemailaddress"];
    private static readonly string[] Phone = ["phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "cellphone", "cell", "homephone", "patientphone", "patientphonenumber", "patientcell", "patientmobile"];
    private static readonly string[] Channel = ["channel", "acquisitionchannel", "howdidyouhear", "howdidyouhearaboutus", "leadsource", "marketingsource", "referralchannel", "referraltype"];
    private static readonly string[] SourceNpi = ["npi", "referringnpi", "referringprovidernpi", "referringphysiciannpi", "refnpi", "referringdoctornpi", "providernpi", "physiciannpi", "referralsourcenpi", "sourcenpi"];

    private static readonly Dictionary<ImportKind, Dictionary<string, string[]>> Synonyms = new()
    {
        [ImportKind.Referrals] = new()
        {
            ["external_id"] = ["referralid", "referralnumber", "referralno", "episodeid", "episodenumber", "episode", "caseid", "casenumber", "caseno", "case", "referral"],
            ["source_npi"] = SourceNpi,
            ["patient_external_id"] = PatientIdentity,
            ["clinic"] = ["location", "clinicname", "cliniclocation", "facility", "office", "site", "locationname"],
            ["therapist"] = ["provider", "treatingtherapist", "therapistname", "clinician", "renderingprovider", "treatingprovider", "primarytherapist", "pt"],
            ["received_date"] = ["referraldate", "datereceived", "receiveddate", "received", "referralreceived", "referralreceiveddate", "datereferred", "referreddate", "dateofreferral"],
            ["scheduled_date"] = ["scheduleddate", "datescheduled", "firstappointment", "firstappointmentdate", "appointmentdate", "scheduled"],
            ["evaluated_date"] = ["evaldate", "evaluationdate", "initialevaluation", "initialevaluationdate", "initialevaldate", "iedate", "firstvisitdate", "firstvisit", "dateofevaluation", "startofcare", "socdate", "evaluated"],
            ["discharged_date"] = ["dischargedate", "dateofdischarge", "discharged", "dcdate", "dischargeddate"],
            ["lost_date"] = ["lostdate", "cancelleddate", "canceleddate", "datelost"],
            ["lost_reason"] = ["lostreason", "cancelreason", "reasonlost", "cancellationreason", "reasoncancelled"],
            ["acquisition_channel"] = Channel,
            ["diagnosis"] = ["diagnosiscodes", "diagnosiscode", "icd10", "icd10codes", "icd10code", "icd", "icdcodes", "dx", "dxcodes", "dxcode"],
            ["body_region"] = ["bodypart", "bodyregion", "region", "injuryarea", "affectedarea"],
            ["procedure"] = ["surgery", "surgicalprocedure", "surgeryprocedure"],
            ["payer_category"] = ["payertype", "payercategory", "financialclass", "insurancetype", "payerclass", "insurancecategory"],
            ["visits"] = ["visitcount", "numberofvisits", "totalvisits", "visitsattended", "visitscompleted", "novisits"],
            ["patient_first_name"] = FirstName,
            ["patient_last_name"] = LastName,
            ["patient_birth_date"] = BirthDate,
            ["patient_sex"] = Sex,
            ["patient_zip"] = Zip,
            ["patient_payer"] = Payer,
            ["patient_email"] = Email,
            ["patient_phone"] = Phone,
        },
        [ImportKind.Patients] = new()
        {
            ["external_id"] = PatientIdentity,
            ["first_name"] = FirstName,
            ["last_name"] = LastName,
            ["birth_date"] = BirthDate,
            ["sex"] = Sex,
            ["zip"] = Zip,
            ["payer"] = Payer,
            ["email"] = Email,
            ["phone"] = Phone,
            ["acquisition_channel"] = Channel,
        },
        [ImportKind.Sources] = new()
        {
            ["npi"] = SourceNpi,
            ["first_name"] = ["firstname", "first", "providerfirstname", "physicianfirstname", "fname"],
            ["last_name"] = ["lastname", "last", "providerlastname", "physicianlastname", "lname", "surname", "name"],
            ["credential"] = ["credentials", "degree", "title", "suffix"],
            ["taxonomy_code"] = ["taxonomy", "taxonomycode", "primarytaxonomy"],
            ["specialty"] = ["speciality", "providerspecialty", "primaryspecialty"],
            ["practice_name"] = ["practice", "group", "groupname", "organization", "organisation", "organizationname", "practicename"],
            ["address"] = ["street", "address1", "addressline1", "streetaddress", "officeaddress"],
            ["city"] = ["town"],
            ["state"] = ["st", "province"],
            ["zip"] = Zip,
            ["phone"] = ["phonenumber", "officephone", "telephone", "tel", "phoneno"],
            ["fax"] = ["faxnumber", "faxno", "officefax"],
            ["email"] = ["emailaddress"],
            ["touch_cadence_days"] = ["cadence", "touchcadence", "touchfrequencydays"],
            ["added_on"] = ["addeddate", "dateadded", "since", "startdate"],
        },
        [ImportKind.Touchpoints] = new()
        {
            ["external_id"] = ["activityid", "touchid", "id", "crmid"],
            ["source_npi"] = SourceNpi,
            ["date"] = ["activitydate", "visitdate", "contactdate", "touchdate", "dateofcontact"],
            ["method"] = ["type", "activitytype", "contacttype", "touchtype", "contactmethod"],
            ["purpose"] = ["subject", "reason"],
            ["notes"] = ["note", "comments", "comment", "description", "details"],
            ["by"] = ["owner", "liaison", "assignedto", "rep", "marketer", "loggedby", "user"],
            ["campaign"] = ["event"],
            ["follow_up_date"] = ["followup", "followupdate", "followupon", "nextstepdate"],
            ["cost"] = ["expense", "amount", "spend"],
        },
    };

    /// <summary>Headers that may name the referring physician rather than their NPI; tried last, and the preview shows when the values are not NPIs.</summary>
    private static readonly string[] WeakSourceNpi = ["referringprovider", "referringphysician", "referringdoctor", "referredby", "referralsource", "referringmd"];

    /// <summary>Each header of the file → the column it most likely is, or "" (ignored) when none fits or a column is already taken.</summary>
    public static Dictionary<string, string> Guess(ImportKind kind, IReadOnlyList<ImportColumn> columns, IEnumerable<string> headers)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var synonyms = Synonyms.GetValueOrDefault(kind) ?? [];
        var list = headers.Select(h => h.Trim()).Where(h => h.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var header in list)
        {
            result[header] = "";
        }
        string? Take(string column)
        {
            return taken.Add(column) ? column : null;
        }
        // Rapport's own names first, then the synonyms, then the weak guesses, so an exact name always wins its column.
        foreach (var header in list)
        {
            var key = Squash(header);
            if (columns.FirstOrDefault(c => Squash(c.Name) == key) is { } own && Take(own.Name) is { } column)
            {
                result[header] = column;
            }
        }
        foreach (var header in list.Where(h => result[h].Length == 0))
        {
            var key = Squash(header);
            foreach (var (column, names) in synonyms)
            {
                if (names.Contains(key) && !taken.Contains(column) && Take(column) is { } chosen)
                {
                    result[header] = chosen;
                    break;
                }
            }
        }
        if (columns.Any(c => c.Name == "source_npi"))
        {
            foreach (var header in list.Where(h => result[h].Length == 0 && WeakSourceNpi.Contains(Squash(h))))
            {
                if (Take("source_npi") is { } chosen)
                {
                    result[header] = chosen;
                }
            }
        }
        return result;
    }

    /// <summary>Letters and digits only, lower case: "Date of Birth", "date_of_birth" and "DateOfBirth" are one name.</summary>
    public static string Squash(string header)
    {
        var squashed = new StringBuilder(header.Length);
        foreach (var c in header)
        {
            if (char.IsLetterOrDigit(c))
            {
                squashed.Append(char.ToLowerInvariant(c));
            }
        }
        return squashed.ToString();
    }
}
