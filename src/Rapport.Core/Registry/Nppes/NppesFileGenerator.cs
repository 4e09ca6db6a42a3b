using System.Globalization;
using System.Text;
using Rapport.Common;

namespace Rapport.Registry.Nppes;

/// <summary>The malformed records <see cref="NppesFileGenerator"/> can inject, one of each kind in turn.</summary>
public enum NppesBadRowKind { ShortRow, LongRow, TextAfterQuote, UnclosedQuote, BadDate, BadCheckDigit, LongField }

public sealed record NppesGeneratorOptions(long Rows)
{
    public int Seed { get; init; } = 1;
    /// <summary>330 (today's, with "Certification Date") or 329 (the 2016 layout of the real sample).</summary>
    public int Layout { get; init; } = 330;
    public int BadRows { get; init; }
    /// <summary>Practice-location states to draw ZIPs from; empty: all.</summary>
    public IReadOnlyList<string> States { get; init; } = [];
    public double OrganizationShare { get; init; } = 0.08;
    public double DeactivatedShare { get; init; } = 0.02;
    /// <summary>Share of records with a line break inside a quoted field (the mailing address's second line), to exercise physical line numbers.</summary>
    public double MultilineShare { get; init; } = 0.0005;
}

public sealed record InjectedBadRow(long Line, NppesBadRowKind Kind);

/// <summary>
/// Writes files in the exact NPPES dissemination layout (../shared/data/nppes_npidata_pfile_columns_330.txt):
/// every field quoted, MM/DD/YYYY dates, ZIP+4 without a hyphen, ~1.3 KB a record like the real file
/// (mailing and practice addresses, license numbers, other identifiers, up to 15 taxonomy slots with
/// one primary), real NUCC codes weighted toward common specialties, real ZIPs with the state their
/// three-digit prefix belongs to, valid NPIs, ~8% organizations and ~2% deactivated NPIs in the real
/// shape (NPI and deactivation date only). Streamed: memory does not grow with the row count.
/// Tests and `bench/nppes-import.sh` use it, because the real 9 GB file cannot be fetched here.
/// </summary>
public static class NppesFileGenerator
{
    /// <summary>Common NUCC codes and their rough share of NPIs (physicians, NPs and PAs lead, as in NPPES).</summary>
    internal static readonly (string Code, double Weight)[] IndividualTaxonomies =
    [
        ("207Q00000X", 9), ("207R00000X", 10), ("363LF0000X", 7), ("363L00000X", 3), ("363A00000X", 5), ("207X00000X", 2.5),
        ("207XS0114X", 0.6), ("207QS0010X", 0.4), ("2084N0400X", 1.6), ("208000000X", 3.5), ("207V00000X", 2.5), ("213E00000X", 1.2),
        ("208100000X", 0.9), ("207T00000X", 0.4), ("208VP0014X", 0.5), ("207LP2900X", 0.3), ("2086S0129X", 0.3), ("208800000X", 0.8),
        ("225100000X", 6), ("225X00000X", 3), ("1223G0001X", 6), ("183500000X", 5), ("163W00000X", 6), ("101YM0800X", 4),
        ("207P00000X", 2), ("207L00000X", 2), ("2085R0202X", 2), ("111N00000X", 2), ("152W00000X", 1.5), ("207RC0000X", 1.5),
        ("207RG0100X", 0.6), ("207RG0300X", 0.3), ("2084P0800X", 1.2), ("174400000X", 0.5), ("231H00000X", 0.8), ("235Z00000X", 1),
    ];

    internal static readonly (string Code, double Weight)[] OrganizationTaxonomies =
    [
        ("193200000X", 3), ("193400000X", 2), ("261QM1300X", 2), ("261QP2000X", 2), ("282N00000X", 1), ("332B00000X", 1.5),
        ("251E00000X", 1), ("333600000X", 2), ("3336C0003X", 1), ("261QR0400X", 0.5), ("207X00000X", 0.4), ("208000000X", 0.3),
    ];

    private static readonly string[] LastNames = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ", "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN", "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ", "CLARK", "RAMIREZ", "LEWIS", "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT", "TORRES", "NGUYEN", "HILL", "FLORES", "PATEL", "SHAH", "KIM", "CHEN", "O'BRIEN", "VAN DER BERG", "MCALLISTER", "WIEBE", "PILCHER", "SUNG"];
    private static readonly string[] FirstNames = ["JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH", "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS", "SARAH", "CHRISTOPHER", "KAREN", "DANIEL", "LISA", "MATTHEW", "NANCY", "ANTHONY", "BETTY", "MARK", "SANDRA", "PRIYA", "WEI", "ANA", "MOHAMMED"];
    private static readonly string[] Streets = ["MAIN ST", "OAK AVE", "MEDICAL CENTER DR", "CENTRAL AVE", "PARK BLVD", "HOSPITAL DR", "WASHINGTON ST", "LAKE SHORE DR", "UNIVERSITY AVE", "HEALTH PARK WAY", "N MCCORD RD", "KING STREET", "SWEETWATER BLVD"];
    private static readonly string[] Cities = ["SPRINGFIELD", "FRANKLIN", "GREENVILLE", "BRISTOL", "CLINTON", "FAIRVIEW", "SALEM", "MADISON", "GEORGETOWN", "ARLINGTON", "RIVERSIDE", "ASHLAND", "MILTON", "OXFORD", "JACKSON", "BURLINGTON"];
    private static readonly string[] OrgWords = ["ORTHOPAEDIC ASSOCIATES", "FAMILY MEDICINE GROUP", "SPORTS MEDICINE CENTER", "MEDICAL GROUP", "HEALTH SYSTEM", "PHYSICAL THERAPY", "PEDIATRIC PARTNERS", "NEUROLOGY CLINIC", "WOMENS HEALTH", "SPINE INSTITUTE"];
    private static readonly string[] Issuers = ["BCBS", "AETNA", "CIGNA", "UNITED HEALTHCARE", "HUMANA", "RAILROAD MEDICARE", "MEDICAID", "TRICARE"];

    /// <summary>
    /// Writes the header and <see cref="NppesGeneratorOptions.Rows"/> records; returns the physical line
    /// and kind of every malformed record injected.
    /// </summary>
    public static IReadOnlyList<InjectedBadRow> Write(Stream output, NppesGeneratorOptions options)
    {
        if (options.Layout is not (329 or 330))
        {
            throw new ArgumentException("The layout is 330 (today's) or 329 (2016) columns.", nameof(options));
        }
        var random = new Random(options.Seed);
        var zips = ZipsOf(options.States);
        if (zips.Count == 0)
        {
            throw new ArgumentException($"No ZIP code belongs to {string.Join(",", options.States)}.", nameof(options));
        }
        var individual = Cumulative(IndividualTaxonomies);
        var organization = Cumulative(OrganizationTaxonomies);
        var columns = options.Layout;
        var badEvery = options.BadRows > 0 ? Math.Max(1, options.Rows / (options.BadRows + 1)) : long.MaxValue;
        var injected = new List<InjectedBadRow>();
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 20, leaveOpen: true) { NewLine = "\n" };
        writer.Write(string.Join(',', HeaderNames(columns).Select(n => $"\"{n}\"")));
        writer.Write('\n');
        var line = 2L;
        var fields = new string[columns + 2];
        var row = new StringBuilder(12_000);
        // A permutation of the nine-digit bodies 100,000,000–299,999,999 (7,919 is prime to 2·10⁸): unique NPIs in any order.
        var offset = (long)options.Seed * 1_000_003;
        for (long i = 0; i < options.Rows; i++)
        {
            var body = 100_000_000 + ((i + offset) * 7_919 % 200_000_000);
            var npi = Formats.NpiWithCheckDigit(body.ToString(CultureInfo.InvariantCulture));
            Array.Fill(fields, "");
            var count = columns;
            var roll = random.NextDouble();
            if (roll < options.DeactivatedShare)
            {
                fields[0] = npi;
                fields[39] = Date(new DateOnly(2008, 1, 1).AddDays(random.Next(6000)));
            }
            else if (roll < options.DeactivatedShare + options.OrganizationShare)
            {
                FillOrganization(fields, npi, random, zips, organization, columns);
            }
            else
            {
                FillIndividual(fields, npi, random, zips, individual, columns);
            }
            if (random.NextDouble() < options.MultilineShare && fields[21].Length == 0 && fields[1].Length > 0)
            {
                fields[21] = "BUILDING B\nSUITE 200";
            }
            NppesBadRowKind? bad = null;
            if (options.BadRows > 0 && injected.Count < options.BadRows && (i + 1) % badEvery == 0)
            {
                bad = (NppesBadRowKind)(injected.Count % Enum.GetValues<NppesBadRowKind>().Length);
                injected.Add(new InjectedBadRow(line, bad.Value));
                if (fields[1].Length == 0)
                {
                    FillIndividual(fields, npi, random, zips, individual, columns);
                }
                switch (bad.Value)
                {
                    case NppesBadRowKind.ShortRow: count = columns - 5; break;
                    case NppesBadRowKind.LongRow: count = columns + 2; fields[columns] = "EXTRA"; fields[columns + 1] = "FIELDS"; break;
                    case NppesBadRowKind.BadDate: fields[36] = "13/45/2010"; break;
                    case NppesBadRowKind.BadCheckDigit: fields[0] = npi[..9] + (char)('0' + (npi[9] - '0' + 1) % 10); break;
                    case NppesBadRowKind.LongField: fields[28] = new string('A', 10_240); break;
                }
            }
            row.Clear();
            for (var f = 0; f < count; f++)
            {
                if (f > 0)
                {
                    row.Append(',');
                }
                if (bad == NppesBadRowKind.TextAfterQuote && f == 5)
                {
                    row.Append('"').Append(fields[f]).Append("\"X\"");
                    continue;
                }
                if (bad == NppesBadRowKind.UnclosedQuote && f == count - 1)
                {
                    row.Append("\"UNCLOSED");
                    continue;
                }
                row.Append('"');
                var value = fields[f];
                row.Append(value.Contains('"', StringComparison.Ordinal) ? value.Replace("\"", "\"\"", StringComparison.Ordinal) : value);
                row.Append('"');
                if (value.Contains('\n', StringComparison.Ordinal))
                {
                    line += value.Count(c => c == '\n');
                }
            }
            row.Append('\n');
            writer.Write(row);
            line++;
        }
        return injected;
    }

    /// <summary>The dissemination file's column names: the 330 of today, or the first 329 (2016 layout).</summary>
    public static IReadOnlyList<string> HeaderNames(int columns = 330)
    {
        using var stream = typeof(NppesFileGenerator).Assembly.GetManifestResourceStream("Rapport.Registry.nppes_npidata_pfile_columns_330.txt")!;
        using var reader = new StreamReader(stream);
        var names = new List<string>(330);
        while (reader.ReadLine() is { } text)
        {
            if (text.Split('\t') is [_, var name])
            {
                names.Add(name);
            }
        }
        return names.Take(columns).ToList();
    }

    private static void FillIndividual(string[] f, string npi, Random random, IReadOnlyList<(string Zip, string State)> zips, (string Code, double Upto)[] taxonomies, int columns)
    {
        f[0] = npi;
        f[1] = "1";
        f[5] = Pick(random, LastNames);
        f[6] = Pick(random, FirstNames);
        f[7] = random.NextDouble() < 0.6 ? Pick(random, FirstNames)[..1] : "";
        f[8] = random.NextDouble() < 0.3 ? "DR." : "";
        f[9] = random.NextDouble() < 0.03 ? "JR." : "";
        var code = Pick(random, taxonomies);
        f[10] = CredentialOf(code, random);
        if (random.NextDouble() < 0.1)
        {
            f[13] = Pick(random, LastNames);
            f[14] = f[6];
            f[19] = "1";
        }
        var practice = FillAddresses(f, random, zips);
        f[36] = Date(new DateOnly(2005, 5, 23).AddDays(random.Next(7000)));
        f[37] = Date(DateOnly.ParseExact(f[36], "MM/dd/yyyy", CultureInfo.InvariantCulture).AddDays(random.Next(2000)));
        f[41] = random.NextDouble() < 0.5 ? "M" : "F";
        FillTaxonomies(f, random, code, practice.State, taxonomies);
        FillIdentifiers(f, random, practice.State);
        f[307] = random.NextDouble() < 0.3 ? "Y" : random.NextDouble() < 0.5 ? "N" : "X";
        if (columns == 330 && random.NextDouble() < 0.4)
        {
            f[329] = Date(new DateOnly(2018, 1, 1).AddDays(random.Next(2500)));
        }
    }

    private static void FillOrganization(string[] f, string npi, Random random, IReadOnlyList<(string Zip, string State)> zips, (string Code, double Upto)[] taxonomies, int columns)
    {
        f[0] = npi;
        f[1] = "2";
        f[3] = "<UNAVAIL>";
        f[4] = $"{Pick(random, Cities)} {Pick(random, OrgWords)}{(random.NextDouble() < 0.5 ? ", LLC" : ", P.C.")}";
        if (random.NextDouble() < 0.3)
        {
            f[11] = $"{Pick(random, Cities)} {Pick(random, OrgWords)}";
            f[12] = "3";
        }
        var practice = FillAddresses(f, random, zips);
        f[36] = Date(new DateOnly(2005, 5, 23).AddDays(random.Next(7000)));
        f[37] = Date(DateOnly.ParseExact(f[36], "MM/dd/yyyy", CultureInfo.InvariantCulture).AddDays(random.Next(2000)));
        f[42] = Pick(random, LastNames);
        f[43] = Pick(random, FirstNames);
        f[44] = Pick(random, FirstNames);
        f[45] = random.NextDouble() < 0.5 ? "CHIEF EXECUTIVE OFFICER" : "DIRECTOR OF FINANCE";
        f[46] = Phone(random);
        FillTaxonomies(f, random, Pick(random, taxonomies), practice.State, taxonomies);
        FillIdentifiers(f, random, practice.State);
        f[308] = "N";
        f[311] = random.NextDouble() < 0.3 ? "MR." : "";
        f[313] = random.NextDouble() < 0.2 ? "MBA" : "";
        if (columns == 330)
        {
            f[329] = Date(new DateOnly(2018, 1, 1).AddDays(random.Next(2500)));
        }
    }

    private static (string Zip, string State) FillAddresses(string[] f, Random random, IReadOnlyList<(string Zip, string State)> zips)
    {
        var practice = zips[random.Next(zips.Count)];
        var mailing = random.NextDouble() < 0.5 ? practice : zips[random.Next(zips.Count)];
        WriteAddress(f, 20, mailing, random);
        WriteAddress(f, 28, practice, random);
        if (mailing == practice && random.NextDouble() < 0.5)
        {
            for (var i = 0; i < 8; i++)
            {
                f[20 + i] = f[28 + i];
            }
        }
        return practice;
    }

    private static void WriteAddress(string[] f, int at, (string Zip, string State) place, Random random)
    {
        f[at] = $"{random.Next(1, 20000)} {Pick(random, Streets)}";
        f[at + 1] = random.NextDouble() < 0.4 ? $"SUITE {random.Next(100, 999)}" : "";
        f[at + 2] = Pick(random, Cities);
        f[at + 3] = place.State;
        f[at + 4] = place.Zip + random.Next(1, 9999).ToString("D4", CultureInfo.InvariantCulture);
        f[at + 5] = "US";
        f[at + 6] = Phone(random);
        f[at + 7] = random.NextDouble() < 0.7 ? Phone(random) : "";
    }

    private static void FillTaxonomies(string[] f, Random random, string primary, string state, (string Code, double Upto)[] taxonomies)
    {
        var slots = random.NextDouble() < 0.7 ? 1 : random.Next(2, 5);
        var primarySlot = random.Next(slots);
        for (var slot = 0; slot < slots; slot++)
        {
            var at = 47 + slot * 4;
            f[at] = slot == primarySlot ? primary : Pick(random, taxonomies);
            f[at + 1] = $"{(char)('A' + random.Next(26))}{random.Next(10000, 999999)}";
            f[at + 2] = slot == primarySlot ? state : Pick(random, ["NE", "TX", "CA", "NY", "FL", state]);
            f[at + 3] = slot == primarySlot ? "Y" : "N";
        }
        if (random.NextDouble() < 0.05)
        {
            f[314] = "193400000X SINGLE SPECIALTY GROUP";
        }
    }

    private static void FillIdentifiers(string[] f, Random random, string state)
    {
        var count = random.Next(2, 8);
        for (var i = 0; i < count; i++)
        {
            var at = 107 + i * 4;
            f[at] = $"{random.Next(100000, 99999999)}{(random.NextDouble() < 0.3 ? "WI" : "")}";
            f[at + 1] = $"0{random.Next(1, 9)}";
            f[at + 2] = state;
            f[at + 3] = random.NextDouble() < 0.6 ? Pick(random, Issuers) : "";
        }
    }

    private static string CredentialOf(string code, Random random) => code switch
    {
        "363LF0000X" or "363L00000X" => Pick(random, ["NP", "FNP-C", "APRN"]),
        "363A00000X" => Pick(random, ["PA-C", "PA"]),
        "213E00000X" => "DPM",
        "225100000X" => Pick(random, ["PT, DPT", "PT", "DPT"]),
        "225X00000X" => "OTR/L",
        "1223G0001X" => "DDS",
        "183500000X" => "PHARMD",
        "163W00000X" => "RN",
        "101YM0800X" => "LPC",
        "111N00000X" => "DC",
        "152W00000X" => "OD",
        "231H00000X" => "CCC-A",
        "235Z00000X" => "CCC-SLP",
        _ => Pick(random, ["MD", "M.D.", "DO", "D.O.", "M. D."]),
    };

    /// <summary>Every ZCTA with its state, from the three-digit ZIP prefix (USPS sectional centers).</summary>
    internal static IReadOnlyList<(string Zip, string State)> ZipsOf(IReadOnlyList<string> states)
    {
        using var stream = typeof(ZipCentroids).Assembly.GetManifestResourceStream("Rapport.Registry.zcta_gazetteer.tsv")!;
        using var reader = new StreamReader(stream);
        var wanted = states.Select(s => s.ToUpperInvariant()).ToHashSet();
        return [.. ZipCentroids.Read(reader).Keys.Order(StringComparer.Ordinal)
            .Select(zip => (Zip: zip, State: StateOfZip(zip)))
            .Where(z => z.State is not null && (wanted.Count == 0 || wanted.Contains(z.State)))
            .Select(z => (z.Zip, z.State!))];
    }

    private static readonly (int From, int To, string State)[] ZipPrefixes =
    [
        (5, 5, "NY"), (6, 9, "PR"), (10, 27, "MA"), (28, 29, "RI"), (30, 38, "NH"), (39, 49, "ME"), (50, 59, "VT"), (60, 69, "CT"),
        (70, 89, "NJ"), (100, 149, "NY"), (150, 196, "PA"), (197, 199, "DE"), (200, 205, "DC"), (206, 219, "MD"), (220, 246, "VA"),
        (247, 268, "WV"), (270, 289, "NC"), (290, 299, "SC"), (300, 319, "GA"), (320, 349, "FL"), (350, 369, "AL"), (370, 385, "TN"),
        (386, 397, "MS"), (398, 399, "GA"), (400, 427, "KY"), (430, 459, "OH"), (460, 479, "IN"), (480, 499, "MI"), (500, 528, "IA"),
        (530, 549, "WI"), (550, 567, "MN"), (570, 577, "SD"), (580, 588, "ND"), (590, 599, "MT"), (600, 629, "IL"), (630, 658, "MO"),
        (660, 679, "KS"), (680, 693, "NE"), (700, 714, "LA"), (716, 729, "AR"), (730, 749, "OK"), (750, 799, "TX"), (800, 816, "CO"),
        (820, 831, "WY"), (832, 838, "ID"), (840, 847, "UT"), (850, 865, "AZ"), (870, 884, "NM"), (885, 885, "TX"), (889, 898, "NV"),
        (900, 961, "CA"), (967, 968, "HI"), (970, 979, "OR"), (980, 994, "WA"), (995, 999, "AK"),
    ];

    internal static string? StateOfZip(string zip)
    {
        var prefix = int.Parse(zip.AsSpan(0, 3), CultureInfo.InvariantCulture);
        foreach (var (from, to, state) in ZipPrefixes)
        {
            if (prefix >= from && prefix <= to)
            {
                return state;
            }
        }
        return null;
    }

    private static (string Code, double Upto)[] Cumulative((string Code, double Weight)[] weights)
    {
        var total = weights.Sum(w => w.Weight);
        var sum = 0.0;
        return [.. weights.Select(w => (w.Code, Upto: (sum += w.Weight) / total))];
    }

    private static string Pick(Random random, (string Code, double Upto)[] cumulative)
    {
        var roll = random.NextDouble();
        foreach (var (code, upto) in cumulative)
        {
            if (roll < upto)
            {
                return code;
            }
        }
        return cumulative[^1].Code;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Phone(Random random) => $"{random.Next(201, 989)}{random.Next(200, 999)}{random.Next(0, 9999):D4}";

    private static string Date(DateOnly date) => date.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture);
}
