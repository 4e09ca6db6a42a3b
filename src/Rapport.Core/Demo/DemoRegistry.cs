using System.Globalization;
using Rapport.Common;
using Rapport.Registry;
using Rapport.Sources;

namespace Rapport.Demo;

/// <summary>
/// A small generated NPI registry around the demo's clinics, so the prospects page has content on
/// <c>serve --demo</c>. Public data, not the practice's: it is written only when the registry table is
/// empty (a real NPPES import is never overwritten) and is shared by every practice like an import.
/// Deterministic from the seed: one registry per metro (not per clinic, so <c>--scale large</c> stays
/// bounded), with physicians in practices of one to eight at ZIPs within 25 miles of the metro's first
/// clinic, weighted toward primary care and orthopaedics as real referral markets are; a few
/// organizations and deactivated NPIs as in the NPPES file; every demo source with an NPI at its own
/// address; and Dr. House's partners: four orthopaedic and sports-medicine physicians at his exact
/// address who do not refer yet, the source text's story of targeting specific providers.
/// </summary>
internal static class DemoRegistry
{
    public const string Table = "RegistryProviders";

    /// <summary>Generated physicians per metro: a few hundred for the small demo, fewer per metro for the network.</summary>
    public static int PhysiciansPerMetro(DemoScale scale) => scale == DemoScale.Small ? 240 : 120;

    /// <summary>Outside the sources' NPI range (100,000,000–189,999,999 and Dr. House's 198765432), so none collides.</summary>
    private const int FirstGeneratedNpiDigits = 191_000_000;

    private const double RadiusMiles = 25;

    /// <summary>Dr. House's partners: at his address, in his group, not sources of the practice.</summary>
    public static readonly (string First, string Last, string Credential, string Taxonomy, string Gender)[] HousePartners =
    [
        ("Robert", "Chase", "M.D.", "207X00000X", "M"),
        ("Chris", "Taub", "M.D.", "207XS0114X", "M"),
        ("Allison", "Cameron", "M.D.", "207QS0010X", "F"),
        ("Lawrence", "Kutner", "D.O.", "207XX0005X", "M"),
    ];

    /// <summary>Specialty families a practice draws its members from; the weight is how common such practices are.</summary>
    private static readonly (double Weight, string[] Codes, string[] Credentials, string[] Names)[] Families =
    [
        (30, ["207Q00000X", "207Q00000X", "207R00000X", "363LF0000X", "208D00000X"], ["M.D.", "D.O.", "MD"], ["{City} Family Medicine", "{Last} Family Practice", "{City} Primary Care"]),
        (22, ["207R00000X", "207R00000X", "207RG0300X", "207RR0500X"], ["M.D.", "MD", "D.O."], ["{City} Internal Medicine", "{Last} Internal Medicine Group"]),
        (14, ["207X00000X", "207X00000X", "207XS0114X", "207XS0117X", "207XX0005X", "363A00000X"], ["M.D.", "D.O."], ["{City} Orthopaedic Group", "{Last} Orthopedics", "Inland Bone & Joint"]),
        (5, ["207QS0010X", "204C00000X", "207XX0005X"], ["M.D.", "D.O."], ["{City} Sports Medicine", "Peak Sports & Spine"]),
        (8, ["208000000X"], ["M.D.", "D.O."], ["{City} Pediatrics", "Little Steps Pediatrics"]),
        (7, ["207V00000X", "207V00000X", "207VX0000X", "208800000X"], ["M.D.", "D.O."], ["{City} Women's Health", "{Last} OB/GYN"]),
        (3, ["208800000X"], ["M.D."], ["{City} Urology"]),
        (4, ["2084N0400X", "2084N0400X", "207T00000X"], ["M.D.", "D.O."], ["{City} Neurology", "Brain & Spine of {City}"]),
        (4, ["208100000X", "208VP0014X"], ["M.D.", "D.O."], ["{City} Spine & Rehab", "{City} Pain Management"]),
        (2, ["208VP0014X", "207LP2900X"], ["M.D."], ["Interventional Pain of {City}"]),
        (3, ["213E00000X"], ["DPM", "D.P.M."], ["{City} Podiatry", "{Last} Foot & Ankle"]),
        (3, ["111N00000X"], ["DC", "D.C."], ["{Last} Chiropractic"]),
        (2, ["207P00000X"], ["M.D.", "D.O."], ["{City} Urgent Care"]),
    ];

    private static readonly string[] ExtraStreets = ["Park Ave", "Medical Center Dr", "Hospital Pkwy", "Oak St", "Pine St", "Mission Blvd", "Grand Ave", "Ridge Rd"];

    /// <summary>The registry's rows for this demo, in NPI order of generation (sources first, then generated practices).</summary>
    public static IEnumerable<object?[]> Rows(int seed, DemoScale scale, DemoPlan plan, IReadOnlyList<DemoSeeder.ClinicSpec> clinics, DateOnly today, DateTime now)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in plan.Sources)
        {
            if (written.Add(source.Npi))
            {
                yield return SourceRow(source, today, now);
            }
        }

        var zctas = new Lazy<IReadOnlyDictionary<string, GeoPoint>>(ReadZctas);
        var npi = FirstGeneratedNpiDigits;
        var house = plan.Sources.FirstOrDefault(s => s.IsHouse);
        if (house is not null)
        {
            var (line1, line2) = SplitSuite(house.AddressLine);
            foreach (var partner in HousePartners)
            {
                var random = new Random(DemoPlan.Mix(seed, 41, npi));
                yield return Row(Formats.NpiWithCheckDigit(Digits(npi++)), RegistryEntityType.Individual, null, partner.Last.ToUpperInvariant(),
                    partner.First.ToUpperInvariant(), partner.Credential,
                    partner.Taxonomy, line1, line2, house.Metro.City, house.Metro.State, house.Zip, Digits10(house.Phone), Digits10(house.Fax), partner.Gender,
                    Enumerated(random, today), today, now);
            }
        }
        // A colleague or two at the address of a few busy referrers: their partners are warm prospects too.
        var busiest = plan.Sources.Where(s => !s.IsHouse && s.Kind.IsPerson && s.Status == SourceStatus.Active)
            .OrderByDescending(s => s.MonthlyRate).ThenBy(s => s.Id).Take(scale == DemoScale.Small ? 6 : 30).ToList();
        foreach (var source in busiest)
        {
            var random = new Random(DemoPlan.Mix(seed, 42, source.Index));
            var (line1, line2) = SplitSuite(source.AddressLine);
            for (var i = 1 + random.Next(2); i > 0; i--)
            {
                yield return Person(random, Formats.NpiWithCheckDigit(Digits(npi++)), source.Kind.TaxonomyCode, [.. source.Kind.Credentials.Select(Dotted)],
                    line1, line2, source.Metro.City, source.Metro.State, source.Zip, Digits10(source.Phone), Digits10(source.Fax), today, now);
            }
        }

        var metros = clinics.GroupBy(c => c.Metro.City).Select(g => g.First()).ToList();
        for (var m = 0; m < metros.Count; m++)
        {
            var clinic = metros[m];
            if (ZipCentroids.Find(clinic.Zip) is not { } centre)
            {
                continue;
            }
            var random = new Random(DemoPlan.Mix(seed, 40, m));
            // ZCTAs within the radius, nearer ones likelier: most physicians cluster around the town's centre.
            var near = zctas.Value.Select(z => (Zip: z.Key, Miles: GreatCircle.Miles(centre, z.Value)))
                .Where(z => z.Miles <= RadiusMiles).OrderBy(z => z.Miles).ThenBy(z => z.Zip, StringComparer.Ordinal).ToList();
            var zipWeights = near.Select(z => 1 / (1 + z.Miles / 4)).ToArray();
            var familyWeights = Families.Select(f => f.Weight).ToArray();
            var target = PhysiciansPerMetro(scale);
            var made = 0;
            while (made < target)
            {
                var family = Families[Pick(random, familyWeights)];
                var zip = near.Count == 0 ? clinic.Zip : near[Pick(random, zipWeights)].Zip;
                var size = random.NextDouble() switch { < 0.45 => 1, < 0.65 => 2, < 0.80 => 3 + random.Next(2), _ => 5 + random.Next(4) };
                var street = random.Next(3) == 0 ? ExtraStreets[random.Next(ExtraStreets.Length)] : clinic.Metro.Streets[random.Next(clinic.Metro.Streets.Length)];
                var line1 = $"{100 + random.Next(9800)} {street}";
                var line2 = random.Next(3) == 0 ? $"Suite {100 + random.Next(400)}" : null;
                var phone = $"{clinic.Metro.AreaCode}{200 + random.Next(700)}{random.Next(10_000):D4}";
                var fax = phone[..^1] + (char)('0' + (phone[^1] - '0' + 1) % 10);
                if (size >= 3 && random.NextDouble() < 0.5)
                {
                    // Groups often enumerate the practice itself too (entity type 2): left out of prospect lists, counted by nobody.
                    var last = DemoVocabulary.LastNames[random.Next(DemoVocabulary.LastNames.Length)];
                    var name = family.Names[random.Next(family.Names.Length)].Replace("{City}", clinic.Metro.City, StringComparison.Ordinal)
                        .Replace("{Last}", last, StringComparison.Ordinal);
                    yield return Row(Formats.NpiWithCheckDigit(Digits(npi++)), RegistryEntityType.Organization, name.ToUpperInvariant(), null, null, null,
                        family.Codes[0], line1, line2, clinic.Metro.City, clinic.Metro.State, zip, phone, fax, null, Enumerated(random, today), today, now);
                }
                for (var i = 0; i < size && made < target; i++, made++)
                {
                    var code = i == 0 || random.NextDouble() < 0.6 ? family.Codes[0] : family.Codes[random.Next(family.Codes.Length)];
                    var credentials = code switch { "363LF0000X" => ["FNP-C", "NP"], "363A00000X" => ["PA-C"], _ => family.Credentials };
                    yield return Person(random, Formats.NpiWithCheckDigit(Digits(npi++)), code, credentials, line1, line2, clinic.Metro.City,
                        clinic.Metro.State, zip, phone, fax, today, now);
                }
                // Now and then an NPI is deactivated (retired, died): the file then keeps only the NPI and the date.
                if (random.NextDouble() < 0.03)
                {
                    yield return Deactivated(Formats.NpiWithCheckDigit(Digits(npi++)), today.AddDays(-random.Next(30, 2000)), now);
                }
            }
        }
    }

    /// <summary>Writes the rows through the demo's bulk path (one prepared insert on SQLite, binary COPY on PostgreSQL).</summary>
    public static async Task<long> WriteAsync(IBulkWriter writer, IEnumerable<object?[]> rows, IProgress<DemoProgress>? progress, CancellationToken cancellationToken)
    {
        await using var table = await writer.OpenTableAsync(Table, Columns, cancellationToken);
        long count = 0;
        progress?.Report(new DemoProgress("Registry", 0, 1));
        foreach (var row in rows)
        {
            await table.WriteAsync(row, cancellationToken);
            count++;
        }
        await table.CompleteAsync(cancellationToken);
        progress?.Report(new DemoProgress("Registry", count, count));
        return count;
    }

    public static readonly BulkColumn[] Columns =
    [
        new("Npi", BulkType.Text), new("EntityType", BulkType.Short), new("BusinessName", BulkType.Text), new("LastName", BulkType.Text),
        new("FirstName", BulkType.Text), new("Credential", BulkType.Text), new("TaxonomyCode", BulkType.Text), new("AddressLine1", BulkType.Text),
        new("AddressLine2", BulkType.Text), new("City", BulkType.Text), new("State", BulkType.Text), new("PostalCode", BulkType.Text),
        new("Zip5", BulkType.Text), new("CountryCode", BulkType.Text), new("Phone", BulkType.Text), new("Fax", BulkType.Text),
        new("Gender", BulkType.Text), new("EnumerationDate", BulkType.Date), new("LastUpdateDate", BulkType.Date),
        new("DeactivationDate", BulkType.Date), new("Latitude", BulkType.Double), new("Longitude", BulkType.Double),
        new("AddressKey", BulkType.Text), new("ContentHash", BulkType.Long), new("UpdatedAt", BulkType.Timestamp),
    ];

    private static object?[] SourceRow(SourcePlan source, DateOnly today, DateTime now)
    {
        var (line1, line2) = SplitSuite(source.AddressLine);
        var random = new Random(source.Index);
        return Row(source.Npi, source.Kind.IsPerson ? RegistryEntityType.Individual : RegistryEntityType.Organization,
            source.Kind.IsPerson ? null : source.LastName.ToUpperInvariant(), source.Kind.IsPerson ? source.LastName.ToUpperInvariant() : null,
            source.Kind.IsPerson ? source.FirstName?.ToUpperInvariant() : null, source.Kind.IsPerson ? Dotted(source.Credential) : null, source.Kind.TaxonomyCode,
            line1, line2, source.Metro.City, source.Metro.State, source.Zip, Digits10(source.Phone), Digits10(source.Fax),
            source.Kind.IsPerson ? (DemoVocabulary.FemaleFirstNames.Contains(source.FirstName) ? "F" : "M") : null, Enumerated(random, today), today, now);
    }

    private static object?[] Person(Random random, string npi, string code, string[] credentials, string line1, string? line2, string city, string state,
        string zip, string? phone, string? fax, DateOnly today, DateTime now)
    {
        var female = random.Next(2) == 0;
        var first = female ? DemoVocabulary.FemaleFirstNames[random.Next(DemoVocabulary.FemaleFirstNames.Length)]
            : DemoVocabulary.MaleFirstNames[random.Next(DemoVocabulary.MaleFirstNames.Length)];
        var last = DemoVocabulary.LastNames[random.Next(DemoVocabulary.LastNames.Length)];
        return Row(npi, RegistryEntityType.Individual, null, last.ToUpperInvariant(), first.ToUpperInvariant(), credentials[random.Next(credentials.Length)], code,
            line1, line2, city, state, zip, phone, fax, female ? "F" : "M", Enumerated(random, today), today, now);
    }

    private static object?[] Row(string npi, RegistryEntityType type, string? business, string? last, string? first, string? credential, string code,
        string line1, string? line2, string city, string state, string zip, string? phone, string? fax, string? gender, DateOnly enumerated, DateOnly today,
        DateTime now)
    {
        var point = ZipCentroids.Find(zip);
        var updated = enumerated.AddDays((today.DayNumber - enumerated.DayNumber) / 2);
        object?[] row =
        [
            npi, (short)type, business, last, first, credential, code, line1.ToUpperInvariant(), line2?.ToUpperInvariant(), city.ToUpperInvariant(), state,
            zip, ZipCentroids.Zip5(zip), "US", phone, fax, gender, enumerated, updated, null, point?.Latitude, point?.Longitude,
            RegistryArea.AddressKey(line1, zip), 0L, now,
        ];
        row[23] = Hash(row);
        return row;
    }

    private static object?[] Deactivated(string npi, DateOnly on, DateTime now)
    {
        object?[] row = [npi, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, on, null, null, null, 0L, now];
        row[23] = Hash(row);
        return row;
    }

    /// <summary>FNV-1a over the stored columns (before the hash and the timestamp), so the rows carry a content hash like imported ones.</summary>
    private static long Hash(object?[] row)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in row.Take(23))
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "\u0000";
            foreach (var c in text + "\u001f")
            {
                hash = (hash ^ c) * 1099511628211UL;
            }
        }
        return unchecked((long)hash);
    }

    /// <summary>"1200 Magnolia Ave, Suite 300" → ("1200 Magnolia Ave", "Suite 300"): NPPES keeps the suite on the second line.</summary>
    public static (string Line1, string? Line2) SplitSuite(string addressLine)
    {
        var comma = addressLine.IndexOf(", ", StringComparison.Ordinal);
        return comma < 0 ? (addressLine, null) : (addressLine[..comma], addressLine[(comma + 2)..]);
    }

    private static DateOnly Enumerated(Random random, DateOnly today) => today.AddDays(-random.Next(365, 365 * 18));

    private static string Dotted(string? credential) => credential switch { "MD" => "M.D.", "DO" => "D.O.", null => "", _ => credential };

    private static string? Digits10(string? phone) => phone is null ? null : new string([.. phone.Where(char.IsAsciiDigit)]);

    private static string Digits(int nineDigits) => nineDigits.ToString("D9", CultureInfo.InvariantCulture);

    private static int Pick(Random random, double[] weights)
    {
        var x = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    private static IReadOnlyDictionary<string, GeoPoint> ReadZctas()
    {
        using var stream = typeof(ZipCentroids).Assembly.GetManifestResourceStream("Rapport.Registry.zcta_gazetteer.tsv")!;
        return ZipCentroids.Read(new StreamReader(stream));
    }
}
