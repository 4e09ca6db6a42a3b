using Rapport.Registry;

namespace Rapport.Tests.Registry;

/// <summary>The shipped NUCC taxonomy and ZCTA internal points, and the great-circle distance between clinics and prospects.</summary>
public sealed class ReferenceDataTests
{
    // Hand-computed from the gazetteer's internal points with the spherical law of cosines
    // (R = 3958.8 mi), a different formula from the haversine the code uses; the short pair also
    // checks by flat-earth arithmetic: 0.026644° of latitude × 69.093 mi/° = 1.8409 mi, plus
    // 0.000823° of longitude × cos 42.35° × 69.093 = 0.042 mi across → 1.841 mi.
    [Theory]
    [InlineData("90210", "10001", 2453.45)]   // Beverly Hills to Manhattan (Chelsea)
    [InlineData("68847", "68801", 40.12)]     // Kearney to Grand Island, Nebraska (the NPPES sample's first row)
    [InlineData("02115", "02139", 1.84)]      // Boston (Fenway) to Cambridge
    public void Distances_between_ZIP_internal_points_match_hand_computed_figures(string from, string to, double miles)
    {
        var a = ZipCentroids.Find(from)!.Value;
        var b = ZipCentroids.Find(to)!.Value;
        Assert.Equal(miles, GreatCircle.Miles(a, b), 0.01);
        Assert.Equal(GreatCircle.Miles(a, b), GreatCircle.Miles(b, a), 9);
    }

    [Fact]
    public void A_ZIP_is_found_in_any_of_its_written_forms_and_unknown_ones_are_null()
    {
        Assert.Equal(33_120, ZipCentroids.Count);
        var kearney = ZipCentroids.Find("68847")!.Value;
        Assert.Equal(40.76003, kearney.Latitude, 6);
        Assert.Equal(-99.017084, kearney.Longitude, 6);
        Assert.Equal(kearney, ZipCentroids.Find("688472944"));
        Assert.Equal(kearney, ZipCentroids.Find("68847-2944"));
        Assert.Null(ZipCentroids.Find("00000"));
        Assert.Null(ZipCentroids.Find("6884"));
        Assert.Null(ZipCentroids.Find("ABCDE"));
    }

    [Fact]
    public void A_2020_gazetteer_with_latitude_before_longitude_reads_the_same()
    {
        var table = ZipCentroids.Read(new StringReader(
            "GEOID\tALAND\tAWATER\tALAND_SQMI\tAWATER_SQMI\tINTPTLAT\tINTPTLONG\n68847\t1\t0\t1\t0\t40.76003\t-99.017084\n"));
        Assert.Equal(new GeoPoint(40.76003, -99.017084), table["68847"]);
    }

    [Fact]
    public void The_bounding_box_holds_every_point_of_the_radius()
    {
        var centre = ZipCentroids.Find("02115")!.Value;
        var box = GreatCircle.BoundingBox(centre, 25);
        foreach (var bearing in Enumerable.Range(0, 36).Select(i => i * 10 * Math.PI / 180))
        {
            // A point just inside 25 miles in every direction lies inside the box.
            var dLat = 24.99 / GreatCircle.EarthRadiusMiles * Math.Cos(bearing) * 180 / Math.PI;
            var dLon = 24.99 / GreatCircle.EarthRadiusMiles * Math.Sin(bearing) * 180 / Math.PI / Math.Cos(centre.Latitude * Math.PI / 180);
            var point = new GeoPoint(centre.Latitude + dLat, centre.Longitude + dLon);
            Assert.InRange(point.Latitude, box.MinLatitude, box.MaxLatitude);
            Assert.InRange(point.Longitude, box.MinLongitude, box.MaxLongitude);
        }
    }

    [Fact]
    public void Every_registry_taxonomy_has_a_display_name_and_a_group()
    {
        Assert.Equal(883, NuccTaxonomy.All.Count);
        var ortho = NuccTaxonomy.Find("207x00000x")!;
        Assert.Equal("Orthopaedic Surgery Physician", ortho.DisplayName);
        Assert.Equal("Orthopaedic surgery", ortho.Group);
        // A code outside the physical-therapy referral subset keeps its NUCC classification as group.
        var hospital = NuccTaxonomy.Find("282N00000X")!;
        Assert.Equal("General Acute Care Hospital", hospital.Classification);
        Assert.Equal(hospital.Classification, hospital.Group);
        Assert.Contains("207X00000X", NuccTaxonomy.CodesOfGroup("orthopaedic surgery"));
        Assert.Equal("", NuccTaxonomy.DisplayName(null));
    }

    [Fact]
    public void Physicians_at_one_address_share_an_address_key_however_it_is_typed()
    {
        Assert.Equal("3500 CENTRAL AVE 68847", RegistryArea.AddressKey("3500 Central Ave.", "688472944"));
        Assert.Equal(RegistryArea.AddressKey("3500 CENTRAL  AVE", "68847"), RegistryArea.AddressKey(" 3500 central ave. ", "68847-2944"));
        Assert.NotEqual(RegistryArea.AddressKey("3500 CENTRAL AVE", "68847"), RegistryArea.AddressKey("3501 CENTRAL AVE", "68847"));
        Assert.Null(RegistryArea.AddressKey("3500 CENTRAL AVE", null));
        Assert.Null(RegistryArea.AddressKey("  ", "68847"));
    }
}
