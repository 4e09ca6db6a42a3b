using Rapport.Registry;

namespace Rapport.Prospects;

/// <summary>A clinic niche and the specialty groups whose physicians send it patients; the first group is the niche's main one.</summary>
public sealed record ProspectPreset(string Key, string Label, IReadOnlyList<string> Groups, IReadOnlyList<string> NicheWords);

/// <summary>
/// The niche presets of the prospects page, API and CLI. Groups are the registry's specialty groups
/// (<see cref="TaxonomyEntry.Group"/>): the referring categories of <c>SpecialtyCatalog</c> where the
/// code refers to physical therapy, else the NUCC classification ("Urology"). Every group here must have
/// taxonomy codes (tests check it), or the preset would silently find nobody.
/// </summary>
public static class ProspectPresets
{
    public static readonly IReadOnlyList<ProspectPreset> All =
    [
        new("orthopaedics", "Orthopaedics", ["Orthopaedic surgery", "Sports medicine"], ["ortho", "sport", "joint", "hand", "work injury", "running"]),
        new("pelvic-health", "Pelvic health", ["Obstetrics & gynecology", "Urology"], ["pelvic", "women", "continence"]),
        new("neuro-rehab", "Neuro rehab", ["Neurology", "Neurological surgery", "Physical medicine & rehabilitation"], ["neuro", "vestibular", "stroke", "balance", "parkinson"]),
        new("paediatrics", "Paediatrics", ["Pediatrics"], ["paediatric", "pediatric", "children", "kids"]),
        new("podiatry", "Podiatry", ["Podiatry"], ["foot", "ankle", "podiatr"]),
        new("pain-management", "Pain management", ["Pain medicine", "Physical medicine & rehabilitation"], ["pain", "spine"]),
        new("primary-care", "Primary care", ["Family medicine / general practice", "Internal medicine"], ["primary", "family", "internal medicine"]),
    ];

    public static ProspectPreset Default => All.First(p => p.Key == "primary-care");

    public static ProspectPreset? Find(string? key) =>
        All.FirstOrDefault(p => string.Equals(p.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The preset a clinic's niche text names first ("geriatrics, balance, neurology" → neuro rehab,
    /// "sports, running, concussion" → orthopaedics); primary care when it names none.
    /// </summary>
    public static ProspectPreset ForNiche(string? niche)
    {
        if (string.IsNullOrWhiteSpace(niche))
        {
            return Default;
        }
        var text = niche.ToLowerInvariant();
        return All.Select(p => (Preset: p, At: p.NicheWords.Select(w => text.IndexOf(w, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(int.MaxValue).Min()))
            .Where(p => p.At < int.MaxValue).OrderBy(p => p.At).Select(p => p.Preset).FirstOrDefault() ?? Default;
    }

    /// <summary>The groups a user can tick: every preset's groups, then the other referring categories.</summary>
    public static IReadOnlyList<string> Choices { get; } = [.. All.SelectMany(p => p.Groups)
        .Concat(Sources.SpecialtyCatalog.Categories).Distinct(StringComparer.OrdinalIgnoreCase)
        .Where(g => NuccTaxonomy.CodesOfGroup(g).Count > 0)];
}
