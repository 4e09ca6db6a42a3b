using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rapport.Data;
using Rapport.Organizations;

namespace Rapport.Registry;

/// <summary>A registry provider with its great-circle distance from a centre, in miles.</summary>
public sealed record NearbyProvider(RegistryProvider Provider, double Miles);

/// <summary>
/// The registry around a point: the one radius search prospects, coverage and the demo share. It reads
/// the (taxonomy, latitude, longitude) index range of the bounding box, then keeps the rows within the
/// exact great-circle radius. Deactivated NPIs and NPIs missing from the latest full file are left out.
/// </summary>
public static class RegistryArea
{
    /// <summary>The clinic's ZIP internal point, or null when its ZIP is missing or unknown.</summary>
    public static GeoPoint? LocationOf(Clinic clinic) => ZipCentroids.Find(clinic.Zip);

    /// <summary>
    /// The active providers of the codes within <paramref name="miles"/>, nearest first. Each row carries the
    /// columns a list shows (names, specialty, practice address, phones, point, address key); its dates and
    /// bookkeeping columns are left unset — read the row by NPI when they are needed.
    /// </summary>
    public static async Task<IReadOnlyList<NearbyProvider>> NearAsync(
        RapportDbContext db, GeoPoint centre, double miles, IReadOnlyCollection<string> taxonomyCodes, CancellationToken cancellationToken)
    {
        var box = GreatCircle.BoundingBox(centre, miles);
        var codes = taxonomyCodes.Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count == 0)
        {
            return [];
        }
        // A lean reader, not EF's materializer: a 25-mile radius in a city reads 10,000 rows, and EF's
        // per-row cost was ~10× the query's own (bench/prospects.sh). Same SQL on both databases.
        var rows = new List<NearbyProvider>();
        await ReadAsync(db, $"""
            SELECT {Columns} FROM "RegistryProviders"
            WHERE "TaxonomyCode" IN ({string.Join(", ", codes.Select((_, i) => $"@c{i}"))})
              AND "Latitude" >= @minLat AND "Latitude" <= @maxLat AND "Longitude" >= @minLon AND "Longitude" <= @maxLon
              AND "MissingSince" IS NULL
              AND ("DeactivationDate" IS NULL OR ("ReactivationDate" IS NOT NULL AND "ReactivationDate" >= "DeactivationDate"))
            """, [.. codes.Select((code, i) => ($"@c{i}", (object)code)),
                ("@minLat", box.MinLatitude), ("@maxLat", box.MaxLatitude), ("@minLon", box.MinLongitude), ("@maxLon", box.MaxLongitude)], reader =>
            {
                var provider = Read(reader);
                var distance = GreatCircle.Miles(centre, new GeoPoint(provider.Latitude!.Value, provider.Longitude!.Value));
                if (distance <= miles)
                {
                    rows.Add(new NearbyProvider(provider, distance));
                }
            }, cancellationToken);
        rows.Sort((a, b) => a.Miles != b.Miles ? a.Miles.CompareTo(b.Miles) : string.CompareOrdinal(a.Provider.Npi, b.Provider.Npi));
        return rows;
    }

    /// <summary>
    /// Active individuals at each of the addresses (<see cref="RegistryProvider.AddressKey"/>): the size of the
    /// group practising there, any specialty. Keys are looked up in chunks (index seeks), within the parameter limits of both databases.
    /// </summary>
    public static async Task<Dictionary<string, int>> IndividualsAtAsync(RapportDbContext db, IReadOnlyCollection<string> addressKeys, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var chunk in addressKeys.Distinct(StringComparer.Ordinal).Chunk(1_000))
        {
            await ReadAsync(db, $"""
                SELECT "AddressKey", COUNT(*) FROM "RegistryProviders"
                WHERE "AddressKey" IN ({string.Join(", ", chunk.Select((_, i) => $"@k{i}"))}) AND "EntityType" = 1 AND "MissingSince" IS NULL
                  AND ("DeactivationDate" IS NULL OR ("ReactivationDate" IS NOT NULL AND "ReactivationDate" >= "DeactivationDate"))
                GROUP BY "AddressKey"
                """, [.. chunk.Select((key, i) => ($"@k{i}", (object)key))],
                reader => counts[reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                cancellationToken);
        }
        return counts;
    }

    /// <summary>What a prospect list and coverage show; dates and bookkeeping stay out (parsing them was most of the read).</summary>
    private const string Columns = """
        "Npi", "EntityType", "BusinessName", "LastName", "FirstName", "MiddleName", "NamePrefix", "NameSuffix", "Credential", "TaxonomyCode",
        "AddressLine1", "AddressLine2", "City", "State", "PostalCode", "Zip5", "Phone", "Fax", "Latitude", "Longitude", "AddressKey"
        """;

    private static RegistryProvider Read(System.Data.Common.DbDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new RegistryProvider
        {
            Npi = r.GetString(0),
            EntityType = r.IsDBNull(1) ? null : (RegistryEntityType)Convert.ToByte(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
            BusinessName = Text(2), LastName = Text(3), FirstName = Text(4), MiddleName = Text(5), NamePrefix = Text(6), NameSuffix = Text(7),
            Credential = Text(8), TaxonomyCode = Text(9), AddressLine1 = Text(10), AddressLine2 = Text(11), City = Text(12), State = Text(13),
            PostalCode = Text(14), Zip5 = Text(15), Phone = Text(16), Fax = Text(17), Latitude = r.GetDouble(18), Longitude = r.GetDouble(19),
            AddressKey = Text(20),
        };
    }

    private static async Task ReadAsync(RapportDbContext db, string sql, IEnumerable<(string Name, object Value)> parameters,
        Action<System.Data.Common.DbDataReader> each, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                each(reader);
            }
        }
        finally
        {
            // Closes only what OpenConnectionAsync opened: a connection EF or the caller holds stays open.
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Upper-cased first address line and ZIP5, punctuation dropped and spaces collapsed:
    /// "3500 Central Ave." and "3500 CENTRAL AVE" at 68847 are one address.
    /// </summary>
    public static string? AddressKey(string? addressLine1, string? zip)
    {
        var zip5 = ZipCentroids.Zip5(zip);
        if (string.IsNullOrWhiteSpace(addressLine1) || zip5 is null)
        {
            return null;
        }
        var builder = new System.Text.StringBuilder(addressLine1.Length + 6);
        var space = false;
        foreach (var c in addressLine1.Trim())
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }
                builder.Append(char.ToUpperInvariant(c));
                space = false;
            }
            else if (char.IsWhiteSpace(c))
            {
                space = true;
            }
        }
        return builder.Length == 0 ? null : $"{builder} {zip5}";
    }
}
