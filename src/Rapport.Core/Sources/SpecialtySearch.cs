using System.Globalization;
using System.Text;

namespace Rapport.Sources;

/// <summary>A specialty as pickers show it: "Orthopaedic Surgery · 207X00000X".</summary>
public sealed record SpecialtyChoice(string TaxonomyCode, string Name, string Category)
{
    public string Label => $"{Name} · {TaxonomyCode}";
}

/// <summary>A category of specialties for filters, with the specialty name that matched the search, if any.</summary>
public sealed record SpecialtyCategoryChoice(string Category, string? MatchedName);

/// <summary>
/// The one rule for finding a specialty by what someone typed, used by the pickers (source form,
/// sources filter), the API and imports: every word typed must start a word of the specialty's
/// name (case-insensitive; "ae" and "e" spell alike, so "orthopedic" finds Orthopaedic Surgery), or of
/// a few common synonyms (<see cref="ReferralPriority.Keywords"/>); an exact NUCC code finds its
/// specialty. Results come in this order: matched by the name before matched by a synonym; a
/// category's main specialty (Orthopaedic Surgery, Neurology, Podiatrist) before the sub-specialties;
/// the categories that refer most to physical therapy first (<see cref="ReferralPriority"/>), so
/// "orthop" lists every orthopaedic surgeon before the Orthopedic Chiropractor; then names whose
/// first word matched; then shorter names.
/// </summary>
public static class SpecialtySearch
{
    private sealed record Entry(SpecialtyChoice Choice, string[] NameWords, string[] KeywordWords, bool IsMain, int Rank);

    private static readonly Lazy<IReadOnlyList<Entry>> Entries = new(Build);

    /// <summary>Every specialty in list order (most referring categories first, main specialty first), for a picker with nothing typed.</summary>
    public static IReadOnlyList<SpecialtyChoice> All => [.. Entries.Value.Select(e => e.Choice)];

    /// <summary>The categories in list order, for filters.</summary>
    public static IReadOnlyList<string> Categories => [.. Entries.Value.Select(e => e.Choice.Category).Distinct()];

    public static IReadOnlyList<SpecialtyChoice> Find(string? text, int limit = 20)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [.. All.Take(limit)];
        }
        var trimmed = text.Trim();
        // A label picked earlier ("Orthopaedic Surgery · 207X00000X") or a bare code finds that code.
        var code = trimmed.Contains('·', StringComparison.Ordinal) ? trimmed[(trimmed.LastIndexOf('·') + 1)..].Trim() : trimmed;
        if (SpecialtyCatalog.Find(code) is { } exact)
        {
            return [Entries.Value.First(e => e.Choice.TaxonomyCode == exact.TaxonomyCode).Choice];
        }
        var words = Words(trimmed);
        if (words.Length == 0)
        {
            return [];
        }
        var upper = trimmed.ToUpperInvariant();
        var codePrefix = char.IsAsciiDigit(upper[0]) && upper.Length >= 3 && upper.All(char.IsAsciiLetterOrDigit);
        return [.. Entries.Value
            .Select(e => (Entry: e, Quality: codePrefix && e.Choice.TaxonomyCode.StartsWith(upper, StringComparison.Ordinal) ? 0 : Quality(e, words)))
            .Where(m => m.Quality >= 0)
            .OrderBy(m => m.Quality == 2 ? 1 : 0).ThenBy(m => m.Entry.IsMain ? 0 : 1).ThenBy(m => m.Entry.Rank).ThenBy(m => m.Quality)
            .ThenBy(m => m.Entry.Choice.Name.Length).ThenBy(m => m.Entry.Choice.Name, StringComparer.Ordinal)
            .Take(limit).Select(m => m.Entry.Choice)];
    }

    /// <summary>The categories holding a specialty that matches, best match first (for a filter by category).</summary>
    public static IReadOnlyList<SpecialtyCategoryChoice> FindCategories(string? text, int limit = 20)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [.. Categories.Take(limit).Select(c => new SpecialtyCategoryChoice(c, null))];
        }
        // A category's own name matches too ("Chiropractic"), through its main specialty's place in the order.
        var byName = Categories.Where(c => Quality(Words(c), [], Words(text)) >= 0).ToHashSet(StringComparer.Ordinal);
        return [.. Find(text, int.MaxValue).Select(s => new SpecialtyCategoryChoice(s.Category, s.Name))
            .Concat(Entries.Value.Where(e => e.IsMain && byName.Contains(e.Choice.Category)).Select(e => new SpecialtyCategoryChoice(e.Choice.Category, null)))
            .DistinctBy(c => c.Category).Take(limit)];
    }

    /// <summary>
    /// The specialty a name given by the API or an import stands for, when it stands for exactly
    /// one: a code, a specialty's name or NUCC display name, or a search with a single result.
    /// Null keeps the text as a free-text specialty.
    /// </summary>
    public static Specialty? Resolve(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var key = Normalize(text.Trim());
        var named = Entries.Value.Where(e => Normalize(e.Choice.Name) == key
            || Normalize(SpecialtyCatalog.Find(e.Choice.TaxonomyCode)!.DisplayName) == key).ToList();
        if (named.Count == 1)
        {
            return SpecialtyCatalog.Find(named[0].Choice.TaxonomyCode);
        }
        var found = Find(text, 2);
        return found.Count == 1 ? SpecialtyCatalog.Find(found[0].TaxonomyCode) : null;
    }

    /// <summary>"Orthopaedic Surgery Physician" reads "Orthopaedic Surgery": every specialty without a noun of its own is a physician's.</summary>
    public static string NameOf(Specialty specialty) =>
        specialty.DisplayName.EndsWith(" Physician", StringComparison.Ordinal) ? specialty.DisplayName[..^" Physician".Length] : specialty.DisplayName;

    private static int Quality(Entry e, string[] typed) => Quality(e.NameWords, e.KeywordWords, typed);

    /// <summary>0: the first typed word starts the name; 1: every typed word starts a name word; 2: a synonym was needed; −1: no match.</summary>
    private static int Quality(string[] nameWords, string[] keywordWords, string[] typed)
    {
        var quality = nameWords.Length > 0 && nameWords[0].StartsWith(typed[0], StringComparison.Ordinal) ? 0 : 1;
        foreach (var word in typed)
        {
            if (nameWords.Any(w => w.StartsWith(word, StringComparison.Ordinal)))
            {
                continue;
            }
            if (keywordWords.Any(w => w.StartsWith(word, StringComparison.Ordinal)))
            {
                quality = 2;
                continue;
            }
            return -1;
        }
        return quality;
    }

    private static IReadOnlyList<Entry> Build()
    {
        var mains = SpecialtyCatalog.MainCodes;
        return [.. SpecialtyCatalog.All
            .Select(s => new Entry(new SpecialtyChoice(s.TaxonomyCode, NameOf(s), s.Category), Words(NameOf(s)),
                Words(ReferralPriority.Keywords.GetValueOrDefault(s.TaxonomyCode) ?? ""), mains.Contains(s.TaxonomyCode), ReferralPriority.RankOf(s.Category)))
            .OrderBy(e => e.Rank).ThenBy(e => e.IsMain ? 0 : 1).ThenBy(e => e.Choice.Name, StringComparer.Ordinal)];
    }

    private static string[] Words(string text) =>
        Normalize(text).Split((char[])[' ', '(', ')', '-', '/', ',', '.', '&', '\''], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Lower case without accents, and the British "ae" as the American "e" (orthopaedic = orthopedic, paediatric = pediatric).</summary>
    private static string Normalize(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var plain = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                plain.Append(c);
            }
        }
        return plain.ToString().Replace("ae", "e", StringComparison.Ordinal);
    }
}
