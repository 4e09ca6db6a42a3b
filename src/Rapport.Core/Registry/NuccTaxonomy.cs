using Rapport.Sources;
using Sylvan.Data.Csv;

namespace Rapport.Registry;

/// <summary>A NUCC taxonomy code with its three levels and the group a prospect list files it under.</summary>
public sealed record TaxonomyEntry(string Code, string Grouping, string Classification, string? Specialization, string DisplayName)
{
    /// <summary>
    /// The specialty group: the referring category of <see cref="SpecialtyCatalog"/> when the code refers
    /// to physical therapy ("Orthopaedic surgery", "Sports medicine"), else the NUCC classification.
    /// </summary>
    public string Group => SpecialtyCatalog.Find(Code)?.Category ?? Classification;
}

/// <summary>
/// The whole NUCC Health Care Provider Taxonomy code set v25.1 (Reference/NOTICE.md): the specialty of
/// any registry row by display name and group, including the codes that do not refer to physical therapy.
/// </summary>
public static class NuccTaxonomy
{
    private static readonly Lazy<IReadOnlyDictionary<string, TaxonomyEntry>> Table = new(Load);

    public static IReadOnlyCollection<TaxonomyEntry> All => Table.Value.Values.ToList();

    public static TaxonomyEntry? Find(string? code) =>
        code is not null && Table.Value.TryGetValue(code.Trim().ToUpperInvariant(), out var entry) ? entry : null;

    /// <summary>"Orthopaedic Surgery Physician" for a known code, the code itself otherwise, "" for none.</summary>
    public static string DisplayName(string? code) => Find(code)?.DisplayName ?? code ?? "";

    /// <summary>Every code of a group (see <see cref="TaxonomyEntry.Group"/>), case-insensitive.</summary>
    public static IReadOnlyList<string> CodesOfGroup(string group) =>
        [.. Table.Value.Values.Where(e => string.Equals(e.Group, group, StringComparison.OrdinalIgnoreCase)).Select(e => e.Code)];

    private static IReadOnlyDictionary<string, TaxonomyEntry> Load()
    {
        using var stream = typeof(NuccTaxonomy).Assembly.GetManifestResourceStream("Rapport.Registry.nucc_taxonomy_251.csv")!;
        using var reader = new StreamReader(stream);
        using var csv = CsvDataReader.Create(reader);
        var result = new Dictionary<string, TaxonomyEntry>(StringComparer.Ordinal);
        int code = csv.GetOrdinal("Code"), grouping = csv.GetOrdinal("Grouping"), classification = csv.GetOrdinal("Classification"),
            specialization = csv.GetOrdinal("Specialization"), display = csv.GetOrdinal("Display Name");
        while (csv.Read())
        {
            var spec = csv.GetString(specialization);
            result[csv.GetString(code)] = new TaxonomyEntry(csv.GetString(code), csv.GetString(grouping), csv.GetString(classification),
                spec.Length == 0 ? null : spec, csv.GetString(display));
        }
        return result;
    }
}
