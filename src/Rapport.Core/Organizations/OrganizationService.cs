using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Users;

namespace Rapport.Organizations;

public sealed record ClinicInput
{
    public string? Name { get; init; }
    public string? AddressLine { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Zip { get; init; }
    public string? Phone { get; init; }
    public string? Fax { get; init; }
    public string? Niche { get; init; }
}

public sealed record ClinicSummary(int Id, string Name, string? City, string? State, string? Zip, string? Phone, string? Niche, bool Archived, string? Fax = null,
    string? AddressLine = null);

/// <summary>Creating practices (first run, CLI) and managing their clinics.</summary>
public sealed record PracticeInput
{
    public string? Name { get; init; }
    /// <summary>IANA time zone id, e.g. "America/Chicago".</summary>
    public string? TimeZoneId { get; init; }
}

public sealed partial class OrganizationService(RapportDbContext db, UserManager<AppUser> users, RoleManager<IdentityRole> roles, PracticeClock time,
    PracticeTimeZones zones)
{
    /// <summary>True until the first organization exists: the web app then shows the setup page.</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default) => !await db.Organizations.AnyAsync(cancellationToken);

    public Task<Organization?> FindBySlugAsync(string slug, CancellationToken cancellationToken = default) =>
        db.Organizations.FirstOrDefaultAsync(o => o.Slug == slug, cancellationToken);

    public Task<Organization?> FindAsync(int id, CancellationToken cancellationToken = default) =>
        db.Organizations.FirstOrDefaultAsync(o => o.Id == id, cancellationToken);

    public Task<List<Organization>> AllAsync(CancellationToken cancellationToken = default) =>
        db.Organizations.OrderBy(o => o.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// Creates a practice with its first clinic and admin in one transaction, and selects it as the
    /// current organization of this scope.
    /// </summary>
    public async Task<(Organization Organization, AppUser Admin)> CreateAsync(string name, string? slug, string clinicName,
        string adminEmail, string adminPassword, string? adminName = null, string timeZoneId = "UTC", CancellationToken cancellationToken = default)
    {
        var problems = new Problems();
        problems.Required("name", name, "Practice name");
        var zone = CheckTimeZone(timeZoneId, problems);
        problems.Required("clinicName", clinicName, "First clinic name");
        slug = Formats.Clean(slug) ?? Slugify(name ?? "");
        if (!SlugPattern().IsMatch(slug))
        {
            problems.Add("slug", "Short name must be 2–64 lowercase letters, digits or hyphens.");
        }
        else if (await db.Organizations.AnyAsync(o => o.Slug == slug, cancellationToken))
        {
            problems.Add("slug", $"A practice with short name '{slug}' already exists.");
        }
        if (!Formats.IsValidEmail(adminEmail))
        {
            problems.Add("adminEmail", $"'{adminEmail}' is not a valid e-mail address.");
        }
        problems.ThrowIfAny();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organization = new Organization { Name = name!.Trim(), Slug = slug, TimeZoneId = zone ?? "UTC", CreatedAt = time.UtcNow };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(cancellationToken);
        db.Organization.Set(organization.Id);
        db.Clinics.Add(new Clinic { Name = clinicName.Trim() });
        await db.SaveChangesAsync(cancellationToken);
        var admin = await UserDirectory.CreateAsync(users, roles, organization.Id, adminEmail, adminPassword, Roles.Admin, adminName);
        await transaction.CommitAsync(cancellationToken);
        return (organization, admin);
    }

    /// <summary>One first-run setup at a time on this node: the check for "no practice yet" and the creation must not interleave.</summary>
    private static readonly SemaphoreSlim FirstRun = new(1, 1);

    /// <summary>
    /// The first practice of an empty installation (the setup page). Concurrent submissions (a double
    /// click, several tabs) are taken one at a time and all but the first find a practice already
    /// there: null, nothing created. Six at once made five practices and five admins before.
    /// </summary>
    public async Task<(Organization Organization, AppUser Admin)?> CreateFirstAsync(string name, string? slug, string clinicName,
        string adminEmail, string adminPassword, string? adminName, string timeZoneId, CancellationToken cancellationToken = default)
    {
        await FirstRun.WaitAsync(cancellationToken);
        try
        {
            if (!await IsEmptyAsync(cancellationToken)) return null;
            return await CreateAsync(name, slug, clinicName, adminEmail, adminPassword, adminName, timeZoneId, cancellationToken);
        }
        finally
        {
            FirstRun.Release();
        }
    }

    /// <summary>The current practice (name, time zone).</summary>
    public async Task<Organization> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var id = db.Organization.RequiredId;
        return await db.Organizations.FirstOrDefaultAsync(o => o.Id == id, cancellationToken) ?? throw new NotFoundException($"Practice {id}");
    }

    /// <summary>Renames the current practice and sets its time zone; its calendar follows at once.</summary>
    public async Task<Organization> SavePracticeAsync(PracticeInput input, CancellationToken cancellationToken = default)
    {
        var problems = new Problems();
        FieldRules.Check<Organization>(input, time.Today(), problems);
        problems.Required("name", input.Name, "Practice name");
        var zone = CheckTimeZone(input.TimeZoneId, problems);
        problems.ThrowIfAny();
        var organization = await CurrentAsync(cancellationToken);
        organization.Name = input.Name!.Trim();
        organization.TimeZoneId = zone!;
        await db.SaveChangesAsync(cancellationToken);
        zones.Forget(organization.Id);
        return organization;
    }

    private static string? CheckTimeZone(string? timeZoneId, Problems problems)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            problems.Add("timeZoneId", "Choose the practice's time zone: its dates (today, this month, due dates) are read on it.");
            return null;
        }
        var zone = PracticeTimeZones.Normalize(timeZoneId);
        if (zone is null)
        {
            problems.Add("timeZoneId", $"'{timeZoneId.Trim()}' is not an IANA time zone; use a name such as America/Chicago.");
        }
        return zone;
    }

    public Task<List<ClinicSummary>> ClinicsAsync(bool includeArchived = false, CancellationToken cancellationToken = default) =>
        db.Clinics.Where(c => includeArchived || c.ArchivedAt == null).OrderBy(c => c.Name)
            .Select(c => new ClinicSummary(c.Id, c.Name, c.City, c.State, c.Zip, c.Phone, c.Niche, c.ArchivedAt != null, c.Fax, c.AddressLine))
            .ToListAsync(cancellationToken);

    public async Task<Clinic> SaveClinicAsync(int? id, ClinicInput input, CancellationToken cancellationToken = default)
    {
        var problems = new Problems();
        FieldRules.Check<Clinic>(input, time.Today(), problems, nameof(ClinicInput.Phone), nameof(ClinicInput.Fax));
        problems.Required("name", input.Name, "Clinic name");
        if (Formats.Clean(input.Zip) is { } zip && !Formats.IsValidZip(zip)) problems.Add("zip", $"'{zip}' is not a ZIP code.");
        if (Formats.Clean(input.Phone) is { } phone && Formats.NormalizePhone(phone) is null) problems.Add("phone", $"'{phone}' is not a US phone number.");
        if (Formats.Clean(input.Fax) is { } fax && Formats.NormalizePhone(fax) is null) problems.Add("fax", $"'{fax}' is not a US fax number.");
        problems.ThrowIfAny();
        if (Formats.Clean(input.Name) is { } clinicName && await db.Clinics.AnyAsync(c => c.Name == clinicName && c.Id != id, cancellationToken))
        {
            throw new ConflictException("name", clinicName, $"A clinic named {clinicName} already exists.");
        }
        var clinic = id is { } existing
            ? await db.Clinics.FirstOrDefaultAsync(c => c.Id == existing, cancellationToken) ?? throw new NotFoundException($"Clinic {existing}")
            : db.Clinics.Add(new Clinic { Name = "" }).Entity;
        clinic.Name = input.Name!.Trim();
        clinic.AddressLine = Formats.Clean(input.AddressLine);
        clinic.City = Formats.Clean(input.City);
        clinic.State = Formats.Clean(input.State)?.ToUpperInvariant();
        clinic.Zip = Formats.Clean(input.Zip);
        clinic.Phone = Formats.NormalizePhone(input.Phone);
        clinic.Fax = Formats.NormalizePhone(input.Fax);
        clinic.Niche = Formats.Clean(input.Niche);
        await db.SaveChangesAsync(cancellationToken);
        return clinic;
    }

    public static string Slugify(string name)
    {
        var slug = NonSlug().Replace(name.ToLowerInvariant(), "-").Trim('-');
        return slug.Length > 64 ? slug[..64].TrimEnd('-') : slug;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
