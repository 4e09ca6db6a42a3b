namespace Rapport.Nps;

/// <summary>
/// A Net Promoter Score with its counts and 95% margin of error, in NPS points (−100..100).
/// </summary>
public sealed record NpsScore(double? Nps, int N, int Promoters, int Passives, int Detractors, double? MarginOfError)
{
    public static readonly NpsScore Empty = new(null, 0, 0, 0, 0, null);

    /// <summary>Promoters answer 9–10, passives 7–8, detractors 0–6 (Reichheld, "The One Number You Need to Grow", HBR 2003).</summary>
    public static NpsCategory CategoryOf(int score) => score switch
    {
        >= 9 => NpsCategory.Promoter,
        >= 7 => NpsCategory.Passive,
        _ => NpsCategory.Detractor,
    };

    public static bool IsValidAnswer(int score) => score is >= 0 and <= 10;

    public static NpsScore FromAnswers(IEnumerable<int> scores)
    {
        int promoters = 0, passives = 0, detractors = 0;
        foreach (var score in scores)
        {
            switch (CategoryOf(score))
            {
                case NpsCategory.Promoter: promoters++; break;
                case NpsCategory.Passive: passives++; break;
                default: detractors++; break;
            }
        }
        return FromCounts(promoters, passives, detractors);
    }

    /// <summary>
    /// NPS = 100 × (p − d), p and d the shares of promoters and detractors. Its standard error is
    /// SE = sqrt((p + d − (p − d)²) / n), the variance of a respondent's +1/0/−1 score over n; the 95%
    /// margin is 1.96 × SE × 100 (Wald interval; see docs REFERENCES "Net Promoter Score", and
    /// Rocks, "Confidence intervals for the Net Promoter Score", 2016). For small n it is only a guide.
    /// </summary>
    public static NpsScore FromCounts(int promoters, int passives, int detractors)
    {
        var n = promoters + passives + detractors;
        if (n == 0)
        {
            return Empty;
        }
        double p = (double)promoters / n, d = (double)detractors / n;
        var standardError = Math.Sqrt(Math.Max(0, p + d - (p - d) * (p - d)) / n);
        return new NpsScore(Math.Round(100 * (p - d), 1), n, promoters, passives, detractors, Math.Round(196 * standardError, 1));
    }
}

public enum NpsCategory { Detractor, Passive, Promoter }
