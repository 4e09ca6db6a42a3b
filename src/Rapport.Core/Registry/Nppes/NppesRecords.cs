using System.Globalization;

namespace Rapport.Registry.Nppes;

/// <summary>The checks every record passes and the mapping of a kept one to <see cref="RegistryProvider"/>, on the reader's bytes.</summary>
public static class NppesRecords
{
    /// <summary>
    /// The first problem of a well-quoted record (field count, NPI check digit, entity type, a date, a
    /// field too long for its column), as "column name: problem", or null when the record is good.
    /// </summary>
    public static string? Problem(NppesReader reader, NppesLayout layout)
    {
        if (reader.FieldCount != layout.ColumnCount)
        {
            return $"{reader.FieldCount:N0} fields where the header has {layout.ColumnCount:N0}";
        }
        var npi = reader.Field(layout.Npi);
        if (!IsValidNpi(npi))
        {
            return $"NPI: '{Shorten(reader.Text(layout.Npi))}' is not a valid NPI (ten digits ending in the Luhn check digit)";
        }
        var entity = reader.Field(layout.EntityType);
        if (!(entity.IsEmpty || (entity.Length == 1 && entity[0] is (byte)'1' or (byte)'2')))
        {
            return $"{layout.Names[layout.EntityType]}: '{Shorten(reader.Text(layout.EntityType))}' is not 1 (individual) or 2 (organization)";
        }
        foreach (var column in layout.DateColumns)
        {
            if (!TryParseDate(reader.Field(column), out _))
            {
                return $"{layout.Names[column]}: '{Shorten(reader.Text(column))}' is not a date (MM/DD/YYYY)";
            }
        }
        var maxBytes = layout.MaxBytes;
        for (var i = 0; i < maxBytes.Length; i++)
        {
            var length = reader.Field(i).Length;
            if (length > maxBytes[i])
            {
                return $"{layout.Names[i]}: {length:N0} characters, longer than the {maxBytes[i]:N0} the column allows";
            }
        }
        return null;
    }

    /// <summary>Ten ASCII digits whose last is the Luhn check digit over "80840" and the first nine (as <see cref="Common.Formats.IsValidNpi"/>).</summary>
    public static bool IsValidNpi(ReadOnlySpan<byte> npi)
    {
        if (npi.Length != 10)
        {
            return false;
        }
        // 24 is the Luhn sum of the card-issuer prefix 80840 that every NPI implicitly carries.
        var sum = 24;
        for (var i = 0; i < 10; i++)
        {
            var digit = npi[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }
            if (i < 9 && i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }
            if (i < 9)
            {
                sum += digit;
            }
        }
        return (10 - (sum % 10)) % 10 == npi[9] - '0';
    }

    /// <summary>The first nine digits of a valid NPI as a number: the key of the seen-NPI set.</summary>
    public static long NpiBody(ReadOnlySpan<byte> npi)
    {
        long value = 0;
        for (var i = 0; i < 9; i++)
        {
            value = value * 10 + (npi[i] - '0');
        }
        return value;
    }

    /// <summary>Empty (null) or MM/DD/YYYY that is a real date.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out DateOnly? date)
    {
        date = null;
        if (text.IsEmpty)
        {
            return true;
        }
        if (text.Length != 10 || text[2] != (byte)'/' || text[5] != (byte)'/')
        {
            return false;
        }
        if (!TryDigits(text[..2], out var month) || !TryDigits(text.Slice(3, 2), out var day) || !TryDigits(text[6..], out var year))
        {
            return false;
        }
        if (year < 1900 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>The date of a field already checked by <see cref="Problem"/>.</summary>
    private static DateOnly? Date(ReadOnlySpan<byte> text) => TryParseDate(text, out var date) ? date : null;

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }
            value = value * 10 + digit;
        }
        return true;
    }

    /// <summary>The 0-based taxonomy slot whose primary switch is Y, else the first filled one, else -1.</summary>
    public static int PrimaryTaxonomySlot(NppesReader reader, NppesLayout layout)
    {
        var first = -1;
        for (var slot = 0; slot < NppesLayout.TaxonomySlots; slot++)
        {
            var code = reader.Field(layout.TaxonomyCode[slot]);
            if (code.IsEmpty)
            {
                continue;
            }
            var primary = reader.Field(layout.PrimarySwitch[slot]);
            if (primary.Length == 1 && (primary[0] | 0x20) == 'y')
            {
                return slot;
            }
            if (first < 0)
            {
                first = slot;
            }
        }
        return first;
    }

    /// <summary>Deactivated and not reactivated since (the dates are already checked).</summary>
    public static bool IsDeactivated(NppesReader reader, NppesLayout layout)
    {
        var off = Date(reader.Field(layout.DeactivationDate));
        if (off is null)
        {
            return false;
        }
        var on = Date(reader.Field(layout.ReactivationDate));
        return on is null || on < off;
    }

    /// <summary>The registry row of a good record: the ~25 fields kept, the rest never leave the buffer.</summary>
    public static RegistryProvider ToProvider(NppesReader reader, NppesLayout layout, DateTime updatedAt)
    {
        var enumerated = Date(reader.Field(layout.EnumerationDate));
        var updated = Date(reader.Field(layout.LastUpdateDate));
        var deactivated = Date(reader.Field(layout.DeactivationDate));
        var reactivated = Date(reader.Field(layout.ReactivationDate));
        var entity = reader.Field(layout.EntityType);
        var slot = PrimaryTaxonomySlot(reader, layout);
        var postal = reader.Text(layout.PostalCode);
        var country = reader.Text(layout.CountryCode);
        // ZIP centroids are US ZCTAs: a foreign postal code that happens to be five digits is no ZIP.
        var zip5 = country is null or "US" ? ZipCentroids.Zip5(postal) : null;
        var point = zip5 is null ? null : ZipCentroids.Find(zip5);
        var line1 = reader.Text(layout.AddressLine1);
        var provider = new RegistryProvider
        {
            Npi = reader.Text(layout.Npi)!,
            EntityType = entity.IsEmpty ? null : (RegistryEntityType)(entity[0] - '0'),
            BusinessName = reader.Text(layout.BusinessName),
            LastName = reader.Text(layout.LastName),
            FirstName = reader.Text(layout.FirstName),
            MiddleName = reader.Text(layout.MiddleName),
            NamePrefix = reader.Text(layout.NamePrefix),
            NameSuffix = reader.Text(layout.NameSuffix),
            Credential = reader.Text(layout.Credential),
            TaxonomyCode = slot < 0 ? null : reader.Text(layout.TaxonomyCode[slot])?.ToUpperInvariant(),
            AddressLine1 = line1,
            AddressLine2 = reader.Text(layout.AddressLine2),
            City = reader.Text(layout.City),
            State = reader.Text(layout.State),
            PostalCode = postal,
            Zip5 = zip5,
            CountryCode = country,
            Phone = reader.Text(layout.Phone),
            Fax = reader.Text(layout.Fax),
            Gender = reader.Text(layout.Gender),
            EnumerationDate = enumerated,
            LastUpdateDate = updated,
            DeactivationDate = deactivated,
            ReactivationDate = reactivated,
            Latitude = point?.Latitude,
            Longitude = point?.Longitude,
            AddressKey = zip5 is null ? null : RegistryArea.AddressKey(line1, zip5),
            UpdatedAt = updatedAt,
        };
        provider.ContentHash = ContentHash(provider);
        return provider;
    }

    /// <summary>
    /// The bare row of a deactivated NPI (the file then carries only the NPI and the dates): what is
    /// merged into an existing row, which keeps its name and address so a lookup can still say who it was.
    /// </summary>
    public static RegistryProvider ToDeactivation(NppesReader reader, NppesLayout layout, DateTime updatedAt)
    {
        var deactivated = Date(reader.Field(layout.DeactivationDate));
        var reactivated = Date(reader.Field(layout.ReactivationDate));
        var provider = new RegistryProvider
        {
            Npi = reader.Text(layout.Npi)!, DeactivationDate = deactivated, ReactivationDate = reactivated, UpdatedAt = updatedAt,
        };
        provider.ContentHash = ContentHash(provider);
        return provider;
    }

    /// <summary>
    /// FNV-1a 64 over every stored column (not string.GetHashCode, which changes per process): the same
    /// row hashes the same in every run, so an unchanged row is never written.
    /// </summary>
    public static long ContentHash(RegistryProvider p)
    {
        var hash = 14695981039346656037UL;
        void Add(string? value)
        {
            if (value is null)
            {
                hash = (hash ^ 0xFF) * 1099511628211UL;
                return;
            }
            foreach (var c in value)
            {
                hash = (hash ^ (byte)c) * 1099511628211UL;
                hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
            }
            hash = (hash ^ 0x1F) * 1099511628211UL;
        }
        void AddDate(DateOnly? date) => Add(date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        void AddNumber(double? value) => Add(value?.ToString("R", CultureInfo.InvariantCulture));
        Add(p.Npi);
        Add(p.EntityType is { } e ? ((int)e).ToString(CultureInfo.InvariantCulture) : null);
        Add(p.BusinessName); Add(p.LastName); Add(p.FirstName); Add(p.MiddleName); Add(p.NamePrefix); Add(p.NameSuffix); Add(p.Credential);
        Add(p.TaxonomyCode); Add(p.AddressLine1); Add(p.AddressLine2); Add(p.City); Add(p.State); Add(p.PostalCode); Add(p.Zip5);
        Add(p.CountryCode); Add(p.Phone); Add(p.Fax); Add(p.Gender);
        AddDate(p.EnumerationDate); AddDate(p.LastUpdateDate); AddDate(p.DeactivationDate); AddDate(p.ReactivationDate);
        AddNumber(p.Latitude); AddNumber(p.Longitude); Add(p.AddressKey);
        return unchecked((long)hash);
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";
}
