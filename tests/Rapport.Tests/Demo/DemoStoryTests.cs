using Rapport.Demo;
using Rapport.Health;

namespace Rapport.Tests.Demo;

/// <summary>
/// The source text's story in the demo on any day: Dr. House, a steady referrer who halved his
/// referrals over the last four months while nobody touched him and nobody referred back, is in the
/// alert tier as declining, with touch overdue and refer-back gap alerts beside it, for demo seeds
/// 1–20 and the default one. The demo's plan is evaluated without a database (<see cref="DemoHealth"/>).
/// </summary>
/// <remarks>
/// The suite checks a sample: for each seed, a day in every month of a year, the day of the month
/// moving with the seed and the month so first, last and middle days all come up (240 practices).
/// <c>bench/demo-story.sh</c> sets <c>RAPPORT_DEMO_STORY_DAYS=365</c> for every day of the year for every seed (7,300).
/// </remarks>
public sealed class DemoStoryTests
{
    private static readonly DateOnly FirstDay = new(2026, 1, 1);

    /// <summary>Seeds 1–20 and the one <c>rapport serve --demo</c> uses.</summary>
    public static TheoryData<int> Seeds() => new([.. Enumerable.Range(1, 20), DemoOptions.DefaultSeed]);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Dr_House_is_declining_touch_overdue_and_missing_refer_backs_on_every_day(int seed)
    {
        var everyDay = Environment.GetEnvironmentVariable("RAPPORT_DEMO_STORY_DAYS") == "365";
        var days = everyDay
            ? Enumerable.Range(0, 365).Select(FirstDay.AddDays)
            : Enumerable.Range(0, 12).Select(m =>
            {
                var month = FirstDay.AddMonths(m);
                return month.AddDays((seed * 7 + m * 11) % DateTime.DaysInMonth(month.Year, month.Month));
            });
        var failures = new List<string>();
        foreach (var today in days)
        {
            var alerts = HealthEvaluator.Evaluate(DemoHealth.Snapshot(seed, today)).Where(a => a.Source.Id == DemoHealth.HouseId).ToList();
            var declining = alerts.FirstOrDefault(a => a.Kind == AlertKinds.Declining);
            var missing = new List<string>();
            if (declining?.Tier != AlertTiers.Alert) missing.Add($"declining in the alert tier (got {declining?.Tier ?? "none"}: {declining?.Reasons[0]})");
            if (!alerts.Any(a => a.Kind == AlertKinds.TouchOverdue)) missing.Add("touch overdue");
            if (!alerts.Any(a => a.Kind == AlertKinds.ReciprocityGap)) missing.Add("refer-back gap");
            if (missing.Count > 0) failures.Add($"{today:yyyy-MM-dd}: no {string.Join(", no ", missing)}");
        }
        Assert.True(failures.Count == 0, $"Seed {seed}:\n" + string.Join("\n", failures));
    }
}
