using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Rapport.Common;
using Rapport.Data;
using Rapport.Demo;
using Rapport.Outcomes;
using Rapport.Nps;
using Rapport.Sources;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Demo;

/// <summary>
/// The demo practice, seeded and shown at a spread of "today"s where calendar code breaks: the
/// first, second, middle and last day of months, New Year's Eve and Day, both US daylight-saving
/// change days and 29 February. Each day is entered at 17:30 in Los Angeles (the demo's zone),
/// when the UTC date is already the next day: a date read in UTC instead of the practice's zone
/// shows up as a record dated "tomorrow" or a window off by a day.
/// </summary>
public sealed class DemoCalendarTests
{
    public static TheoryData<string> Days() => new(
        "2026-12-01", "2026-12-02", "2026-12-15", "2026-12-31", "2027-01-01", "2026-03-08", "2026-11-01", "2028-02-29", "2027-02-28", "2026-04-30");

    [Theory]
    [MemberData(nameof(Days))]
    public async Task The_demo_story_holds_and_nothing_is_dated_after_today(string day)
    {
        var today = DateOnly.Parse(day, CultureInfo.InvariantCulture);
        var zone = DateTimeZoneProviders.Tzdb[DemoSeeder.DemoTimeZone];
        var now = zone.AtLeniently(LocalDate.FromDateOnly(today).At(new LocalTime(17, 30))).ToDateTimeOffset();
        Assert.Equal(today.AddDays(1), DateOnly.FromDateTime(now.UtcDateTime));
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite, now: now);
        int organizationId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, TestContext.Current.CancellationToken)).Created);
            organizationId = await scope.ServiceProvider.GetRequiredService<RapportDbContext>().Organizations.Select(o => o.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        await app.InOrganizationAsync(organizationId, async services =>
        {
            Assert.Equal(today, services.GetRequiredService<PracticeClock>().Today());
            var db = services.GetRequiredService<RapportDbContext>();

            // Nothing happens after today, and the history runs up to it.
            var latest = new Dictionary<string, DateOnly?>
            {
                ["referral received"] = await db.Referrals.MaxAsync(r => (DateOnly?)r.ReceivedOn),
                ["referral scheduled"] = await db.Referrals.MaxAsync(r => r.ScheduledOn),
                ["referral evaluated"] = await db.Referrals.MaxAsync(r => r.EvaluatedOn),
                ["referral discharged"] = await db.Referrals.MaxAsync(r => r.DischargedOn),
                ["referral lost"] = await db.Referrals.MaxAsync(r => r.LostOn),
                ["touch"] = await db.Touchpoints.MaxAsync(t => (DateOnly?)t.OccurredOn),
                ["touch follow-up"] = await db.Touchpoints.MaxAsync(t => t.FollowUpOn),
                ["refer-back"] = await db.ReferralsOut.MaxAsync(r => (DateOnly?)r.SentOn),
                ["assessment"] = await db.Set<OutcomeAssessment>().MaxAsync(a => (DateOnly?)a.AssessedOn),
                ["NPS response"] = await db.Set<NpsResponse>().MaxAsync(r => (DateOnly?)r.RespondedOn),
            };
            Assert.All(latest, pair => Assert.True(pair.Value is null || pair.Value <= today, $"a {pair.Key} is dated {pair.Value}, after today {today}"));
            Assert.InRange(latest["referral received"]!.Value, today.AddDays(-7), today);

            // The source text's story: Dr. House halved his referrals over the last four months, was
            // not touched for about four months and not referred back to for a little over two.
            var house = await db.Sources.SingleAsync(s => s.FirstName == "Gregory" && s.LastName == "House");
            var received = await db.Referrals.Where(r => r.SourceId == house.Id).Select(r => r.ReceivedOn).ToListAsync();
            var lastFour = received.Count(d => d > today.AddMonths(-4));
            var fourBefore = received.Count(d => d > today.AddMonths(-8) && d <= today.AddMonths(-4));
            // A busy joint-replacement surgeon: 20 a month with the practice's season (0.76–1.20), ±1 a month.
            Assert.InRange((double)fourBefore, 4 * (DemoPlan.HouseSteadyMonthly * 0.76 - 1), 4 * (DemoPlan.HouseSteadyMonthly * 1.20 + 1));
            Assert.InRange(lastFour / (double)fourBefore, 0.4, 0.6);
            var metrics = (await services.GetRequiredService<SourceQueries>().SummaryAsync(house.Id))!;
            Assert.InRange(metrics.DaysSinceTouch!.Value, 115, 130);
            Assert.InRange(today.DayNumber - metrics.LastReferBackAt!.Value.DayNumber, 60, 75);

            // A year of campaigns, measured by the attribution rule (docs/campaigns.md): the health fair brought two physicians who
            // had never referred, the conference exhibit cost the most and brought nothing, the referral-first outreach reached
            // three prospects and one now refers, and the newsletter to established referrers brought no new ones.
            var campaigns = (await services.GetRequiredService<Rapport.Campaigns.CampaignResultsService>()
                .SummariesAsync(new Rapport.Campaigns.CampaignListQuery())).ToDictionary(c => c.Kind);
            var fair = campaigns[Rapport.Campaigns.CampaignKind.HealthFair];
            Assert.Equal((8, 2), (fair.SourcesReached, fair.NewReferringSources));
            Assert.True(fair.StartsOn <= today.AddMonths(-8) && fair.StartsOn > today.AddMonths(-8).AddDays(-7), $"fair on {fair.StartsOn}");
            var exhibit = campaigns[Rapport.Campaigns.CampaignKind.ConferenceExhibit];
            Assert.Equal((5, 0, 0, 2387.80m), (exhibit.SourcesReached, exhibit.NewReferringSources, exhibit.ReferralsAttributed, exhibit.ActualCost));
            var outreach = campaigns[Rapport.Campaigns.CampaignKind.ReferralFirstOutreach];
            Assert.Equal((3, 1), (outreach.SourcesReached, outreach.NewReferringSources));
            var newsletter = campaigns[Rapport.Campaigns.CampaignKind.Newsletter];
            Assert.Equal(0, newsletter.NewReferringSources);
            Assert.True(newsletter.ReferralsAttributed > 0);
            return 0;
        });

        // Every page staff open first answers, on the practice's date.
        using var browser = await app.SignedInClientAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
        var houseId = await app.InOrganizationAsync(organizationId, s => s.GetRequiredService<RapportDbContext>().Sources
            .Where(x => x.LastName == "House").Select(x => x.Id).SingleAsync());
        foreach (var path in new[] { "/", "/Sources", $"/Sources/{houseId}", "/Alerts", "/CallList", "/Letters", "/Outcomes", "/Nps", $"/Touchpoints/New?sourceId={houseId}" })
        {
            using var response = await browser.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode} on {day}");
            var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Contains($"datetime=\"{day}\"", html, StringComparison.Ordinal);
        }

        // Letters owed: each is overdue by exactly (today − due by) days once past its due-by date, and says so.
        var key = await app.InOrganizationAsync(organizationId, s => s.GetRequiredService<Rapport.ApiKeys.ApiKeyService>().CreateAsync("calendar", "tests"));
        using var api = app.ApiClient(key.Secret);
        var due = (await api.GetOkAsync("/api/v1/letters/due")).EnumerateArray().ToList();
        Assert.NotEmpty(due);
        Assert.All(due, d =>
        {
            var dueBy = DateOnly.Parse(d.GetProperty("dueBy").GetString()!, CultureInfo.InvariantCulture);
            var eventOn = DateOnly.Parse(d.GetProperty("eventOn").GetString()!, CultureInfo.InvariantCulture);
            Assert.True(eventOn <= today, $"a letter is owed for an event on {eventOn}, after today");
            Assert.Equal(Math.Max(0, today.DayNumber - dueBy.DayNumber), d.GetProperty("daysOverdue").GetInt32());
            Assert.Equal(today > dueBy ? "Overdue" : "Due", d.GetProperty("state").GetString());
        });
    }
}
