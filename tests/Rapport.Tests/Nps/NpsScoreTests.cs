using Rapport.Nps;

namespace Rapport.Tests.Nps;

public sealed class NpsScoreTests
{
    [Fact]
    public void All_promoters_score_100_with_no_margin()
    {
        var score = NpsScore.FromAnswers([9, 10, 10, 9]);

        Assert.Equal(100, score.Nps);
        Assert.Equal((4, 4, 0, 0), (score.N, score.Promoters, score.Passives, score.Detractors));
        Assert.Equal(0, score.MarginOfError);
    }

    [Fact]
    public void Equal_promoters_and_detractors_score_0()
    {
        // p = d = 0.5: SE = sqrt((0.5 + 0.5 − 0²) / 4) = 0.5, margin = 1.96 × 0.5 × 100 = 98.
        var score = NpsScore.FromAnswers([10, 0, 9, 6]);

        Assert.Equal(0, score.Nps);
        Assert.Equal(98, score.MarginOfError);
    }

    [Fact]
    public void Mixed_answers_match_the_hand_computation()
    {
        // 10 answers: promoters 10,10,9,9,9 (5), passives 8,7 (2), detractors 6,3,0 (3).
        // p = 0.5, d = 0.3 → NPS = 100 × 0.2 = 20.
        // SE = sqrt((0.5 + 0.3 − 0.2²) / 10) = sqrt(0.76 / 10) = sqrt(0.076) = 0.275681...
        // margin = 1.96 × 0.275681 × 100 = 54.03 → 54.0 (one decimal).
        var score = NpsScore.FromAnswers([10, 10, 9, 9, 9, 8, 7, 6, 3, 0]);

        Assert.Equal(20, score.Nps);
        Assert.Equal((10, 5, 2, 3), (score.N, score.Promoters, score.Passives, score.Detractors));
        Assert.Equal(54.0, score.MarginOfError);
    }

    [Fact]
    public void All_detractors_score_minus_100_and_no_answers_give_no_score()
    {
        Assert.Equal(-100, NpsScore.FromAnswers([0, 6, 5]).Nps);
        Assert.Null(NpsScore.FromAnswers([]).Nps);
        Assert.Null(NpsScore.FromAnswers([]).MarginOfError);
    }

    [Theory]
    [InlineData(6, NpsCategory.Detractor)]
    [InlineData(7, NpsCategory.Passive)]
    [InlineData(8, NpsCategory.Passive)]
    [InlineData(9, NpsCategory.Promoter)]
    public void Category_boundaries_follow_the_published_rule(int answer, NpsCategory expected) =>
        Assert.Equal(expected, NpsScore.CategoryOf(answer));
}
