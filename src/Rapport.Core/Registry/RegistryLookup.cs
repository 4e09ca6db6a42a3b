using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Sources;

namespace Rapport.Registry;

/// <summary>What the registry says about one NPI.</summary>
public enum RegistryStatus
{
    /// <summary>In the latest registry file and active.</summary>
    Found,
    /// <summary>Deactivated by CMS (and not reactivated since): it may still be added, with a warning.</summary>
    Deactivated,
    /// <summary>Absent from the latest full registry file since <see cref="RegistryLookupResult.MissingSince"/>.</summary>
    Missing,
    /// <summary>The registry has no row for the NPI.</summary>
    NotFound,
    /// <summary>No registry has been imported at all, so nothing can be looked up.</summary>
    NoRegistry,
}

/// <summary>A registry row mapped onto the fields of a referral source (the names of <see cref="SourceInput"/>).</summary>
public sealed record RegistrySourceFields
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Credential { get; init; }
    public string? TaxonomyCode { get; init; }
    /// <summary>As a source stores it: the referral category for a code of the catalogue, else the NUCC display name.</summary>
    public string? Specialty { get; init; }
    /// <summary>The NUCC display name of the code ("Orthopaedic Surgery Physician"), for showing.</summary>
    public string? SpecialtyName { get; init; }
    public string? PracticeName { get; init; }
    public string? AddressLine { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    /// <summary>Five digits, or ZIP+4 written 12345-6789.</summary>
    public string? Zip { get; init; }
    public string? Phone { get; init; }
    public string? Fax { get; init; }
}

/// <summary>The answer to "what does the registry know about this NPI?" (page, API, CLI, the source save rule).</summary>
public sealed record RegistryLookupResult(
    string Npi,
    RegistryStatus Status,
    DateOnly? DeactivatedOn,
    DateOnly? MissingSince,
    RegistryProvider? Provider,
    RegistrySourceFields? Fields)
{
    /// <summary>Fields to fill from: present for a row the registry has, deactivated or missing rows included.</summary>
    public bool HasFields => Fields is not null;

    /// <summary>Whether saving a source with this NPI deserves a warning (deactivated or gone from the registry).</summary>
    public bool IsWarning => Status is RegistryStatus.Deactivated or RegistryStatus.Missing;

    public string Message => Status switch
    {
        RegistryStatus.Found => $"NPI {Npi} is in the NPI registry.",
        RegistryStatus.Deactivated => $"NPI {Npi} was deactivated on {DeactivatedOn:yyyy-MM-dd} (NPI registry).",
        RegistryStatus.Missing => $"NPI {Npi} is missing from the latest NPI registry file (since {MissingSince:yyyy-MM-dd}).",
        RegistryStatus.NotFound => $"NPI {Npi} is not in the NPI registry.",
        _ => "No NPI registry has been imported (rapport import nppes), so nothing can be filled in from it.",
    };
}

/// <summary>
/// Looks an NPI up in the public registry (<see cref="RegistryProvider"/>, shared by every practice) and
/// maps the row onto a source: the one rule behind the form's autofill, the API, the CLI and the save
/// rule in <see cref="SourceService"/>.
/// </summary>
public sealed class RegistryLookup(RapportDbContext db)
{
    public async Task<RegistryLookupResult> FindAsync(string npi, CancellationToken cancellationToken = default)
    {
        npi = npi.Trim();
        var row = await db.RegistryProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Npi == npi, cancellationToken);
        if (row is null)
        {
            return ResultOf(npi, null, await db.RegistryProviders.AnyAsync(cancellationToken));
        }
        return ResultOf(npi, row, registryImported: true);
    }

    /// <summary>The answer for a row already read (or none); <paramref name="registryImported"/> tells "not found" from "no registry".</summary>
    public static RegistryLookupResult ResultOf(string npi, RegistryProvider? row, bool registryImported)
    {
        if (row is null)
        {
            return new RegistryLookupResult(npi, registryImported ? RegistryStatus.NotFound : RegistryStatus.NoRegistry, null, null, null, null);
        }
        var status = row.IsDeactivated ? RegistryStatus.Deactivated : row.MissingSince is not null ? RegistryStatus.Missing : RegistryStatus.Found;
        // A deactivated NPI's row in the file carries only the NPI and the date: nothing to fill.
        var fields = MapToSource(row);
        return new RegistryLookupResult(npi, status, row.IsDeactivated ? row.DeactivationDate : null, row.MissingSince, row,
            fields.LastName is null && fields.TaxonomyCode is null && fields.AddressLine is null ? null : fields);
    }

    /// <summary>A registry row as a source's fields: names in title case, credential tidied, phones as the app writes them.</summary>
    public static RegistrySourceFields MapToSource(RegistryProvider row)
    {
        var organization = row.EntityType == RegistryEntityType.Organization;
        var code = Formats.Clean(row.TaxonomyCode)?.ToUpperInvariant();
        var nucc = NuccTaxonomy.Find(code);
        var business = RegistryText.TitleCase(row.BusinessName);
        return new RegistrySourceFields
        {
            FirstName = organization ? null : RegistryText.TitleCase(row.FirstName),
            LastName = organization ? business : RegistryText.TitleCase(row.LastName),
            Credential = organization ? null : TidyCredential(row.Credential),
            TaxonomyCode = code,
            Specialty = code is null ? null : SpecialtyCatalog.Find(code)?.Category ?? nucc?.DisplayName ?? code,
            SpecialtyName = code is null ? null : nucc?.DisplayName ?? code,
            PracticeName = organization ? business : null,
            AddressLine = RegistryText.TitleCase(JoinLines(row.AddressLine1, row.AddressLine2)),
            City = RegistryText.TitleCase(row.City),
            State = Formats.Clean(row.State)?.ToUpperInvariant() is { Length: 2 } state ? state : null,
            Zip = Zip(row.PostalCode),
            Phone = Formats.NormalizePhone(row.Phone),
            Fax = Formats.NormalizePhone(row.Fax),
        };
    }

    private static string? JoinLines(string? line1, string? line2) =>
        (Formats.Clean(line1), Formats.Clean(line2)) switch
        {
            ({ } a, { } b) => $"{a}, {b}",
            ({ } a, null) => a,
            (null, var b) => b,
        };

    /// <summary>The registry writes ZIP+4 as nine digits; a source writes it 12345-6789 (both pass <see cref="Formats.IsValidZip"/>).</summary>
    public static string? Zip(string? postalCode)
    {
        var digits = Formats.Clean(postalCode)?.Replace("-", "", StringComparison.Ordinal);
        return digits switch
        {
            { Length: 5 } when digits.All(char.IsAsciiDigit) => digits,
            { Length: 9 } when digits.All(char.IsAsciiDigit) => $"{digits[..5]}-{digits[5..]}",
            _ => null,
        };
    }

    private static readonly Dictionary<string, string> KnownCredentials = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MD"] = "MD", ["DO"] = "DO", ["DPM"] = "DPM", ["DC"] = "DC", ["DDS"] = "DDS", ["DMD"] = "DMD", ["OD"] = "OD",
        ["PHD"] = "PhD", ["PSYD"] = "PsyD", ["DPT"] = "DPT", ["PT"] = "PT", ["MBBS"] = "MBBS", ["NP"] = "NP", ["FNP"] = "FNP",
        ["APRN"] = "APRN", ["CNM"] = "CNM", ["PA"] = "PA", ["PAC"] = "PA-C", ["RN"] = "RN", ["MPH"] = "MPH", ["FACS"] = "FACS",
        ["OTR"] = "OTR", ["ATC"] = "ATC", ["LAC"] = "LAc",
    };

    /// <summary>
    /// "M.D." → "MD", "M. D." → "MD", "m.d., ph.d." → "MD, PhD". Text with any part Rapport does not
    /// recognize is kept as the provider typed it (trimmed): a guess would be worse than the original.
    /// </summary>
    public static string? TidyCredential(string? credential)
    {
        if (Formats.Clean(credential) is not { } text)
        {
            return null;
        }
        var parts = text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tidy = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            var key = new string(part.Where(c => c != '.' && c != ' ' && c != '-').ToArray());
            if (!KnownCredentials.TryGetValue(key, out var known))
            {
                return text;
            }
            tidy.Add(known);
        }
        return tidy.Count == 0 ? text : string.Join(", ", tidy);
    }
}

/// <summary>The registry's capitals made readable for a source's fields.</summary>
public static class RegistryText
{
    private static readonly HashSet<string> KeptUpper = new(StringComparer.Ordinal)
    {
        // Compass points, Roman numerals and company forms read wrong in title case.
        "N", "S", "E", "W", "NE", "NW", "SE", "SW", "II", "III", "IV", "VI", "VII", "VIII", "LLC", "PLLC", "LLP", "PC", "PA", "PLC", "USA", "PO",
    };

    /// <summary>
    /// "WIEBE" → "Wiebe", "3500 CENTRAL AVE" → "3500 Central Ave", "MCCORD" → "McCord", "O'NEIL" → "O'Neil",
    /// "25TH" → "25th". Text that already has lower-case letters was typed with care and is kept.
    /// </summary>
    public static string? TitleCase(string? value)
    {
        if (Formats.Clean(value) is not { } text)
        {
            return null;
        }
        if (text.Any(char.IsLower))
        {
            return text;
        }
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = Word(words[i]);
        }
        return string.Join(' ', words);
    }

    private static string Word(string word)
    {
        var bare = word.TrimEnd(',', '.');
        if (KeptUpper.Contains(bare))
        {
            return word;
        }
        if (word.Length > 0 && char.IsAsciiDigit(word[0]))
        {
            // Ordinals read "25th"; a unit like "1C" stays as written.
            return word.EndsWith("ST", StringComparison.Ordinal) || word.EndsWith("ND", StringComparison.Ordinal)
                || word.EndsWith("RD", StringComparison.Ordinal) || word.EndsWith("TH", StringComparison.Ordinal)
                ? word.ToLowerInvariant() : word;
        }
        var chars = word.ToLowerInvariant().ToCharArray();
        var start = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsLetter(chars[i]))
            {
                if (start)
                {
                    chars[i] = char.ToUpperInvariant(chars[i]);
                }
                start = false;
            }
            else
            {
                start = chars[i] is '\'' or '-' or '/' or '(' or '&';
            }
        }
        // "Mc" names capitalize the next letter (McCord, McDonald).
        if (chars.Length > 3 && chars[0] == 'M' && chars[1] == 'c' && char.IsLetter(chars[2]))
        {
            chars[2] = char.ToUpperInvariant(chars[2]);
        }
        return new string(chars);
    }
}
