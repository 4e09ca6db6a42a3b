namespace Rapport.Registry.Nppes;

/// <summary>
/// Where the columns Rapport keeps are in one dissemination file, found by header name so the 2016
/// layout (329 columns) and today's (330, with "Certification Date" at the end) both read; column
/// numbers in comments are today's (../shared/data/nppes_npidata_pfile_columns_330.txt).
/// </summary>
public sealed class NppesLayout
{
    public const int TaxonomySlots = 15;
    /// <summary>No NPPES field is longer than 300 characters (its data dictionary); a longer one is damage.</summary>
    public const int MaxFieldBytes = 1_000;

    private NppesLayout(IReadOnlyList<string> names) => Names = names;

    public IReadOnlyList<string> Names { get; }
    public int ColumnCount => Names.Count;

    public int Npi { get; private init; }
    public int EntityType { get; private init; }
    public int BusinessName { get; private init; }
    public int LastName { get; private init; }
    public int FirstName { get; private init; }
    public int MiddleName { get; private init; }
    public int NamePrefix { get; private init; }
    public int NameSuffix { get; private init; }
    public int Credential { get; private init; }
    public int AddressLine1 { get; private init; }
    public int AddressLine2 { get; private init; }
    public int City { get; private init; }
    public int State { get; private init; }
    public int PostalCode { get; private init; }
    public int CountryCode { get; private init; }
    public int Phone { get; private init; }
    public int Fax { get; private init; }
    public int EnumerationDate { get; private init; }
    public int LastUpdateDate { get; private init; }
    public int DeactivationDate { get; private init; }
    public int ReactivationDate { get; private init; }
    public int Gender { get; private init; }
    public int[] TaxonomyCode { get; private init; } = [];
    public int[] PrimarySwitch { get; private init; } = [];
    public int[] DateColumns { get; private set; } = [];
    /// <summary>Per column, the longest value accepted in bytes: the registry column's length for kept ones.</summary>
    public int[] MaxBytes { get; private init; } = [];

    /// <summary>The columns this layout needs, with the registry column length each is stored in (0: not stored as text).</summary>
    private static readonly (string Name, int Length)[] Kept =
    [
        ("NPI", 10), ("Entity Type Code", 1), ("Provider Organization Name (Legal Business Name)", 300),
        ("Provider Last Name (Legal Name)", 100), ("Provider First Name", 100), ("Provider Middle Name", 100),
        ("Provider Name Prefix Text", 20), ("Provider Name Suffix Text", 20), ("Provider Credential Text", 100),
        ("Provider First Line Business Practice Location Address", 300), ("Provider Second Line Business Practice Location Address", 300),
        ("Provider Business Practice Location Address City Name", 100), ("Provider Business Practice Location Address State Name", 40),
        ("Provider Business Practice Location Address Postal Code", 20), ("Provider Business Practice Location Address Country Code (If outside U.S.)", 2),
        ("Provider Business Practice Location Address Telephone Number", 20), ("Provider Business Practice Location Address Fax Number", 20),
        ("Provider Enumeration Date", 10), ("Last Update Date", 10), ("NPI Deactivation Date", 10), ("NPI Reactivation Date", 10),
        ("Provider Gender Code", 1),
    ];

    /// <summary>The layout of a header row, or the problem that makes it no NPPES file.</summary>
    public static NppesLayout? FromHeader(IReadOnlyList<string> header, out string? problem)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            index.TryAdd(header[i].Trim(), i);
        }
        if (!index.TryGetValue("NPI", out _))
        {
            problem = "the header has no \"NPI\" column: this is not an NPPES NPI data dissemination file (npidata_pfile_*.csv)";
            return null;
        }
        var taxonomyNames = Enumerable.Range(1, TaxonomySlots)
            .SelectMany(n => new[] { $"Healthcare Provider Taxonomy Code_{n}", $"Healthcare Provider Primary Taxonomy Switch_{n}" });
        var missing = Kept.Select(k => k.Name).Concat(taxonomyNames).Where(n => !index.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            problem = $"the header lacks {missing.Count} NPPES column(s): {string.Join(", ", missing.Take(5).Select(m => $"\"{m}\""))}";
            return null;
        }
        var maxBytes = Enumerable.Repeat(MaxFieldBytes, header.Count).ToArray();
        foreach (var (name, length) in Kept)
        {
            maxBytes[index[name]] = length;
        }
        var taxonomy = Enumerable.Range(1, TaxonomySlots).Select(n => index[$"Healthcare Provider Taxonomy Code_{n}"]).ToArray();
        var switches = Enumerable.Range(1, TaxonomySlots).Select(n => index[$"Healthcare Provider Primary Taxonomy Switch_{n}"]).ToArray();
        foreach (var column in taxonomy)
        {
            maxBytes[column] = 10;
        }
        problem = null;
        var layout = new NppesLayout([.. header.Select(h => h.Trim())])
        {
            Npi = index["NPI"], EntityType = index["Entity Type Code"], BusinessName = index["Provider Organization Name (Legal Business Name)"],
            LastName = index["Provider Last Name (Legal Name)"], FirstName = index["Provider First Name"], MiddleName = index["Provider Middle Name"],
            NamePrefix = index["Provider Name Prefix Text"], NameSuffix = index["Provider Name Suffix Text"], Credential = index["Provider Credential Text"],
            AddressLine1 = index["Provider First Line Business Practice Location Address"],
            AddressLine2 = index["Provider Second Line Business Practice Location Address"],
            City = index["Provider Business Practice Location Address City Name"],
            State = index["Provider Business Practice Location Address State Name"],
            PostalCode = index["Provider Business Practice Location Address Postal Code"],
            CountryCode = index["Provider Business Practice Location Address Country Code (If outside U.S.)"],
            Phone = index["Provider Business Practice Location Address Telephone Number"],
            Fax = index["Provider Business Practice Location Address Fax Number"],
            EnumerationDate = index["Provider Enumeration Date"], LastUpdateDate = index["Last Update Date"],
            DeactivationDate = index["NPI Deactivation Date"], ReactivationDate = index["NPI Reactivation Date"],
            Gender = index["Provider Gender Code"],
            TaxonomyCode = taxonomy, PrimarySwitch = switches,
            MaxBytes = maxBytes,
        };
        layout.DateColumns = [layout.EnumerationDate, layout.LastUpdateDate, layout.DeactivationDate, layout.ReactivationDate];
        return layout;
    }
}
