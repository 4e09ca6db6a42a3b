using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Campaigns;
using Rapport.Channels;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Channels;

/// <summary>
/// The channels report from a built history (the test clock's today is 2026-06-17, so June is the month so far and Q2 2026
/// runs Apr 1–Jun 17): counts per month, channel and clinic, the trend windows, payer mix, conversion with its interval,
/// and the same numbers through the API, the page and the CLI.
/// </summary>
public sealed class ChannelReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly D(string iso) => DateOnly.Parse(iso, CultureInfo.InvariantCulture);

    /// <summary>Received, clinic (A or B), channel, payer, evaluated?, lost?, names the campaign?</summary>
    private static readonly (string Received, char Clinic, AcquisitionChannel? Channel, PayerCategory? Payer, bool Evaluated, bool Lost, bool NamesFair)[] History =
    [
        ("2026-06-03", 'A', AcquisitionChannel.Physician, PayerCategory.Commercial, true, false, false),
        ("2026-06-10", 'A', AcquisitionChannel.WebSearch, PayerCategory.Medicare, true, false, false),
        ("2026-06-12", 'B', AcquisitionChannel.Event, PayerCategory.SelfPay, false, true, true),
        ("2026-06-15", 'B', AcquisitionChannel.FriendOrFamily, null, false, false, false),
        ("2026-05-20", 'A', AcquisitionChannel.Physician, PayerCategory.Commercial, true, false, false),
        ("2026-05-21", 'A', AcquisitionChannel.DirectAccess, PayerCategory.Commercial, true, false, false),
        ("2026-05-22", 'B', null, PayerCategory.Medicare, false, false, false),
        ("2026-04-02", 'A', AcquisitionChannel.WebSearch, PayerCategory.Commercial, true, false, false),
        ("2026-03-25", 'A', AcquisitionChannel.Physician, PayerCategory.Medicare, false, false, false),
        ("2026-01-10", 'A', AcquisitionChannel.Website, null, true, false, false),
        ("2025-07-01", 'B', AcquisitionChannel.PastPatient, PayerCategory.Medicaid, true, false, false),
        // Before the 12 months: only the trend's same quarter last year (Apr 1–Jun 17, 2025) sees the first two.
        ("2025-05-05", 'A', AcquisitionChannel.Physician, PayerCategory.Commercial, true, false, false),
        ("2025-05-06", 'B', AcquisitionChannel.Website, PayerCategory.Commercial, true, false, false),
        ("2025-06-30", 'A', AcquisitionChannel.WebSearch, PayerCategory.Commercial, true, false, false),
    ];

    private static async Task<(TestOrganization Org, int ClinicB)> BuildHistoryAsync(RapportApp app)
    {
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var clinicB = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var b = (await sp.GetRequiredService<OrganizationService>().SaveClinicAsync(null, new ClinicInput { Name = "Bayside" }, Ct)).Id;
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "House", Npi = ApiTestKit.NextNpi() }, Ct);
            var db = sp.GetRequiredService<RapportDbContext>();
            var fair = new Campaign { Name = "Spring Health Fair", Kind = CampaignKind.HealthFair, StartsOn = D("2026-05-01"), CreatedAt = TestClock.UtcNow, UpdatedAt = TestClock.UtcNow };
            var patient = new Patient { ExternalId = "P1", FirstName = "Ann", LastName = "Lee" };
            db.AddRange(fair, patient);
            await db.SaveChangesAsync(Ct);
            foreach (var h in History)
            {
                var received = D(h.Received);
                // Written as stored rows, so a channel left unrecorded (older rows) is part of the history.
                var referral = new Referral
                {
                    PatientId = patient.Id, ClinicId = h.Clinic == 'A' ? org.ClinicId : b, ReceivedOn = received,
                    SourceId = h.Channel == AcquisitionChannel.Physician ? source.Id : null, AcquisitionChannel = h.Channel, PayerCategory = h.Payer,
                    EvaluatedOn = h.Evaluated ? received.AddDays(2) : null, LostOn = h.Lost ? received.AddDays(1) : null, CampaignId = h.NamesFair ? fair.Id : null,
                    VisitCount = h.Evaluated ? 1 : 0,
                };
                referral.Status = ReferralTimeline.StatusOf(null, referral.EvaluatedOn, null, referral.LostOn);
                db.Referrals.Add(referral);
            }
            await db.SaveChangesAsync(Ct);
            return b;
        });
        return (org, clinicB);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Counts_per_month_channel_and_clinic_trend_payer_mix_and_conversion_are_exact(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var (org, clinicB) = await BuildHistoryAsync(app);
        var report = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ChannelReportService>().BuildAsync(new ChannelReportQuery(), Ct));

        // Twelve months, July 2025 to June 2026; June is the month so far, to the 17th.
        Assert.Equal(12, report.Months.Count);
        Assert.Equal((D("2025-07-01"), D("2026-06-01")), (report.Months[0].Month, report.Months[^1].Month));
        Assert.Equal([false, false, false, false, false, false, false, false, false, false, false, true], report.Months.Select(m => m.Partial));
        Assert.Equal(D("2026-06-17"), report.Months[^1].Through);
        Assert.Equal("Jun 2026 (to 17th)", report.Months[^1].Label);
        Assert.Equal(11, report.Referrals);

        int[] Line(string channel) => [.. report.Channels.Single(c => c.Channel == channel).Referrals];
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1], Line("Physician"));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1], Line("WebSearch"));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0], Line("Website"));
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], Line("PastPatient"));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], Line("Event"));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], Line("FriendOrFamily"));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], Line("DirectAccess"));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], Line(ChannelReport.NotRecorded));
        Assert.Equal(ChannelLevel.NotRecorded, report.Channels.Single(c => c.Channel == ChannelReport.NotRecorded).Level);
        Assert.Equal(ChannelLevel.DirectAccess, report.Channels.Single(c => c.Channel == "DirectAccess").Level);
        Assert.Equal(0.25, report.Channels.Single(c => c.Channel == "WebSearch").Shares[^1]);
        Assert.Equal(2.0 / 11, report.Channels.Single(c => c.Channel == "WebSearch").Share);

        var june = report.ByMonth[^1];
        Assert.Equal((4, 1, 3, 0, 0.75), (june.Referrals, june.Physician, june.DirectAccess, june.NotRecorded, june.DirectAccessShare));
        var may = report.ByMonth[^2];
        Assert.Equal((3, 1, 1, 1), (may.Referrals, may.Physician, may.DirectAccess, may.NotRecorded));
        Assert.Null(report.ByMonth[1].DirectAccessShare);

        // Trend: Q2 2026 to the 17th of June, against Jan 1–Mar 19 and Apr 1–Jun 17, 2025 (the 25 March and 30 June 2025 referrals fall outside).
        Assert.Equal((D("2026-04-01"), D("2026-06-17"), 8, 5), (report.Trend.ThisQuarter.From, report.Trend.ThisQuarter.Through, report.Trend.ThisQuarter.Referrals, report.Trend.ThisQuarter.DirectAccess));
        Assert.Equal((D("2026-01-01"), D("2026-03-19"), 1, 1), (report.Trend.PreviousQuarter.From, report.Trend.PreviousQuarter.Through, report.Trend.PreviousQuarter.Referrals, report.Trend.PreviousQuarter.DirectAccess));
        Assert.Equal((D("2025-04-01"), D("2025-06-17"), 2, 1), (report.Trend.SameQuarterLastYear.From, report.Trend.SameQuarterLastYear.Through, report.Trend.SameQuarterLastYear.Referrals, report.Trend.SameQuarterLastYear.DirectAccess));
        Assert.Equal(0.625, report.Trend.ThisQuarter.DirectAccessShare);
        Assert.Equal("Q2 2026 (Apr 1–Jun 17)", report.Trend.ThisQuarter.Label);

        // Per clinic, side by side.
        var a = report.Clinics.Single(c => c.ClinicId == org.ClinicId);
        var b = report.Clinics.Single(c => c.ClinicId == clinicB);
        Assert.Equal((7, 4.0 / 7), (a.Referrals, a.DirectAccessShare));
        Assert.Equal((4, 3.0 / 4), (b.Referrals, b.DirectAccessShare));
        Assert.Equal(3, a.Channels.Single(c => c.Channel == "Physician").Referrals);
        Assert.Equal(1, b.Channels.Single(c => c.Channel == ChannelReport.NotRecorded).Referrals);

        // Direct-access patients: 7 (the unrecorded channel is not direct access); 5 evaluated, 1 lost, 1 open.
        var direct = report.DirectAccess;
        Assert.Equal(7, direct.Referrals);
        Assert.Equal(
            [("Medicare", 1), ("Medicaid", 1), ("Commercial", 2), ("WorkersComp", 0), ("Auto", 0), ("SelfPay", 1), ("Other", 0), (ChannelReport.NotRecorded, 2)],
            direct.PayerMix.Select(p => (p.Payer, p.Referrals)));
        Assert.Equal((5, 1, 6, 1), (direct.Conversion.Evaluated, direct.Conversion.LostBeforeEvaluation, direct.Conversion.Decided, direct.Conversion.Open));
        // Wilson 95% for 5 of 6, by hand: centre (p + z²/2n)/(1 + z²/n) = 0.70321, half-width 0.26672.
        Assert.Equal(0.43650, direct.Conversion.Low!.Value, 5);
        Assert.Equal(0.96995, direct.Conversion.High!.Value, 5);
        Assert.Equal("5 of 6 (83%, 95% CI 44–97%)", direct.Conversion.Text);
        var named = Assert.Single(direct.Campaigns);
        Assert.Equal(("Spring Health Fair", 1, 0), (named.Campaign, named.Referrals, named.Evaluated));

        // One clinic.
        var bayside = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ChannelReportService>().BuildAsync(new ChannelReportQuery { ClinicId = clinicB }, Ct));
        Assert.Equal(("Bayside", 4, 3), (bayside.ClinicName, bayside.Referrals, bayside.DirectAccess.Referrals));
        Assert.Equal(clinicB, Assert.Single(bayside.Clinics).ClinicId);
        Assert.Equal("1 of 2 (50%, 95% CI 9–91%)", bayside.DirectAccess.Conversion.Text);

        // 24 months reach back to July 2024 and take in the 2025 referrals too.
        var two = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ChannelReportService>().BuildAsync(new ChannelReportQuery { Months = 24 }, Ct));
        Assert.Equal((24, D("2024-07-01"), 14), (two.Months.Count, two.From, two.Referrals));
        await Assert.ThrowsAsync<ValidationException>(() => app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ChannelReportService>().BuildAsync(new ChannelReportQuery { Months = 6 }, Ct)));
    }

    [Fact]
    public void The_wilson_interval_matches_hand_computed_values()
    {
        Assert.Equal("12 of 15 (80%, 95% CI 55–93%)", WilsonInterval.Of(12, 15).Text);
        var none = WilsonInterval.Of(0, 3);
        Assert.Equal((0.0, 0.5615), (none.Low!.Value, Math.Round(none.High!.Value, 4)));
        Assert.Equal("0 of 3 (0%, 95% CI 0–56%)", none.Text);
        Assert.Equal("3 of 3 (100%, 95% CI 44–100%)", WilsonInterval.Of(3, 3).Text);
        Assert.Equal("none decided yet", WilsonInterval.Of(0, 0).Text);
        Assert.Null(WilsonInterval.Of(0, 0).Rate);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_page_the_api_the_cli_and_the_download_show_the_same_numbers(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var (org, clinicB) = await BuildHistoryAsync(app);

        using var api = app.ApiClient(org.ApiKey);
        var (status, json, _) = await api.SendAsync(HttpMethod.Get, "/api/v1/channels?months=12");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(11, json.GetProperty("referrals").GetInt32());
        var lastMonth = json.GetProperty("months")[11];
        Assert.Equal(("2026-06-01", "2026-06-17", true), (lastMonth.GetProperty("month").GetString(), lastMonth.GetProperty("through").GetString(), lastMonth.GetProperty("partial").GetBoolean()));
        Assert.Equal("5 of 6 (83%, 95% CI 44–97%)", json.GetProperty("directAccess").GetProperty("conversion").GetProperty("text").GetString());
        var webSearch = json.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "WebSearch");
        Assert.Equal(2, webSearch.GetProperty("total").GetInt32());
        var (_, oneClinic, _) = await api.SendAsync(HttpMethod.Get, $"/api/v1/channels?clinicId={clinicB}");
        Assert.Equal(4, oneClinic.GetProperty("referrals").GetInt32());
        var (badStatus, bad, badResponse) = await api.SendAsync(HttpMethod.Get, "/api/v1/channels?months=6");
        ApiTestKit.AssertProblem(badResponse, HttpStatusCode.BadRequest, bad);
        Assert.True(bad.GetProperty("errors").TryGetProperty("months", out _), bad.ToString());

        using var client = await app.SignedInClientAsync(org.AdminEmail);
        // Razor writes the en dash and the like as character references.
        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/Channels", Ct));
        Assert.Contains("<strong>11</strong> referrals", page, StringComparison.Ordinal);
        Assert.Contains("5 of 6 (83%, 95% CI 44–97%)", page, StringComparison.Ordinal);
        Assert.Contains("Jun 2026 (to 17th)", page, StringComparison.Ordinal);
        Assert.Contains("Hatched: <strong>Jun 2026 (to 17th)</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"partial\" data-month=\"2026-06\">", page, StringComparison.Ordinal);
        Assert.Contains("63% (5 of 8)", page, StringComparison.Ordinal);
        Assert.Matches("<td><a href=\"/Campaigns/\\d+\">Spring Health Fair</a></td><td class=\"num\">1</td>", page);
        Assert.Contains("Bayside", await client.GetStringAsync($"/Channels?clinic={clinicB}&months=24", Ct), StringComparison.Ordinal);
        Assert.Contains("href=\"/Channels\"", await client.GetStringAsync("/Reports/Sources", Ct), StringComparison.Ordinal);

        var cli = await Infrastructure.Cli.RunAsync(app.Database, "channels", "--format", "json");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        var fromCli = JsonDocument.Parse(cli.Stdout).RootElement;
        Assert.Equal(11, fromCli.GetProperty("referrals").GetInt32());
        Assert.Equal("5 of 6 (83%, 95% CI 44–97%)", fromCli.GetProperty("directAccess").GetProperty("conversion").GetProperty("text").GetString());
        var byName = await Infrastructure.Cli.RunAsync(app.Database, "channels", "--clinic", "bayside", "--months", "12");
        Assert.True(byName.ExitCode == 0, byName.Stderr);
        Assert.Contains("Referrals by channel, Bayside", byName.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 of 2 (50%, 95% CI 9–91%)", byName.Stdout, StringComparison.Ordinal);
        var csv = await Infrastructure.Cli.RunAsync(app.Database, "channels", "--format", "csv");
        var lines = csv.Stdout.Split("\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.TrimStart((char)0xFEFF)).ToArray();
        Assert.Equal(13, lines.Length);
        Assert.StartsWith("2026-06-01,2026-06-17,yes,All clinics,4,1,3,0,75%", lines[^1], StringComparison.Ordinal);

        // The download (export kind "channels") is the same file.
        var download = await api.GetStringAsync("/api/v1/exports/channels?format=csv", Ct);
        Assert.Equal(lines, download.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.TrimStart((char)0xFEFF)).ToArray());
    }
}
