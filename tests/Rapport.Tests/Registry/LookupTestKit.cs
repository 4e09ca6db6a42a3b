using Rapport.Common;
using Rapport.Data;
using Rapport.Registry;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Registry;

/// <summary>Registry rows written straight into the shared table, for the lookup and coverage tests.</summary>
internal static class LookupTestKit
{
    private static int counter = 310_000_000;

    public static string NextNpi() => Formats.NpiWithCheckDigit(Interlocked.Increment(ref counter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Dr. David Wiebe, the NPPES sample's first row (orthopaedic surgeon in Kearney, Nebraska), as the importer stores it.</summary>
    public static RegistryProvider Wiebe(string npi) => new()
    {
        Npi = npi, EntityType = RegistryEntityType.Individual, LastName = "WIEBE", FirstName = "DAVID", MiddleName = "A", Credential = "M.D.",
        TaxonomyCode = "207X00000X", AddressLine1 = "3500 CENTRAL AVE", City = "KEARNEY", State = "NE", PostalCode = "688472944", Zip5 = "68847",
        CountryCode = "US", Phone = "3088652512", Fax = "3088652506", Gender = "M",
        EnumerationDate = new DateOnly(2005, 5, 23), LastUpdateDate = new DateOnly(2007, 7, 8),
        Latitude = 40.76003, Longitude = -99.017084, AddressKey = "3500 CENTRAL AVE 68847", UpdatedAt = TestClock.UtcNow,
    };

    /// <summary>An individual physician <paramref name="milesNorth"/> miles due north of <paramref name="centre"/>.</summary>
    public static RegistryProvider Physician(string npi, string taxonomyCode, GeoPoint centre, double milesNorth, string lastName = "DOE") => new()
    {
        Npi = npi, EntityType = RegistryEntityType.Individual, LastName = lastName, FirstName = "JANE", Credential = "MD", TaxonomyCode = taxonomyCode,
        AddressLine1 = "1 MAIN ST", City = "KEARNEY", State = "NE", PostalCode = "68847", Zip5 = "68847",
        Latitude = centre.Latitude + milesNorth / GreatCircle.EarthRadiusMiles * 180 / Math.PI, Longitude = centre.Longitude,
        UpdatedAt = TestClock.UtcNow,
    };

    public static async Task AddAsync(RapportApp app, params RegistryProvider[] rows)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        db.RegistryProviders.AddRange(rows);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
