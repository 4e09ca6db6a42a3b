using Rapport.Health;
using Rapport.Liaison;
using Rapport.Sources;

namespace Rapport.Tests.Liaison;

public sealed class LiaisonRulesTests
{
    [Theory]
    [InlineData("12 Main St", "Eugene", "OR", "97401", "12 Main St, Eugene, OR 97401")]
    [InlineData(null, "Eugene", "OR", null, "Eugene, OR")]
    [InlineData(" ", null, null, "97401", "97401")]
    [InlineData(null, null, null, null, null)]
    public void A_practice_address_reads_on_one_line_with_the_parts_there_are(string? line, string? city, string? state, string? zip, string? expected) =>
        Assert.Equal(expected, CallListService.OneLineAddress(line, city, state, zip));

    [Theory]
    [InlineData("2026-06-15", "2026-06-15")] // Monday
    [InlineData("2026-06-21", "2026-06-15")] // Sunday ends the week
    [InlineData("2026-06-22", "2026-06-22")]
    public void The_practice_week_starts_on_monday(string day, string monday) =>
        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture), LiaisonWeekService.WeekOf(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(10, 20, ReferralTrend.Up)]     // 40 a year lately against 20
    [InlineData(2, 20, ReferralTrend.Down)]    // 8 a year lately against 20
    [InlineData(5, 20, ReferralTrend.Steady)]
    [InlineData(1, 1, ReferralTrend.Steady)]   // too few to say
    [InlineData(0, 3, ReferralTrend.Steady)]
    public void A_sources_referral_trend_compares_its_last_90_days_pace_with_its_12_months(int days90, int months12, ReferralTrend expected) =>
        Assert.Equal(expected, ReferralTrends.Of(days90, months12));

    [Fact]
    public void A_saved_column_choice_keeps_known_columns_in_table_order()
    {
        Assert.Equal(["active-patients", "last-touch"], SourceColumns.Parse("last-touch,bogus,active-patients"));
        Assert.Equal(SourceColumns.Default, SourceColumns.Parse(null));
        Assert.Empty(SourceColumns.Parse(""));
    }
}
