using Sylvan.Data.Csv;

namespace Rapport.Sources;

public sealed record Specialty(string TaxonomyCode, string Category, string DisplayName);

/// <summary>
/// The NUCC taxonomy codes of specialties that refer to physical therapy (see Taxonomy/NOTICE.md),
/// grouped into plain categories ("Orthopaedic surgery", "Sports medicine", ...) for lists and filters.
/// </summary>
public static class SpecialtyCatalog
{
    private static readonly Lazy<(IReadOnlyDictionary<string, Specialty> ByCode, IReadOnlySet<string> Mains)> Table = new(Load);
    private static IReadOnlyDictionary<string, Specialty> ByCode => Table.Value.ByCode;

    public static IReadOnlyCollection<Specialty> All => ByCode.Values.ToList();

    /// <summary>Each category's main specialty: its first row in the file (Orthopaedic Surgery, Neurology, Podiatrist, ...).</summary>
    public static IReadOnlySet<string> MainCodes => Table.Value.Mains;

    /// <summary>The referring categories (not the practice's own profession), most referring first (<see cref="ReferralPriority"/>).</summary>
    public static IReadOnlyList<string> Categories { get; } = [.. All
        .Where(s => !s.Category.StartsWith('('))
        .Select(s => s.Category).Distinct().OrderBy(ReferralPriority.RankOf).ThenBy(c => c, StringComparer.Ordinal)];

    public static Specialty? Find(string? taxonomyCode) =>
        taxonomyCode is not null && ByCode.TryGetValue(taxonomyCode.Trim().ToUpperInvariant(), out var s) ? s : null;

    /// <summary>NUCC codes are ten characters: three digits, six letters or digits, and a closing X.</summary>
    public static bool LooksLikeTaxonomyCode(string code) =>
        code.Length == 10 && char.IsAsciiDigit(code[0]) && code[9] == 'X' && code.All(char.IsAsciiLetterOrDigit);

    /// <summary>The first code listed for a category, for demo data and forms that pick by category.</summary>
    public static Specialty FirstOf(string category) => ByCode.Values.First(s => s.Category == category);

    private static (IReadOnlyDictionary<string, Specialty>, IReadOnlySet<string>) Load()
    {
        var mains = new Dictionary<string, string>(StringComparer.Ordinal);
        using var stream = typeof(SpecialtyCatalog).Assembly.GetManifestResourceStream("nucc_251_pt_referral_sources.csv")!;
        using var reader = new StreamReader(stream);
        using var csv = CsvDataReader.Create(reader);
        var result = new Dictionary<string, Specialty>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var code = csv.GetString(csv.GetOrdinal("Code"));
            var category = csv.GetString(csv.GetOrdinal("Category"));
            // A code listed under two categories (Sports Medicine of Orthopaedic Surgery) keeps the last.
            result[code] = new Specialty(code, category, csv.GetString(csv.GetOrdinal("Display Name")));
            mains.TryAdd(category, code);
        }
        return (result, mains.Values.ToHashSet(StringComparer.Ordinal));
    }
}
