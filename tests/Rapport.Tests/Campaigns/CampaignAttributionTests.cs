using Microsoft.Extensions.DependencyInjection;
using Rapport.Campaigns;
using Rapport.Data;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Campaigns;

/// <summary>The attribution rule and every figure against <see cref="CampaignHistory"/>, on both databases.</summary>
public sealed class CampaignAttributionTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_built_history_gives_the_hand_computed_results(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Campaign PT");
        var ids = await CampaignHistory.SeedAsync(app, org);
        var fair = await ResultsAsync(app, org, ids.Fair);

        // 30 days after the fair's touch: the fair's; 120 days after: nobody's (window 90). Brown's April referral is the newsletter's.
        var referralDays = fair.Timeline.Where(e => e.Kind == "referral").Select(e => (e.On, e.SourceId, e.Via)).ToList();
        Assert.Equal(
        [
            (new DateOnly(2026, 1, 20), (int?)null, "intake"), (new DateOnly(2026, 2, 1), ids.Chase, "touch"),
            (new DateOnly(2026, 2, 14), ids.Adams, "touch"), (new DateOnly(2026, 3, 1), ids.Brown, "touch"),
        ], referralDays);
        Assert.Equal(4, fair.ReferralsAttributed);
        Assert.Equal(3, fair.ReferralsViaTouches);
        Assert.Equal(1, fair.ReferralsViaIntake);
        Assert.Equal(3, fair.EvaluatedAttributed);
        Assert.Equal(22, fair.Visits);
        Assert.Equal(3, fair.SourcesReached);
        Assert.Equal(3, fair.Touches);
        // Chase referred before the fair: reached and attributed, but not new.
        Assert.Equal(["Ann Adams, MD", "Ben Brown, MD"], fair.NewReferringSources.Select(s => s.Name));

        // Costs and money, exact to the cent.
        Assert.Equal(345.50m, fair.CostLinesTotal);
        Assert.Equal(32.25m, fair.TouchCosts);
        Assert.Equal(377.75m, fair.ActualCost);
        Assert.Equal(-122.25m, fair.OverBudget);
        Assert.Equal(1964.00m, fair.EstimatedRevenue);
        Assert.Equal([new UnpricedVisits("Self-pay", 4)], fair.VisitsWithoutRate);
        Assert.Equal(188.88m, fair.CostPerNewReferringSource);
        Assert.Equal(94.44m, fair.CostPerAttributedReferral);
        Assert.Equal(5.20m, fair.ReturnOnSpend);
        Assert.Equal("$5.20 back per $1", CampaignText.ReturnOnSpend(fair));

        // Measured from the fair to 90 days after it; over by today.
        Assert.Equal(new DateOnly(2026, 4, 15), fair.MeasuredTo);
        Assert.False(fair.StillMeasuring);
        Assert.Contains("at most 90 days before", fair.Rule, StringComparison.Ordinal);

        // Last campaign touch wins: Brown's 20 April referral is the newsletter's; the newsletter cost nothing, so no ratio.
        var newsletter = await ResultsAsync(app, org, ids.Newsletter);
        Assert.Equal(1, newsletter.ReferralsAttributed);
        Assert.Equal(new DateOnly(2026, 4, 20), newsletter.Timeline.Single(e => e.Kind == "referral").On);
        Assert.Empty(newsletter.NewReferringSources);
        Assert.Null(newsletter.CostPerAttributedReferral is 0m ? null : newsletter.ReturnOnSpend);
        Assert.True(newsletter.StillMeasuring);

        // The list reads the same figures.
        var summaries = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CampaignResultsService>().SummariesAsync(new CampaignListQuery()));
        var row = Assert.Single(summaries, s => s.Id == ids.Fair);
        Assert.Equal((377.75m, 3, 2, 4, 1964.00m, 5.20m, 3, 22), (row.ActualCost, row.SourcesReached, row.NewReferringSources, row.ReferralsAttributed,
            row.EstimatedRevenue, row.ReturnOnSpend, row.EvaluatedAttributed, row.Visits));
        Assert.Equal(1, Assert.Single(summaries, s => s.Id == ids.Newsletter).ReferralsAttributed);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_window_setting_decides_and_same_day_ties_go_to_the_higher_touch(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Campaign PT");
        var ids = await CampaignHistory.SeedAsync(app, org);

        // At 130 days Adams' 15 May referral (120 days after the fair) is the fair's too.
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CampaignSettingsService>().SaveAsync(new CampaignSettingsView(130)));
        var wide = await ResultsAsync(app, org, ids.Fair);
        Assert.Equal(5, wide.ReferralsAttributed);
        Assert.Contains(wide.Timeline, e => e.Kind == "referral" && e.On == new DateOnly(2026, 5, 15));
        Assert.Equal(130, wide.AttributionWindowDays);

        // At 30 days the 14 Feb referral (30 days after) still counts — the window's last day is in — and 1 Mar (45 days) no longer does.
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CampaignSettingsService>().SaveAsync(new CampaignSettingsView(30)));
        var narrow = await ResultsAsync(app, org, ids.Fair);
        Assert.Contains(narrow.Timeline, e => e.Kind == "referral" && e.On == new DateOnly(2026, 2, 14));
        Assert.DoesNotContain(narrow.Timeline, e => e.Kind == "referral" && e.On == new DateOnly(2026, 3, 1));

        var refused = await Assert.ThrowsAsync<Rapport.Common.ValidationException>(() =>
            app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CampaignSettingsService>().SaveAsync(new CampaignSettingsView(731))));
        Assert.Contains(CampaignSettingsService.WindowField, refused.Errors.Keys);

        // A newsletter touch of Chase on the fair's day, logged after the fair's: the higher id wins Chase's 1 Feb referral for the newsletter.
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            db.Touchpoints.Add(new Touchpoint { SourceId = ids.Chase, OccurredOn = CampaignHistory.FairDay, Method = TouchMethod.Email, CampaignId = ids.Newsletter });
            await db.SaveChangesAsync();
            return 0;
        });
        var tie = await ResultsAsync(app, org, ids.Newsletter);
        Assert.Contains(tie.Timeline, e => e.Kind == "referral" && e.SourceId == ids.Chase && e.On == new DateOnly(2026, 2, 1));
        var fair = await ResultsAsync(app, org, ids.Fair);
        Assert.DoesNotContain(fair.Timeline, e => e.Kind == "referral" && e.SourceId == ids.Chase);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_comparison_group_excludes_reached_sources_and_honours_specialties_and_clinics(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Campaign PT");
        var ids = await CampaignHistory.SeedAsync(app, org);

        // The fair targets Orthopedic Surgery: of the ortho sources only Dunn was not reached (Ford is archived, Ellis is family medicine).
        var fair = await ResultsAsync(app, org, ids.Fair);
        Assert.Equal(3, fair.Comparison.Reached.Sources);
        Assert.Equal(1, fair.Comparison.Comparison.Sources);
        Assert.True(fair.Comparison.TooSmall);
        Assert.StartsWith("Too small to compare", fair.Comparison.Verdict, StringComparison.Ordinal);
        // Measured 15 Jan – 15 Apr (91 days); before: the 91 days up to 14 Jan. Reached: all three referred during, Chase alone before.
        Assert.Equal((new DateOnly(2025, 10, 16), new DateOnly(2026, 1, 14)), (fair.Comparison.BeforeFrom, fair.Comparison.BeforeTo));
        Assert.Equal((3, 3), (fair.Comparison.Reached.ReferredDuring.Count, fair.Comparison.Reached.ReferredDuring.Of));
        Assert.Equal(1, fair.Comparison.Reached.ReferredBefore.Count);
        Assert.Equal(3, fair.Comparison.Reached.PerSourceMonthDuring.Count);
        Assert.Equal(3 * 91 / 30.4375, fair.Comparison.Reached.PerSourceMonthDuring.Exposure, 9);

        // The newsletter names no specialty: the reached source's (Brown, ortho) choose the group — Adams, Chase and Dunn, never Brown.
        var newsletter = await ResultsAsync(app, org, ids.Newsletter);
        Assert.True(newsletter.Comparison.SpecialtiesFromReached);
        Assert.Equal(["Orthopedic Surgery"], newsletter.Comparison.Specialties);
        Assert.Equal(3, newsletter.Comparison.Comparison.Sources);
        Assert.Equal(1, newsletter.Comparison.Reached.Sources);

        // A campaign for another clinic compares only that clinic's sources: none here.
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            var other = new Rapport.Organizations.Clinic { Name = "North Clinic" };
            db.Add(other);
            await db.SaveChangesAsync();
            db.Add(new CampaignClinic { CampaignId = ids.Fair, ClinicId = other.Id });
            await db.SaveChangesAsync();
            return 0;
        });
        Assert.Equal(0, (await ResultsAsync(app, org, ids.Fair)).Comparison.Comparison.Sources);
    }

    [Fact]
    public void Intervals_match_hand_computed_values()
    {
        // Wilson 1927: 3 of 12 → centre (0.25 + 1.92/12)/(1 + 3.84/12), 0.0889 to 0.5323 (the brief's "9–53%").
        var share = CampaignStatistics.Wilson(3, 12);
        Assert.Equal(0.25, share.Share!.Value, 12);
        Assert.Equal(0.08894, share.Low!.Value, 4);
        Assert.Equal(0.53231, share.High!.Value, 4);
        Assert.Equal("3 of 12 sources, 25% (95% CI 9–53%)", CampaignStatistics.Describe(share));
        // 0 of 5: the lower limit is 0 and the upper is z²/(n + z²) = 3.8415/8.8415.
        var none = CampaignStatistics.Wilson(0, 5);
        Assert.Equal(0, none.Low!.Value, 12);
        Assert.Equal(3.841459 / 8.841459, none.High!.Value, 5);
        Assert.Null(CampaignStatistics.Wilson(0, 0).Share);

        // Garwood 1936: 3 events → 0.6187 to 8.7673 (½χ²(6, .025), ½χ²(8, .975)); 0 events → 0 to 3.6889 (−ln 0.025); per 2 units halves them.
        var three = CampaignStatistics.Garwood(3, 2);
        Assert.Equal(1.5, three.Rate!.Value, 12);
        Assert.Equal(0.618672 / 2, three.Low!.Value, 5);
        Assert.Equal(8.767273 / 2, three.High!.Value, 5);
        var zero = CampaignStatistics.Garwood(0, 1);
        Assert.Equal(0, zero.Low!.Value, 12);
        Assert.Equal(-Math.Log(0.025), zero.High!.Value, 6);

        // Woolf 1955: reached 20 → 30 referrals, comparison 50 → 50: ×1.5 relative, ln 1.5 ± 1.96·√(1/30 + 1/20 + 1/50 + 1/50) → 0.7536–2.9855.
        var relative = CampaignStatistics.Relative(reachedDuring: 30, reachedBefore: 20, comparisonDuring: 50, comparisonBefore: 50);
        Assert.Equal(1.5, relative.Ratio!.Value, 12);
        Assert.Equal(0.753632, relative.Low!.Value, 5);
        Assert.Equal(2.985544, relative.High!.Value, 5);
        // A zero count gets Haldane's ½ in every cell: 6 during and 0 before against 40 and 38 → (6.5·38.5)/(0.5·40.5) = 12.358, 0.6732–226.87.
        var fromNothing = CampaignStatistics.Relative(6, 0, 40, 38);
        Assert.Equal(12.358025, fromNothing.Ratio!.Value, 5);
        Assert.Equal(0.673161, fromNothing.Low!.Value, 5);
        Assert.Equal(226.870932, fromNothing.High!.Value, 3);
        Assert.Null(CampaignStatistics.Relative(0, 0, 5, 5).Ratio);
    }

    internal static Task<CampaignResults> ResultsAsync(RapportApp app, TestOrganization org, int id) =>
        app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CampaignResultsService>().ResultsAsync(id));
}
