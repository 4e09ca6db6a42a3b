using Rapport.Health;

namespace Rapport.Tests.Health;

public sealed class CallListRulesTests
{
    [Fact]
    public void Reasons_of_a_sources_alerts_are_said_once_keeping_the_more_detailed_sentence()
    {
        var merged = SourceAlerts.MergeReasons(
        [
            "Referrals fell from 4.0 to 2.0 a month over the last 4 months (−50%, adjusted p = 0.03), compared with the 24 months before and allowing for the season.",
            "Last touch 121 days ago by phone.",
            "Last refer-back 68 days ago.",
            "Last touch 121 days ago by phone (cadence 30).",
            "Last refer-back 68 days ago.",
            "12 referrals from this source in the last 12 months (limit 60 days without a refer-back).",
        ]);
        Assert.Equal(
        [
            "Referrals fell from 4.0 to 2.0 a month over the last 4 months (−50%, adjusted p = 0.03), compared with the 24 months before and allowing for the season.",
            "Last refer-back 68 days ago.",
            "Last touch 121 days ago by phone (cadence 30).",
            "12 referrals from this source in the last 12 months (limit 60 days without a refer-back).",
        ], merged);
    }
}
