using Microsoft.EntityFrameworkCore;
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

    public static async Task<IReadOnlyList<NearbyProvider>> NearAsync(
        RapportDbContext db, GeoPoint centre, double miles, IReadOnlyCollection<string> taxonomyCodes, CancellationToken cancellationToken)
    {
        var box = GreatCircle.BoundingBox(centre, miles);
        var codes = taxonomyCodes.ToList();
        var rows = await db.RegistryProviders.AsNoTracking()
            .Where(p => p.TaxonomyCode != null && codes.Contains(p.TaxonomyCode)
                && p.Latitude >= box.MinLatitude && p.Latitude <= box.MaxLatitude
                && p.Longitude >= box.MinLongitude && p.Longitude <= box.MaxLongitude
                && p.MissingSince == null
                && (p.DeactivationDate == null || (p.ReactivationDate != null && p.ReactivationDate >= p.DeactivationDate)))
            .ToListAsync(cancellationToken);
        return [.. rows
            .Select(p => new NearbyProvider(p, GreatCircle.Miles(centre, new GeoPoint(p.Latitude!.Value, p.Longitude!.Value))))
            .Where(n => n.Miles <= miles)
            .OrderBy(n => n.Miles).ThenBy(n => n.Provider.Npi, StringComparer.Ordinal)];
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
