using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Registry;
using Rapport.Touchpoints;

namespace Rapport.Sources;

/// <summary>What a person (form, API, CSV row) may set on a source. Null leaves a field empty.</summary>
public sealed record SourceInput
{
    public string? Npi { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Credential { get; init; }
    public string? TaxonomyCode { get; init; }
    /// <summary>
    /// Used when the taxonomy code is absent or not one the catalogue knows. Without a code, a name
    /// that stands for exactly one specialty (<see cref="SpecialtySearch.Resolve"/>) sets the code too.
    /// </summary>
    public string? Specialty { get; init; }
    public string? PracticeName { get; init; }
    public string? AddressLine { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Zip { get; init; }
    public string? Phone { get; init; }
    public string? Fax { get; init; }
    public string? Email { get; init; }
    public TouchMethod? PreferredContactMethod { get; init; }
    public string? OwnerUserId { get; init; }
    public int? ClinicId { get; init; }
    public SourceStatus? Status { get; init; }
    public int? TouchCadenceDays { get; init; }
    /// <summary>Whether the practice refers this source's patients back; null follows its specialty (Settings → Alerts).</summary>
    public bool? ExpectsReferBacks { get; init; }
    public string? Tags { get; init; }
}

/// <summary>What the NPI registry said when a source got its NPI, and the fields (SourceInput names, camelCase) it filled.</summary>
public sealed record RegistryFill(RegistryLookupResult Lookup, IReadOnlyList<string> Filled)
{
    /// <summary>One sentence for a page's notice: what was filled, and the warning when there is one.</summary>
    public string? Notice => (Filled.Count > 0, Lookup.IsWarning) switch
    {
        (true, true) => $"Filled from the NPI registry: {FilledLabels}. {Lookup.Message}",
        (true, false) => $"Filled from the NPI registry: {FilledLabels}.",
        (false, true) => Lookup.Message,
        _ => null,
    };

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["firstName"] = "first name", ["lastName"] = "last name", ["taxonomyCode"] = "specialty", ["practiceName"] = "practice",
        ["addressLine"] = "address", ["zip"] = "ZIP",
    };

    private string FilledLabels => string.Join(", ", Filled.Select(f => Labels.GetValueOrDefault(f, f)));
}

/// <summary>A saved source and, when its NPI was new to it, what the NPI registry said.</summary>
public sealed record SourceSaved(ReferralSource Source, RegistryFill? Registry);

public sealed class SourceService(RapportDbContext db, PracticeClock time, RegistryLookup registry)
{
    public async Task<ReferralSource> CreateAsync(SourceInput input, CancellationToken cancellationToken = default) =>
        (await CreateWithRegistryAsync(input, cancellationToken)).Source;

    public async Task<ReferralSource> UpdateAsync(int id, SourceInput input, CancellationToken cancellationToken = default) =>
        (await UpdateWithRegistryAsync(id, input, cancellationToken)).Source;

    /// <summary>Creates a source, its blank fields filled from the NPI registry when the NPI is there (<see cref="FillBlanks"/>).</summary>
    public async Task<SourceSaved> CreateWithRegistryAsync(SourceInput input, CancellationToken cancellationToken = default)
    {
        var source = new ReferralSource { LastName = "" };
        var lookup = await ApplyAsync(source, input, cancellationToken);
        db.Sources.Add(source);
        await db.SaveChangesAsync(cancellationToken);
        return new SourceSaved(source, lookup);
    }

    /// <summary>Updates a source; when its NPI changes, blank fields are filled from the registry as for a new source.</summary>
    public async Task<SourceSaved> UpdateWithRegistryAsync(int id, SourceInput input, CancellationToken cancellationToken = default)
    {
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundException($"Source {id}");
        var lookup = await ApplyAsync(source, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new SourceSaved(source, lookup);
    }

    /// <summary>Archiving hides a source from lists but keeps its history; sources are never hard-deleted.</summary>
    public async Task SetArchivedAsync(int id, bool archived, CancellationToken cancellationToken = default)
    {
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundException($"Source {id}");
        source.ArchivedAt = archived ? source.ArchivedAt ?? time.GetUtcNow().UtcDateTime : null;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Checks and copies input onto a source; throws every problem at once. A source that is new, or
    /// whose NPI changes, has its blank fields filled from the NPI registry first; the answer is returned.
    /// </summary>
    public async Task<RegistryFill?> ApplyAsync(ReferralSource source, SourceInput input, CancellationToken cancellationToken)
    {
        RegistryLookupResult? lookup = null;
        IReadOnlyList<string> filled = [];
        if (Formats.Clean(input.Npi) is { } newNpi && Formats.IsValidNpi(newNpi) && (source.Id == 0 || newNpi != source.Npi))
        {
            lookup = await registry.FindAsync(newNpi, cancellationToken);
            var typed = input;
            input = FillBlanks(input, lookup.Fields);
            filled = FilledFields(typed, input);
        }
        var problems = new Problems();
        Check(input, problems, lookup);
        if (input.ClinicId is { } clinicId && !await db.Clinics.AnyAsync(c => c.Id == clinicId, cancellationToken))
        {
            problems.Add("clinicId", $"Clinic {clinicId} does not exist.");
        }
        if (Formats.Clean(input.OwnerUserId) is { } owner
            && !await db.Users.AnyAsync(u => u.Id == owner && u.OrganizationId == db.Organization.RequiredId, cancellationToken))
        {
            problems.Add("ownerUserId", "The relationship owner must be a user of this practice.");
        }
        problems.ThrowIfAny();
        // A repeated key is a conflict (409), not a malformed field; the unique index catches two requests that race past this.
        if (Formats.Clean(input.Npi) is { } npi && await db.Sources.AnyAsync(s => s.Npi == npi && s.Id != source.Id, cancellationToken))
        {
            throw new ConflictException("npi", npi, $"A source with NPI {npi} already exists.");
        }
        CopyOnto(source, input);
        return lookup is null ? null : new RegistryFill(lookup, filled);
    }

    /// <summary>The fields (camelCase, as the API names them) that <see cref="FillBlanks"/> set.</summary>
    public static IReadOnlyList<string> FilledFields(SourceInput typed, SourceInput filled)
    {
        var names = new List<string>();
        void Compare(string name, string? before, string? after)
        {
            if (Formats.Clean(before) is null && Formats.Clean(after) is not null)
            {
                names.Add(name);
            }
        }
        Compare("firstName", typed.FirstName, filled.FirstName);
        Compare("lastName", typed.LastName, filled.LastName);
        Compare("credential", typed.Credential, filled.Credential);
        Compare("taxonomyCode", typed.TaxonomyCode, filled.TaxonomyCode);
        Compare("practiceName", typed.PracticeName, filled.PracticeName);
        Compare("addressLine", typed.AddressLine, filled.AddressLine);
        Compare("city", typed.City, filled.City);
        Compare("state", typed.State, filled.State);
        Compare("zip", typed.Zip, filled.Zip);
        Compare("phone", typed.Phone, filled.Phone);
        Compare("fax", typed.Fax, filled.Fax);
        return names;
    }

    /// <summary>
    /// The autofill rule of every door (form, API, import): each field left blank takes the registry's
    /// value; whatever was typed wins. The specialty is one field: a typed code or specialty name keeps
    /// the registry's code out, since the code would otherwise decide the specialty.
    /// </summary>
    public static SourceInput FillBlanks(SourceInput input, RegistrySourceFields? registry)
    {
        if (registry is null)
        {
            return input;
        }
        var specialtyTyped = Formats.Clean(input.TaxonomyCode) is not null || Formats.Clean(input.Specialty) is not null;
        return input with
        {
            FirstName = Formats.Clean(input.FirstName) ?? registry.FirstName,
            LastName = Formats.Clean(input.LastName) ?? registry.LastName,
            Credential = Formats.Clean(input.Credential) ?? registry.Credential,
            TaxonomyCode = specialtyTyped ? input.TaxonomyCode : registry.TaxonomyCode,
            Specialty = specialtyTyped ? input.Specialty : registry.Specialty,
            PracticeName = Formats.Clean(input.PracticeName) ?? registry.PracticeName,
            AddressLine = Formats.Clean(input.AddressLine) ?? registry.AddressLine,
            City = Formats.Clean(input.City) ?? registry.City,
            State = Formats.Clean(input.State) ?? registry.State,
            Zip = Formats.Clean(input.Zip) ?? registry.Zip,
            Phone = Formats.Clean(input.Phone) ?? registry.Phone,
            Fax = Formats.Clean(input.Fax) ?? registry.Fax,
        };
    }

    /// <summary>
    /// Rules that need no database, shared with the CSV importer. <paramref name="registry"/> is the
    /// lookup of the NPI, when one was made: a missing name then says why the registry could not supply it.
    /// </summary>
    public static void Check(SourceInput input, Problems problems, RegistryLookupResult? registry = null)
    {
        FieldRules.Check<ReferralSource>(input, today: null, problems, nameof(SourceInput.Phone), nameof(SourceInput.Fax));
        if (registry is not null && string.IsNullOrWhiteSpace(input.LastName))
        {
            var reason = registry.Status switch
            {
                RegistryStatus.NotFound => $"NPI {registry.Npi} is not in the NPI registry to fill it from",
                RegistryStatus.NoRegistry => "no NPI registry is imported to fill it from (rapport import nppes)",
                _ => registry.Message.TrimEnd('.'),
            };
            problems.Add("lastName", $"Last name (or organization name) is required: {reason}.");
        }
        else
        {
            problems.Required("lastName", input.LastName, "Last name (or organization name)");
        }
        if (Formats.Clean(input.Npi) is { } npi && !Formats.IsValidNpi(npi))
        {
            problems.Add("npi", $"'{npi}' is not a valid NPI: ten digits whose last digit is the Luhn check digit (with the 80840 prefix).");
        }
        if (Formats.Clean(input.TaxonomyCode) is { } code && !SpecialtyCatalog.LooksLikeTaxonomyCode(code.ToUpperInvariant()))
        {
            problems.Add("taxonomyCode", $"'{code}' is not a NUCC taxonomy code (ten characters ending in X, e.g. 207X00000X).");
        }
        if (Formats.Clean(input.Email) is { } email && !Formats.IsValidEmail(email))
        {
            problems.Add("email", $"'{email}' is not a valid e-mail address.");
        }
        if (Formats.Clean(input.Phone) is { } phone && Formats.NormalizePhone(phone) is null)
        {
            problems.Add("phone", $"'{phone}' is not a US phone number (ten digits).");
        }
        if (Formats.Clean(input.Fax) is { } fax && Formats.NormalizePhone(fax) is null)
        {
            problems.Add("fax", $"'{fax}' is not a US fax number (ten digits).");
        }
        if (Formats.Clean(input.State) is { } state && (state.Length != 2 || !state.All(char.IsAsciiLetter)))
        {
            problems.Add("state", $"'{state}' is not a two-letter state code.");
        }
        if (Formats.Clean(input.Zip) is { } zip && !Formats.IsValidZip(zip))
        {
            problems.Add("zip", $"'{zip}' is not a ZIP code (5 or 9 digits).");
        }
        if (input.TouchCadenceDays is { } cadence && (cadence < 1 || cadence > 730))
        {
            problems.Add("touchCadenceDays", "Touch cadence must be between 1 and 730 days.");
        }
    }

    public static void CopyOnto(ReferralSource source, SourceInput input)
    {
        // A specialty given by name (API, import) gets its code when the name stands for exactly one
        // specialty under the pickers' matching rule; otherwise the text is kept as written.
        var code = Formats.Clean(input.TaxonomyCode)?.ToUpperInvariant() ?? SpecialtySearch.Resolve(input.Specialty)?.TaxonomyCode;
        source.Npi = Formats.Clean(input.Npi);
        source.FirstName = Formats.Clean(input.FirstName);
        source.LastName = input.LastName!.Trim();
        source.Credential = Formats.Clean(input.Credential);
        source.TaxonomyCode = code;
        // A NUCC code outside the referral catalogue (a cardiologist) keeps a readable specialty.
        source.Specialty = SpecialtyCatalog.Find(code)?.Category ?? Formats.Clean(input.Specialty) ?? (code is null ? null : NuccTaxonomy.Find(code)?.DisplayName);
        source.PracticeName = Formats.Clean(input.PracticeName);
        source.AddressLine = Formats.Clean(input.AddressLine);
        source.City = Formats.Clean(input.City);
        source.State = Formats.Clean(input.State)?.ToUpperInvariant();
        source.Zip = Formats.Clean(input.Zip);
        source.Phone = Formats.NormalizePhone(input.Phone);
        source.Fax = Formats.NormalizePhone(input.Fax);
        source.Email = Formats.Clean(input.Email);
        source.PreferredContactMethod = input.PreferredContactMethod;
        source.OwnerUserId = Formats.Clean(input.OwnerUserId);
        source.ClinicId = input.ClinicId;
        source.Status = input.Status ?? source.Status;
        source.TouchCadenceDays = input.TouchCadenceDays;
        source.ExpectsReferBacks = input.ExpectsReferBacks;
        source.Tags = Formats.Clean(input.Tags);
    }
}
