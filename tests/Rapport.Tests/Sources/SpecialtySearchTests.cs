using Rapport.Sources;

namespace Rapport.Tests.Sources;

public sealed class SpecialtySearchTests
{
    private static IReadOnlyList<string> Codes(string typed) => [.. SpecialtySearch.Find(typed).Select(s => s.TaxonomyCode)];

    [Theory]
    [InlineData("orthop")]
    [InlineData("Orthop")]
    [InlineData("ORTHOPEDIC")]
    [InlineData("orthopaedic surg")]
    public void Orthop_finds_orthopaedic_surgery_first_not_a_chiropractor(string typed)
    {
        var found = SpecialtySearch.Find(typed);
        Assert.Equal("207X00000X", found[0].TaxonomyCode);
        Assert.Equal("Orthopaedic Surgery · 207X00000X", found[0].Label);
        // The orthopaedic sub-specialties come before any chiropractor or physical therapist.
        var chiropractor = found.ToList().FindIndex(s => s.TaxonomyCode == "111NX0800X");
        var lastSurgeon = found.ToList().FindLastIndex(s => s.Category == "Orthopaedic surgery");
        Assert.True(lastSurgeon >= 4, "the orthopaedic sub-specialties match too");
        Assert.True(chiropractor < 0 || chiropractor > lastSurgeon, $"chiropractor at {chiropractor}, last orthopaedic surgeon at {lastSurgeon}");
    }

    [Fact]
    public void Spine_finds_the_spine_specialties()
    {
        var codes = Codes("spine");
        Assert.Equal("207XS0117X", codes[0]);
        Assert.Contains("207T00000X", codes);
        Assert.Contains("2081P0004X", codes);
        Assert.DoesNotContain("207Q00000X", codes);
    }

    [Fact]
    public void Podiatr_finds_podiatrist_first()
    {
        var found = SpecialtySearch.Find("podiatr");
        Assert.Equal("213E00000X", found[0].TaxonomyCode);
        Assert.Equal("Podiatrist", found[0].Name);
        Assert.All(found, s => Assert.Contains("Podiatrist", s.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void Words_match_only_at_word_starts()
    {
        // "edic" is inside "Medicine" but starts no word.
        Assert.Empty(SpecialtySearch.Find("edic"));
        Assert.Equal("207Q00000X", Codes("family med")[0]);
        Assert.Equal("2084N0400X", Codes("neuro")[0]);
    }

    [Theory]
    [InlineData("207X00000X")]
    [InlineData("207x00000x")]
    [InlineData("Orthopaedic Surgery · 207X00000X")]
    public void An_exact_code_finds_its_specialty(string typed) =>
        Assert.Equal(["207X00000X"], Codes(typed));

    [Fact]
    public void Nothing_typed_lists_the_most_referring_specialties_first()
    {
        var all = SpecialtySearch.All;
        Assert.Equal("207X00000X", all[0].TaxonomyCode);
        Assert.Equal(SpecialtyCatalog.All.Count, all.Count);
        Assert.True(all.ToList().FindIndex(s => s.Category == "Chiropractic") > all.ToList().FindIndex(s => s.Category == "Podiatry"));
        Assert.Equal("Orthopaedic surgery", SpecialtyCatalog.Categories[0]);
    }

    [Fact]
    public void A_category_filter_search_finds_categories_through_their_specialties()
    {
        var categories = SpecialtySearch.FindCategories("podiatr").Select(c => c.Category).ToList();
        Assert.Equal("Podiatry", categories[0]);
        Assert.Equal("Chiropractic", SpecialtySearch.FindCategories("chiro")[0].Category);
        Assert.Equal("Orthopaedic surgery", SpecialtySearch.FindCategories("orthop")[0].Category);
    }

    [Theory]
    [InlineData("Orthopaedic surgery", "207X00000X")]
    [InlineData("orthopedic surgery physician", "207X00000X")]
    [InlineData("Podiatrist", "213E00000X")]
    [InlineData("207T00000X", "207T00000X")]
    [InlineData("Sports medicine", null)]
    [InlineData("Witch doctor", null)]
    public void A_specialty_given_by_name_resolves_only_when_it_names_one(string text, string? code) =>
        Assert.Equal(code, SpecialtySearch.Resolve(text)?.TaxonomyCode);
}
