using Sylvan.Data.Csv;

namespace Rapport.Sources;

public sealed record Specialty(string TaxonomyCode, string Category, string DisplayName);

/// <summary>
/// The NUCC taxonomy codes of specialties that refer to physical therapy (see Taxonomy/NOTICE.md),
/// grouped into plain categories ("Orthopaedic surgery", "Sports medicine", ...) for lists and filters.
/// </summary>
public static class SpecialtyCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, Specialty>> ByCode = new(Load);

    public static IReadOnlyCollection<Specialty> All => ByCode.Value.Values.ToList();

    public static IReadOnlyList<string> Categories { get; } = [.. Load().Values
        .Where(s => !s.Category.StartsWith('('))
        .Select(s => s.Category).Distinct().Order(StringComparer.Ordinal)];

    public static Specialty? Find(string? taxonomyCode) =>
        taxonomyCode is not null && ByCode.Value.TryGetValue(taxonomyCode.Trim().ToUpperInvariant(), out var s) ? s : null;

    /// <summary>NUCC codes are ten characters: three digits, six letters or digits, and a closing X.</summary>
    public static bool LooksLikeTaxonomyCode(string code) =>
        code.Length == 10 && char.IsAsciiDigit(code[0]) && code[9] == 'X' && code.All(char.IsAsciiLetterOrDigit);

    /// <summary>The first code listed for a category, for demo data and forms that pick by category.</summary>
    public static Specialty FirstOf(string category) => ByCode.Value.Values.First(s => s.Category == category);

    private static Dictionary<string, Specialty> Load()
    {
        using var stream = typeof(SpecialtyCatalog).Assembly.GetManifestResourceStream("nucc_251_pt_referral_sources.csv")!;
        using var reader = new StreamReader(stream);
        using var csv = CsvDataReader.Create(reader);
        var result = new Dictionary<string, Specialty>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var code = csv.GetString(csv.GetOrdinal("Code"));
            result[code] = new Specialty(code, csv.GetString(csv.GetOrdinal("Category")), csv.GetString(csv.GetOrdinal("Display Name")));
        }
        return result;
    }
}
