using Rapport.Common;
using Rapport.Outcomes.Instruments;

namespace Rapport.Tests.Outcomes;

/// <summary>Each instrument's published rule (shared REFERENCES.md), at its extremes, mid-range and missing-item boundary.</summary>
public sealed class InstrumentScoringTests
{
    private static InstrumentScore Score(string code, string answers) => InstrumentCatalog.Get(code).Score(answers);

    private static string Repeat(string answer, int count) => string.Join(',', Enumerable.Repeat(answer, count));

    [Fact]
    public void Codes_are_case_insensitive_and_unknown_codes_are_rejected()
    {
        Assert.Equal("koos-jr", InstrumentCatalog.Get("KOOS-JR").Code);
        Assert.Equal("quickdash-work", InstrumentCatalog.Get("QuickDASH-Work").Code);
        var e = Assert.Throws<ValidationException>(() => InstrumentCatalog.Get("womac"));
        Assert.Contains("lefs", e.Errors["instrument"][0], StringComparison.Ordinal);
        Assert.Equal(10, InstrumentCatalog.All.Count);
    }

    // LEFS (Binkley 1999): sum of 20 items 0–4; up to 4 missing prorated (sum × 20 / answered), 5 not scorable.
    [Fact]
    public void Lefs_sums_twenty_items_and_prorates_up_to_four_missing()
    {
        Assert.Equal(0, Score("lefs", Repeat("0", 20)).Score);
        Assert.Equal(80, Score("lefs", Repeat("4", 20)).Score);
        var mid = Score("lefs", "0,1,2,3,4,0,1,2,3,4,0,1,2,3,4,0,1,2,3,4");
        Assert.Equal(40, mid.Score);
        Assert.Equal(40, mid.Raw);
        Assert.Equal(ScoreDirection.HigherIsBetter, mid.Direction);
        Assert.Equal(9, mid.Mcid);
        // 16 answered, all 3: sum 48, prorated 48 × 20 / 16 = 60.
        var fourMissing = Score("lefs", Repeat("3", 16) + ",,,,");
        Assert.True(fourMissing.Scorable);
        Assert.Equal(60, fourMissing.Score);
        Assert.Equal(48, fourMissing.Raw);
        var fiveMissing = Score("lefs", Repeat("3", 15) + ",,,,,");
        Assert.False(fiveMissing.Scorable);
        Assert.Null(fiveMissing.Score);
    }

    // ODI 2.1a (Fairbank & Pynsent 2000) scoring sheet: 16/50 = 32%; one section missing 16/45 = 35.6%.
    [Fact]
    public void Odi_follows_the_scoring_sheet_example()
    {
        var full = Score("odi", "2,2,2,2,2,2,1,1,1,1");
        Assert.Equal(16, full.Raw);
        Assert.Equal(32, full.Score!.Value, 10);
        var oneMissing = Score("odi", "2,2,2,2,2,2,2,1,1,");
        Assert.Equal(16, oneMissing.Raw);
        Assert.Equal(16.0 / 45 * 100, oneMissing.Score!.Value, 10);
        Assert.Equal(35.6, Math.Round(oneMissing.Score!.Value, 1));
        Assert.Equal(0, Score("odi", Repeat("0", 10)).Score);
        Assert.Equal(100, Score("odi", Repeat("5", 10)).Score);
        Assert.Equal(ScoreDirection.HigherIsWorse, full.Direction);
        Assert.Equal("97908-8", InstrumentCatalog.Get("odi").Loinc);
    }

    [Fact]
    public void Odi_scores_with_two_sections_missing_but_not_three()
    {
        // 8 answered sections of 3: 24 / 40 = 60%.
        Assert.Equal(60, Score("odi", Repeat("3", 8) + ",,").Score!.Value, 10);
        var three = Score("odi", Repeat("3", 7) + ",,,");
        Assert.False(three.Scorable);
        Assert.Null(three.Score);
    }

    // NDI (Vernon & Mior 1991): raw 0–50; ODI missing rule borrowed: total / (5 × answered) × 50.
    [Fact]
    public void Ndi_reports_points_on_the_zero_to_fifty_scale()
    {
        Assert.Equal(0, Score("ndi", Repeat("0", 10)).Score);
        Assert.Equal(50, Score("ndi", Repeat("5", 10)).Score);
        Assert.Equal(17, Score("ndi", "2,2,2,2,2,2,2,1,1,1").Score);
        // 9 answered summing 18: 18 / 45 × 50 = 20.
        Assert.Equal(20, Score("ndi", "2,2,2,2,2,2,2,2,2,").Score!.Value, 10);
        Assert.True(Score("ndi", "2,2,2,2,2,2,2,2,,").Scorable);
        Assert.False(Score("ndi", "2,2,2,2,2,2,2,,,").Scorable);
        Assert.Equal(7.5, InstrumentCatalog.Get("ndi").Mcid);
    }

    // QuickDASH (IWH): ((sum / n) − 1) × 25; not scorable with more than 1 of 11 missing.
    [Fact]
    public void QuickDash_scores_answered_items_and_allows_one_missing()
    {
        Assert.Equal(0, Score("quickdash", Repeat("1", 11)).Score);
        Assert.Equal(100, Score("quickdash", Repeat("5", 11)).Score);
        // Sum 33 over 11 items: (3 − 1) × 25 = 50.
        Assert.Equal(50, Score("quickdash", "1,2,3,4,5,3,3,3,3,3,3").Score);
        // One missing: 10 answered summing 25 → (2.5 − 1) × 25 = 37.5.
        var oneMissing = Score("quickdash", "2,3,2,3,2,3,2,3,2,3,");
        Assert.Equal(37.5, oneMissing.Score);
        Assert.Equal(25, oneMissing.Raw);
        var twoMissing = Score("quickdash", "2,3,2,3,2,3,2,3,2,,");
        Assert.False(twoMissing.Scorable);
        Assert.Null(twoMissing.Score);
        Assert.Null(InstrumentCatalog.Get("quickdash").Loinc);
    }

    [Theory]
    [InlineData("quickdash-work")]
    [InlineData("quickdash-sports")]
    public void QuickDash_modules_need_all_four_items(string code)
    {
        Assert.Equal(0, Score(code, "1,1,1,1").Score);
        Assert.Equal(100, Score(code, "5,5,5,5").Score);
        // Sum 15: (15 / 4 − 1) × 25 = 68.75.
        Assert.Equal(68.75, Score(code, "3,3,4,5").Score);
        Assert.False(Score(code, "3,4,4,").Scorable);
    }

    [Fact]
    public void QuickDash_rejects_zero_because_its_scale_starts_at_one()
    {
        var e = Assert.Throws<ValidationException>(() => Score("quickdash", "0," + Repeat("3", 10)));
        Assert.Contains("Item 1: 0 is outside 1–5.", e.Errors["answers"]);
    }

    // KOOS JR (HSS table): raw sums 0 → 100, 7 → 68.284, 14 → 52.465, 21 → 34.174, 28 → 0.
    [Theory]
    [InlineData("0,0,0,0,0,0,0", 0, 100.0)]
    [InlineData("1,1,1,1,1,1,1", 7, 68.284)]
    [InlineData("2,2,2,2,2,2,2", 14, 52.465)]
    [InlineData("4,4,4,4,3,1,1", 21, 34.174)]
    [InlineData("4,4,4,4,4,4,3", 27, 8.291)]
    [InlineData("4,4,4,4,4,4,4", 28, 0.0)]
    public void KoosJr_converts_the_raw_sum_with_the_HSS_table(string answers, int raw, double interval)
    {
        var score = Score("koos-jr", answers);
        Assert.Equal(raw, score.Raw);
        Assert.Equal(interval, score.Score);
    }

    // HOOS JR (HSS table): raw 0 → 100, 1 → 92.340, 12 → 52.965, 23 → 8.104, 24 → 0.
    [Theory]
    [InlineData("0,0,0,0,0,0", 0, 100.0)]
    [InlineData("1,0,0,0,0,0", 1, 92.340)]
    [InlineData("2,2,2,2,2,2", 12, 52.965)]
    [InlineData("4,4,4,4,4,3", 23, 8.104)]
    [InlineData("4,4,4,4,4,4", 24, 0.0)]
    public void HoosJr_converts_the_raw_sum_with_the_HSS_table(string answers, int raw, double interval)
    {
        var score = Score("hoos-jr", answers);
        Assert.Equal(raw, score.Raw);
        Assert.Equal(interval, score.Score);
    }

    [Fact]
    public void Koos_and_hoos_jr_need_every_item()
    {
        Assert.True(Score("koos-jr", "1,1,1,1,1,1,1").Scorable);
        Assert.False(Score("koos-jr", "1,1,1,1,1,1,").Scorable);
        Assert.True(Score("hoos-jr", "1,1,1,1,1,1").Scorable);
        Assert.False(Score("hoos-jr", ",1,1,1,1,1").Scorable);
        Assert.Equal("82332-8", InstrumentCatalog.Get("koos-jr").Loinc);
        Assert.Equal("82323-7", InstrumentCatalog.Get("hoos-jr").Loinc);
    }

    // PSFS (Stratford 1995): up to five activities; the score is the mean of the rated ones, 0–10.
    [Fact]
    public void Psfs_is_the_mean_of_the_rated_activities()
    {
        Assert.Equal(0, Score("psfs", "0,0,0").Score);
        Assert.Equal(10, Score("psfs", "10,10,10,10,10").Score);
        Assert.Equal(13.0 / 3, Score("psfs", "3,4,6").Score!.Value, 12);
        Assert.Equal(4.5, Score("psfs", "3,6").Score);
        // Five named, two not rated: mean of the three rated.
        Assert.Equal(5, Score("psfs", "4,,5,,6").Score);
        Assert.True(Score("psfs", ",,7").Scorable);
    }

    [Fact]
    public void Psfs_with_a_single_rated_activity_scores_that_rating()
    {
        var one = Score("psfs", "7");
        Assert.True(one.Scorable);
        Assert.Equal(7, one.Score);
        Assert.Equal(1, one.Answered);
    }

    [Fact]
    public void Psfs_with_no_rated_activity_is_not_scorable()
    {
        var none = InstrumentCatalog.Get("psfs").Score([null]);
        Assert.False(none.Scorable);
        Assert.Null(none.Score);
        Assert.False(Score("psfs", ",,").Scorable);
    }

    [Fact]
    public void Psfs_refuses_a_sixth_activity()
    {
        var e = Assert.Throws<ValidationException>(() => Score("psfs", "3,4,5,6,7,8"));
        Assert.Contains("1 to 5", e.Errors["answers"][0], StringComparison.Ordinal);
    }

    // NPRS: the rating itself, 0–10.
    [Fact]
    public void Nprs_is_the_rating()
    {
        Assert.Equal(0, Score("nprs", "0").Score);
        Assert.Equal(10, Score("nprs", "10").Score);
        Assert.Equal(6, Score("nprs", "6").Score);
        Assert.Throws<ValidationException>(() => Score("nprs", ""));
        Assert.Throws<ValidationException>(() => Score("nprs", "11"));
    }

    [Fact]
    public void Nprs_with_its_one_item_blank_is_not_scorable()
    {
        var blank = InstrumentCatalog.Get("nprs").Score([null]);
        Assert.False(blank.Scorable);
        Assert.Null(blank.Score);
    }

    [Theory]
    [InlineData("lefs", "5,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4", "Item 1: 5 is outside 0–4.")]
    [InlineData("odi", "1,1,1,1,1,1,1,1,1,6", "Item 10: 6 is outside 0–5.")]
    [InlineData("ndi", "-1,1,1,1,1,1,1,1,1,1", "Item 1: -1 is outside 0–5.")]
    [InlineData("koos-jr", "0,0,0,0,0,0,5", "Item 7: 5 is outside 0–4.")]
    [InlineData("hoos-jr", "0,0,0,0,0", "HOOS JR (hip) takes 6 answers in item order (blank for a missing item); got 5.")]
    [InlineData("psfs", "3,11,4", "Item 2: 11 is outside 0–10.")]
    [InlineData("odi", "1,1,1,1,1,1,1,1,1,1.5", "Item 10: '1.5' is not a whole number.")]
    public void Invalid_answers_are_rejected_with_the_item_named(string code, string answers, string problem)
    {
        var e = Assert.Throws<ValidationException>(() => Score(code, answers));
        Assert.Contains(problem, e.Errors["answers"]);
    }

    [Fact]
    public void Answers_may_be_separated_by_semicolons()
    {
        Assert.Equal([4, null, 2], InstrumentAnswers.Parse("4;;2"));
        Assert.Equal("4,,2", InstrumentAnswers.Format([4, null, 2]));
    }
}
