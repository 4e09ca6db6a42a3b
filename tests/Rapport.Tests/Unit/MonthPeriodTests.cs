using Rapport.Common;
using Rapport.Pages;
using Rapport.ReportCards;

namespace Rapport.Tests.Unit;

public sealed class MonthPeriodTests
{
    [Theory]
    [InlineData(1, "1st")]
    [InlineData(2, "2nd")]
    [InlineData(3, "3rd")]
    [InlineData(4, "4th")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(13, "13th")]
    [InlineData(21, "21st")]
    [InlineData(22, "22nd")]
    [InlineData(23, "23rd")]
    [InlineData(31, "31st")]
    public void Ordinals_read_as_in_English(int day, string text) => Assert.Equal(text, MonthPeriod.Ordinal(day));

    [Fact]
    public void Only_the_month_holding_today_is_partial_and_it_runs_to_today()
    {
        var today = new DateOnly(2026, 12, 2);
        Assert.Equal(new MonthPeriod(new DateOnly(2026, 12, 1), today, true), MonthPeriod.Of(new DateOnly(2026, 12, 1), today));
        Assert.Equal("Dec 2026 (to 2nd)", MonthPeriod.Of(today, today).Label);
        Assert.Equal("Dec (to 2nd)", MonthPeriod.Of(today, today).ShortLabel);
        var november = MonthPeriod.Of(new DateOnly(2026, 11, 15), today);
        Assert.Equal((false, new DateOnly(2026, 11, 30), "Nov 2026"), (november.Partial, november.Through, november.Label));
        // A year ago this month is complete.
        Assert.False(MonthPeriod.Of(new DateOnly(2025, 12, 1), today).Partial);
    }

    [Theory]
    [InlineData("2026-12-02", "2026-11-01", "2026-11-02")]
    [InlineData("2026-12-01", "2026-11-01", "2026-11-01")]
    [InlineData("2026-03-31", "2026-02-01", "2026-02-28")]  // February is shorter: all of it
    [InlineData("2028-03-30", "2028-02-01", "2028-02-29")]  // a leap year
    [InlineData("2027-01-15", "2026-12-01", "2026-12-15")]  // across the new year
    public void Month_to_date_is_compared_with_the_same_days_of_last_month(string today, string from, string through) =>
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(through)), MonthPeriod.SameDaysOfLastMonth(DateOnly.Parse(today)));

    [Fact]
    public void A_sparkline_ends_at_the_last_complete_month_and_the_month_so_far_is_a_separate_point()
    {
        int[] monthly = [4, 4, 4, 0];
        var line = IndexModel.Sparkline(monthly, partialIndex: 3, width: 120, height: 24);
        Assert.Equal("0,1 40,1 80,1", line.Points);
        Assert.Equal(("120", "23"), line.Partial);
        var complete = IndexModel.Sparkline(monthly, partialIndex: -1, width: 120, height: 24);
        Assert.Equal("0,1 40,1 80,1 120,23", complete.Points);
        Assert.Null(complete.Partial);
    }

    [Fact]
    public void A_report_card_period_that_is_not_over_is_labelled_to_date()
    {
        var today = new DateOnly(2026, 12, 2);
        Assert.Equal("3 Dec 2025 – 2 Dec 2026 (to date)", ReportCardPeriod.Describe(new DateOnly(2025, 12, 3), today, today));
        Assert.Equal("1 Oct 2026 – 31 Dec 2026 (to date: 2 Dec 2026)", ReportCardPeriod.Describe(new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31), today));
        Assert.Equal("1 Nov 2026 – 1 Dec 2026", ReportCardPeriod.Describe(new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), today));
        Assert.False(ReportCardPeriod.IsPartial(new DateOnly(2026, 11, 30), today));
        Assert.True(ReportCardPeriod.IsPartial(today, today));
    }
}
