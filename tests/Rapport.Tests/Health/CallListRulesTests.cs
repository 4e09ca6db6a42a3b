using Rapport.Health;

namespace Rapport.Tests.Health;

public sealed class CallListRulesTests
{
    [Fact]
    public void Reasons_of_a_sources_alerts_are_said_once_keeping_the_more_detailed_sentence()
    {
        var merged = CallListService.MergeReasons(
        [
            "Referrals fell 50% (16 → 8) over the last 4 months vs the 24 before, seasonally adjusted, p = 0.03.",
            "Last touch 121 days ago by phone.",
            "Last refer-back 68 days ago.",
            "Last touch 121 days ago by phone (cadence 30).",
            "Last refer-back 68 days ago.",
            "12 referrals from this source in the last 12 months (limit 60 days without a refer-back).",
        ]);
        Assert.Equal(
        [
            "Referrals fell 50% (16 → 8) over the last 4 months vs the 24 before, seasonally adjusted, p = 0.03.",
            "Last refer-back 68 days ago.",
            "Last touch 121 days ago by phone (cadence 30).",
            "12 referrals from this source in the last 12 months (limit 60 days without a refer-back).",
        ], merged);
    }
}
