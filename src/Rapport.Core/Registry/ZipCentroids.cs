using System.Globalization;

namespace Rapport.Registry;

public readonly record struct GeoPoint(double Latitude, double Longitude);

/// <summary>
/// The Census ZCTA internal point of each five-digit ZIP (Reference/NOTICE.md;
/// ../shared/REFERENCES.md "Distance"). Columns are found by name, so the 2010 gazetteer (longitude
/// first) and the 2020+ ones (latitude first) read alike.
/// </summary>
public static class ZipCentroids
{
    private static readonly Lazy<IReadOnlyDictionary<string, GeoPoint>> Table = new(() =>
    {
        using var stream = typeof(ZipCentroids).Assembly.GetManifestResourceStream("Rapport.Registry.zcta_gazetteer.tsv")!;
        return Read(new StreamReader(stream));
    });

    public static int Count => Table.Value.Count;

    /// <summary>The point of a ZIP given as 5 digits, ZIP+4 with or without a hyphen; null when unknown.</summary>
    public static GeoPoint? Find(string? zip)
    {
        var zip5 = Zip5(zip);
        return zip5 is not null && Table.Value.TryGetValue(zip5, out var point) ? point : null;
    }

    /// <summary>The first five digits of a US postal code ("688472944", "68847-2944", "68847"), or null.</summary>
    public static string? Zip5(string? zip)
    {
        if (zip is null)
        {
            return null;
        }
        var trimmed = zip.Trim();
        return trimmed.Length >= 5 && trimmed.AsSpan(0, 5).ContainsAnyExceptInRange('0', '9') is false ? trimmed[..5] : null;
    }

    /// <summary>Reads a gazetteer file (tab-separated, header GEOID … INTPTLAT … INTPTLONG).</summary>
    public static IReadOnlyDictionary<string, GeoPoint> Read(TextReader reader)
    {
        var header = (reader.ReadLine() ?? "").Split('\t').Select(h => h.Trim()).ToList();
        int geoid = header.IndexOf("GEOID"), lat = header.IndexOf("INTPTLAT"), lon = header.IndexOf("INTPTLONG");
        if (geoid < 0 || lat < 0 || lon < 0)
        {
            throw new InvalidDataException("A ZCTA gazetteer needs the columns GEOID, INTPTLAT and INTPTLONG.");
        }
        var result = new Dictionary<string, GeoPoint>(40_000, StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split('\t');
            if (fields.Length <= Math.Max(geoid, Math.Max(lat, lon)))
            {
                continue;
            }
            result[fields[geoid].Trim()] = new GeoPoint(
                double.Parse(fields[lat], CultureInfo.InvariantCulture), double.Parse(fields[lon], CultureInfo.InvariantCulture));
        }
        return result;
    }
}

public static class GreatCircle
{
    /// <summary>Mean Earth radius, 3,958.8 miles (IUGG mean radius 6,371.0088 km).</summary>
    public const double EarthRadiusMiles = 3958.8;

    /// <summary>Haversine distance in statute miles.</summary>
    public static double Miles(GeoPoint a, GeoPoint b)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(b.Latitude - a.Latitude);
        var dLon = Radians(b.Longitude - a.Longitude);
        var h = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Radians(a.Latitude)) * Math.Cos(Radians(b.Latitude)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusMiles * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>
    /// The latitude/longitude box holding every point within <paramref name="miles"/> of the centre: the
    /// index range a radius search reads before the exact distance filter (no wrap at ±180°: US only).
    /// </summary>
    public static (double MinLatitude, double MaxLatitude, double MinLongitude, double MaxLongitude) BoundingBox(GeoPoint centre, double miles)
    {
        var dLat = miles / EarthRadiusMiles * 180 / Math.PI;
        var cos = Math.Cos(Math.Min(89.9, Math.Abs(centre.Latitude) + dLat) * Math.PI / 180);
        var dLon = dLat / Math.Max(cos, 1e-6);
        return (centre.Latitude - dLat, centre.Latitude + dLat, centre.Longitude - dLon, centre.Longitude + dLon);
    }
}
