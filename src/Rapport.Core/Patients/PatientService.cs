using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Referrals;

namespace Rapport.Patients;

public sealed record PatientInput
{
    public string? ExternalId { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public DateOnly? BirthDate { get; init; }
    public string? Sex { get; init; }
    public string? Zip { get; init; }
    public string? Payer { get; init; }
    public AcquisitionChannel? AcquisitionChannel { get; init; }
    public string? Email { get; init; }
    /// <summary>Ten US digits in any punctuation ("555.123.4567", "+1 555 123 4567"); stored as "(555) 123-4567".</summary>
    public string? Phone { get; init; }
}

public sealed record PatientSummary(int Id, string ExternalId, string FirstName, string LastName, DateOnly? BirthDate, string? Sex, string? Zip,
    string? Payer, AcquisitionChannel? AcquisitionChannel, int Referrals, bool Active, bool Archived, string? Email = null, string? Phone = null);

public sealed record PatientListQuery
{
    public string? Search { get; init; }
    public bool ActiveOnly { get; init; }
    public bool IncludeArchived { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

/// <summary>Patients: reads are audited here (<see cref="Audit.PatientDataAudit"/>), changes by the DbContext.</summary>
public sealed class PatientService(RapportDbContext db, Audit.PatientDataAudit audit, PracticeClock time)
{
    public async Task<Paged<PatientSummary>> ListAsync(PatientListQuery query, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(query.Page, query.PageSize);
        var patients = Filter(query);
        var total = await patients.CountAsync(cancellationToken);
        var items = await Project(patients.OrderBy(p => p.LastName).ThenBy(p => p.FirstName).ThenBy(p => p.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
        await audit.ListedAsync(nameof(Patient), items.Count, Audit.PatientDataAudit.Scope(page, pageSize,
            ("search", query.Search), ("activeOnly", query.ActiveOnly), ("includeArchived", query.IncludeArchived)), cancellationToken);
        return new Paged<PatientSummary>(items, total, page, pageSize);
    }

    /// <summary>Every patient matching the list's filters, unpaged and in the list's order (exports); audited as a read like a page of the list.</summary>
    public async Task<IReadOnlyList<PatientSummary>> AllAsync(PatientListQuery query, CancellationToken cancellationToken = default)
    {
        var items = await Project(Filter(query).OrderBy(p => p.LastName).ThenBy(p => p.FirstName).ThenBy(p => p.Id)).ToListAsync(cancellationToken);
        await audit.ListedAsync(nameof(Patient), items.Count, Audit.PatientDataAudit.Scope(null, null,
            ("search", query.Search), ("activeOnly", query.ActiveOnly), ("includeArchived", query.IncludeArchived)), cancellationToken);
        return items;
    }

    private IQueryable<Patient> Filter(PatientListQuery query)
    {
        var patients = db.Patients.AsQueryable();
        if (!query.IncludeArchived)
        {
            patients = patients.Where(p => p.ArchivedAt == null);
        }
        if (Formats.Clean(query.Search) is { } search)
        {
            var term = search.ToLowerInvariant();
            patients = patients.Where(p => (p.FirstName + " " + p.LastName).ToLower().Contains(term)
                || (p.LastName + ", " + p.FirstName).ToLower().Contains(term) || p.ExternalId.ToLower() == term);
        }
        if (query.ActiveOnly)
        {
            patients = patients.Where(p => db.Referrals.Any(r => r.PatientId == p.Id && r.Status == ReferralStatus.Evaluated));
        }
        return patients;
    }

    public async Task<PatientSummary?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        var patient = await Project(db.Patients.Where(p => p.Id == id)).FirstOrDefaultAsync(cancellationToken);
        if (patient is not null)
        {
            await audit.ReadAsync(nameof(Patient), id, cancellationToken: cancellationToken);
        }
        return patient;
    }

    public async Task<Patient> CreateAsync(PatientInput input, CancellationToken cancellationToken = default)
    {
        var patient = new Patient { ExternalId = "", FirstName = "", LastName = "" };
        await ApplyAsync(patient, input, cancellationToken);
        db.Patients.Add(patient);
        await db.SaveChangesAsync(cancellationToken);
        return patient;
    }

    public async Task<Patient> UpdateAsync(int id, PatientInput input, CancellationToken cancellationToken = default)
    {
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw new NotFoundException($"Patient {id}");
        await ApplyAsync(patient, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return patient;
    }

    public async Task SetArchivedAsync(int id, bool archived, CancellationToken cancellationToken = default)
    {
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw new NotFoundException($"Patient {id}");
        patient.ArchivedAt = archived ? patient.ArchivedAt ?? time.GetUtcNow().UtcDateTime : null;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ApplyAsync(Patient patient, PatientInput input, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        Check(input, time.Today(), problems);
        problems.ThrowIfAny();
        if (Formats.Clean(input.ExternalId) is { } externalId
            && await db.Patients.AnyAsync(p => p.ExternalId == externalId && p.Id != patient.Id, cancellationToken))
        {
            throw new ConflictException("externalId", externalId, $"A patient with external id {externalId} already exists.");
        }
        CopyOnto(patient, input);
    }

    public static void Check(PatientInput input, DateOnly today, Problems problems)
    {
        FieldRules.Check<Patient>(input, today, problems, nameof(PatientInput.Sex), nameof(PatientInput.Phone));
        problems.Required("externalId", input.ExternalId, "Patient id / MRN");
        problems.Required("firstName", input.FirstName, "First name");
        problems.Required("lastName", input.LastName, "Last name");
        problems.NotInFuture("birthDate", input.BirthDate, today, "Birth date");
        if (input.BirthDate is { } born && born.Year < 1900)
        {
            problems.Add("birthDate", $"Birth date {born:yyyy-MM-dd} is before 1900.");
        }
        if (Formats.Clean(input.Sex) is { } sex && NormalizeSex(sex) is null)
        {
            problems.Add("sex", $"'{sex}' is not one of F, M, X, U.");
        }
        if (Formats.Clean(input.Zip) is { } zip && !Formats.IsValidZip(zip))
        {
            problems.Add("zip", $"'{zip}' is not a ZIP code (5 or 9 digits).");
        }
        if (Formats.Clean(input.Email) is { } email && !Formats.IsValidEmail(email))
        {
            problems.Add("email", $"'{email}' is not an e-mail address.");
        }
        if (Formats.Clean(input.Phone) is { } phone && Formats.NormalizePhone(phone) is null)
        {
            problems.Add("phone", $"'{phone}' is not a US phone number (10 digits, e.g. 555-123-4567).");
        }
    }

    public static void CopyOnto(Patient patient, PatientInput input)
    {
        patient.ExternalId = input.ExternalId!.Trim();
        patient.FirstName = input.FirstName!.Trim();
        patient.LastName = input.LastName!.Trim();
        patient.BirthDate = input.BirthDate;
        patient.Sex = NormalizeSex(Formats.Clean(input.Sex));
        patient.Zip = Formats.Clean(input.Zip);
        patient.Payer = Formats.Clean(input.Payer);
        patient.AcquisitionChannel = input.AcquisitionChannel;
        patient.Email = Formats.Clean(input.Email);
        patient.Phone = Formats.NormalizePhone(input.Phone);
    }

    private static string? NormalizeSex(string? sex) => sex?.ToUpperInvariant() switch
    {
        "F" or "FEMALE" => "F",
        "M" or "MALE" => "M",
        "X" or "OTHER" => "X",
        "U" or "UNKNOWN" => "U",
        _ => null,
    };

    private IQueryable<PatientSummary> Project(IQueryable<Patient> patients) =>
        patients.Select(p => new PatientSummary(p.Id, p.ExternalId, p.FirstName, p.LastName, p.BirthDate, p.Sex, p.Zip, p.Payer, p.AcquisitionChannel,
            db.Referrals.Count(r => r.PatientId == p.Id),
            db.Referrals.Any(r => r.PatientId == p.Id && r.Status == ReferralStatus.Evaluated),
            p.ArchivedAt != null, p.Email, p.Phone));
}
