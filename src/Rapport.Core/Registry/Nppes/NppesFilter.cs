using Rapport.Sources;

namespace Rapport.Registry.Nppes;

/// <summary>
/// Which records an import keeps: practice-location states, taxonomy groups of the primary taxonomy
/// (<see cref="TaxonomyEntry.Group"/>) and active NPIs only. Tested on the record's bytes, so a dropped
/// record never becomes a string.
/// </summary>
public sealed class NppesFilter
{
    /// <summary>Shorthand for every category of <see cref="SpecialtyCatalog"/>: the specialties that refer to physical therapy.</summary>
    public const string PtReferrers = "pt-referrers";

    private readonly bool[]? states;
    private readonly HashSet<string>? codes;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> codeLookup;

    private NppesFilter(IReadOnlyList<string> stateList, IReadOnlyList<string> groupList, HashSet<string>? codes, bool activeOnly)
    {
        States = stateList;
        Groups = groupList;
        ActiveOnly = activeOnly;
        if (stateList.Count > 0)
        {
            states = new bool[1 << 16];
            foreach (var state in stateList)
            {
                states[(state[0] << 8) | state[1]] = true;
            }
        }
        this.codes = codes;
        if (codes is not null)
        {
            codeLookup = codes.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    public IReadOnlyList<string> States { get; }
    public IReadOnlyList<string> Groups { get; }
    public bool ActiveOnly { get; }
    /// <summary>The taxonomy codes of <see cref="Groups"/>; null when every code is kept.</summary>
    public IReadOnlyCollection<string>? Codes => codes;
    public bool KeepsEverything => states is null && codes is null;

    /// <summary>Every group a filter may name: the shorthand, the PT referral categories, then the other NUCC classifications.</summary>
    public static IReadOnlyList<string> AllGroups() =>
        [PtReferrers, .. SpecialtyCatalog.Categories,
            .. NuccTaxonomy.All.Select(t => t.Group).Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(g => !SpecialtyCatalog.Categories.Contains(g, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)];

    /// <summary>Builds the filter from the CLI's comma lists; an unknown state or group is an <see cref="ArgumentException"/> naming the valid ones.</summary>
    public static NppesFilter Create(string? states, string? groups, bool activeOnly)
    {
        var stateList = Split(states).Select(s => s.ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        var bad = stateList.Where(s => s.Length != 2 || !s.All(char.IsAsciiLetterUpper)).ToList();
        if (bad.Count > 0)
        {
            throw new ArgumentException($"--states: {string.Join(", ", bad)} is not a two-letter state code (e.g. CA,NV).");
        }
        var groupList = Split(groups).ToList();
        HashSet<string>? codes = null;
        if (groupList.Count > 0)
        {
            codes = new HashSet<string>(StringComparer.Ordinal);
            var canonical = new List<string>();
            foreach (var group in groupList)
            {
                if (string.Equals(group, PtReferrers, StringComparison.OrdinalIgnoreCase))
                {
                    codes.UnionWith(SpecialtyCatalog.Categories.SelectMany(NuccTaxonomy.CodesOfGroup));
                    canonical.Add(PtReferrers);
                    continue;
                }
                var known = NuccTaxonomy.CodesOfGroup(group);
                if (known.Count == 0)
                {
                    throw new ArgumentException(
                        $"--taxonomy-groups: '{group}' is not a taxonomy group. Valid groups (case-insensitive): {string.Join(", ", AllGroups())}.");
                }
                codes.UnionWith(known);
                canonical.Add(NuccTaxonomy.Find(known[0])!.Group);
            }
            groupList = [.. canonical.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];
        }
        return new NppesFilter(stateList, groupList, codes, activeOnly);
    }

    /// <summary>The filters in one canonical text: part of the checkpoint key and shown in the summary.</summary>
    public string Describe() =>
        string.Join("; ", new[]
        {
            States.Count > 0 ? $"states={string.Join(',', States)}" : null,
            Groups.Count > 0 ? $"groups={string.Join(',', Groups)}" : null,
            ActiveOnly ? "active-only" : null,
        }.Where(p => p is not null).DefaultIfEmpty("all rows"));

    public bool KeepsState(ReadOnlySpan<byte> state) =>
        states is null || (state.Length == 2 && states[(state[0] << 8) | state[1]]);

    public bool KeepsTaxonomy(ReadOnlySpan<byte> code)
    {
        if (codes is null)
        {
            return true;
        }
        if (code.Length != 10)
        {
            return false;
        }
        Span<char> chars = stackalloc char[10];
        for (var i = 0; i < 10; i++)
        {
            chars[i] = char.ToUpperInvariant((char)code[i]);
        }
        return codeLookup.Contains(chars);
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
