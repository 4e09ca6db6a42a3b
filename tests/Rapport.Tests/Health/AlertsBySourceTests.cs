using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Health;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Health;

/// <summary>
/// The alerts page has one row per source with all its reasons, ordered by referrals a month at
/// risk; a row's Acknowledge and Snooze act on all its alerts; the API and CLI filter by tier; the
/// refer-back gap is raised only where refer-backs are recorded and expected.
/// </summary>
public sealed class AlertsBySourceTests
{
    private static readonly DateOnly Today = TestClock.Today;

    /// <summary>
    /// Able refers every 10 days and Baker every 20, both until the end of January and silent since
    /// (lapsed, Able's usual rate the higher); Able was last phoned 100 days ago (a top referrer: cadence
    /// 30); Cole was e-mailed 100 days ago and has never referred (touch overdue, nothing at risk).
    /// </summary>
    private static Task<(int Able, int Baker, int Cole)> SeedAsync(RapportApp app, TestOrganization org, string? bakerSpecialty = null) =>
        app.InOrganizationAsync(org.Id, async sp =>
        {
            var sources = sp.GetRequiredService<SourceService>();
            var able = await sources.CreateAsync(new SourceInput { FirstName = "Ann", LastName = "Able", Credential = "MD", Npi = Formats.NpiWithCheckDigit("410000001") });
            var baker = await sources.CreateAsync(new SourceInput { FirstName = "Bob", LastName = "Baker", Credential = "MD", Npi = Formats.NpiWithCheckDigit("410000002"), Specialty = bakerSpecialty });
            var cole = await sources.CreateAsync(new SourceInput { FirstName = "Cat", LastName = "Cole", Credential = "DO", Npi = Formats.NpiWithCheckDigit("410000003") });
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "MRN1", FirstName = "Pat", LastName = "Ient" });
            var referrals = sp.GetRequiredService<ReferralService>();
            var lastDay = new DateOnly(2026, 1, 31);
            foreach (var (source, every) in new[] { (able.Id, 10), (baker.Id, 20) })
            {
                for (var day = new DateOnly(2025, 6, 20); day <= lastDay; day = day.AddDays(every))
                {
                    await referrals.CreateAsync(new ReferralInput { PatientId = patient.Id, SourceId = source, ClinicId = org.ClinicId, ReceivedOn = day });
                }
            }
            var touches = sp.GetRequiredService<TouchpointService>();
            await touches.CreateAsync(new TouchpointInput { SourceId = able.Id, OccurredOn = Today.AddDays(-100), Method = TouchMethod.Phone });
            await touches.CreateAsync(new TouchpointInput { SourceId = cole.Id, OccurredOn = Today.AddDays(-100), Method = TouchMethod.Email });
            return (able.Id, baker.Id, cole.Id);
        });

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Page_has_one_row_per_source_ordered_by_referrals_at_risk_and_acts_on_the_whole_source(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Rows PT");
        var (able, baker, cole) = await SeedAsync(app, org);
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var html = await browser.GetStringAsync("/Alerts", ct);
        var page = new HtmlParser().ParseDocument(html);

        var rows = page.QuerySelectorAll("tr.alert").ToList();
        Assert.Equal([able, baker, cole], rows.Select(r => int.Parse(r.GetAttribute("data-source-id")!, CultureInfo.InvariantCulture)));
        var ableRow = rows[0];
        Assert.Superset(new HashSet<string> { "lapsed", "touch_overdue" }, ableRow.GetAttribute("data-kinds")!.Split(' ').ToHashSet());
        Assert.Equal(["touch_overdue"], rows[2].GetAttribute("data-kinds")!.Split(' '));
        // His several alerts' reasons in one list, the touch said once, with its cadence.
        var reasons = ableRow.QuerySelectorAll("ul.reasons li").Select(li => li.TextContent).ToList();
        Assert.Contains(reasons, r => r.StartsWith("No referral for ", StringComparison.Ordinal));
        Assert.Equal("Last touch 100 days ago by phone (cadence 30).", Assert.Single(reasons, r => r.StartsWith("Last touch", StringComparison.Ordinal)));
        Assert.Equal(ableRow.GetAttribute("data-kinds")!.Split(' '), ableRow.QuerySelectorAll("td.alert-kinds .kind").Select(k => k.GetAttribute("data-kind")));
        // Referrals a month at risk: a lapsed source's whole usual rate; an overdue touch puts nothing at risk.
        double AtRisk(int i) => double.Parse(rows[i].QuerySelector("[data-at-risk]")!.GetAttribute("data-at-risk")!, CultureInfo.InvariantCulture);
        Assert.True(AtRisk(0) > AtRisk(1) && AtRisk(1) > 0, $"{AtRisk(0)} then {AtRisk(1)}");
        Assert.Equal(0, AtRisk(2));
        // The order is the page's rule whatever the tiers turn out to be: alert tier first, then at risk.
        var expected = rows.OrderBy(r => r.GetAttribute("data-tier") == AlertTiers.Alert ? 0 : 1).ThenByDescending(r => AtRisk(rows.IndexOf(r))).ToList();
        Assert.Equal(expected, rows);

        // The kind filter keeps the sources that have that kind, each with all its reasons.
        var touchPage = new HtmlParser().ParseDocument(await browser.GetStringAsync("/Alerts?show=touch_overdue", ct));
        Assert.Equal([able.ToString(CultureInfo.InvariantCulture), cole.ToString(CultureInfo.InvariantCulture)],
            touchPage.QuerySelectorAll("tr.alert").Select(r => r.GetAttribute("data-source-id")));
        Assert.Contains(touchPage.QuerySelectorAll($"tr.alert[data-source-id='{able}'] ul.reasons li"), li => li.TextContent.StartsWith("No referral for ", StringComparison.Ordinal));

        // The API keeps one item per alert, each with its tier, and filters by tier; a wrong tier is a 400 naming it.
        using var api = app.ApiClient(org.ApiKey);
        var all = (await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts", ct)).GetProperty("alerts").EnumerateArray().ToList();
        Assert.All(all, a => Assert.Contains(a.GetProperty("tier").GetString(), AlertTiers.All));
        var alertTier = (await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts?tier=alert", ct)).GetProperty("alerts").EnumerateArray().ToList();
        var watchTier = (await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts?tier=WATCH", ct)).GetProperty("alerts").EnumerateArray().ToList();
        Assert.All(alertTier, a => Assert.Equal("alert", a.GetProperty("tier").GetString()));
        Assert.All(watchTier, a => Assert.Equal("watch", a.GetProperty("tier").GetString()));
        Assert.Equal(all.Count, alertTier.Count + watchTier.Count);
        Assert.Contains(alertTier, a => a.GetProperty("kind").GetString() == "touch_overdue");
        var bad = await api.GetAsync("/api/v1/alerts?tier=urgent", ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Contains("'urgent' is not a tier", problem.GetProperty("errors").GetProperty("tier")[0].GetString(), StringComparison.Ordinal);
        // The CLI alike: a tier column and --tier.
        var cli = await Infrastructure.Cli.RunAsync(app.Database, "alerts", "--org", org.Slug, "--tier", "alert", "--format", "json");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Equal(alertTier.Count, JsonDocument.Parse(cli.Stdout).RootElement.GetProperty("alerts").GetArrayLength());
        var table = await Infrastructure.Cli.RunAsync(app.Database, "alerts", "--org", org.Slug);
        Assert.Contains(table.Stdout.Split('\n'), line => line.Contains("Kind", StringComparison.Ordinal) && line.Contains("Tier", StringComparison.Ordinal));
        var wrong = await Infrastructure.Cli.RunAsync(app.Database, "alerts", "--org", org.Slug, "--tier", "urgent");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("tier", wrong.Stderr + wrong.Stdout, StringComparison.Ordinal);
        // The call list says each call's tier.
        var calls = await api.GetFromJsonAsync<JsonElement>("/api/v1/calls", ct);
        Assert.All(calls.GetProperty("owners").EnumerateArray().SelectMany(g => g.GetProperty("calls").EnumerateArray()),
            c => Assert.Contains(c.GetProperty("tier").GetString(), AlertTiers.All));

        // Acknowledge on Able's row acknowledges every alert of his, and only his.
        var ableKinds = all.Where(a => a.GetProperty("source").GetProperty("id").GetInt32() == able).Select(a => a.GetProperty("kind").GetString()).ToList();
        Assert.True(ableKinds.Count >= 2);
        var token = RapportApp.AntiforgeryToken(html);
        var acknowledged = await browser.PostAsync("/Alerts?handler=Acknowledge", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SourceId"] = able.ToString(CultureInfo.InvariantCulture), ["__RequestVerificationToken"] = token,
        }), ct);
        Assert.Equal(HttpStatusCode.Redirect, acknowledged.StatusCode);
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?sourceId={able}", ct)).GetProperty("alerts").EnumerateArray());
        var handled = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?sourceId={able}&includeHandled=true", ct)).GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(ableKinds.Order(), handled.Select(a => a.GetProperty("kind").GetString()).Order());
        Assert.All(handled, a => Assert.Equal("acknowledged", a.GetProperty("status").GetString()));
        Assert.NotEmpty((await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?sourceId={baker}", ct)).GetProperty("alerts").EnumerateArray());

        // Snooze on Baker's row hides all of his until the date.
        var snoozed = await browser.PostAsync("/Alerts?handler=Snooze", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SourceId"] = baker.ToString(CultureInfo.InvariantCulture), ["Until"] = Today.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = token,
        }), ct);
        Assert.Equal(HttpStatusCode.Redirect, snoozed.StatusCode);
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?sourceId={baker}", ct)).GetProperty("alerts").EnumerateArray());
        Assert.All((await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?sourceId={baker}&includeHandled=true", ct)).GetProperty("alerts").EnumerateArray(),
            a => Assert.Equal("snoozed", a.GetProperty("status").GetString()));
        var after = new HtmlParser().ParseDocument(await browser.GetStringAsync("/Alerts", ct));
        Assert.Equal([cole.ToString(CultureInfo.InvariantCulture)], after.QuerySelectorAll("tr.alert").Select(r => r.GetAttribute("data-source-id")));
        // A snooze date in the past is refused on the page, naming the field.
        var past = await browser.PostAsync("/Alerts?handler=Snooze", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SourceId"] = cole.ToString(CultureInfo.InvariantCulture), ["Until"] = Today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = token,
        }), ct);
        Assert.Equal(HttpStatusCode.OK, past.StatusCode);
        Assert.Contains("The snooze date must not be in the past.", await past.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Refer_back_gap_needs_refer_backs_on_record_and_expected_from_the_source_or_its_specialty(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Gap PT");
        var (able, baker, cole) = await SeedAsync(app, org, bakerSpecialty: "Urgent walk-in care");
        Task<List<int>> GapsAsync(DateOnly? asOf = null) => app.InOrganizationAsync(org.Id, async sp =>
            (await sp.GetRequiredService<AlertService>().ListAsync(asOf, cancellationToken: ct)).Alerts
                .Where(a => a.Kind == AlertKinds.ReciprocityGap).Select(a => a.Source.Id).Order().ToList());

        // Both refer regularly, but the practice records no refer-backs: a missing one says nothing.
        Assert.Empty(await GapsAsync());
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ReferBackService>()
            .CreateAsync(new ReferBackInput { ToSourceId = cole, SentOn = Today.AddDays(-30) }));
        // Once it records one, the regular referrers without a refer-back raise the gap ...
        Assert.Equal([able, baker], await GapsAsync());
        // ... but not as of a day before that first refer-back.
        Assert.Empty(await GapsAsync(Today.AddDays(-45)));

        // A source marked as not expecting refer-backs (the API door) raises none.
        using var api = app.ApiClient(org.ApiKey);
        var put = await api.PutAsJsonAsync($"/api/v1/sources/{able}", new
        {
            npi = Formats.NpiWithCheckDigit("410000001"), firstName = "Ann", lastName = "Able", credential = "MD", expectsReferBacks = false,
        }, ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.False((await put.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("expectsReferBacks").GetBoolean());
        Assert.Equal([baker], await GapsAsync());

        // A specialty ticked in Settings → Alerts raises none for its sources.
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var form = new HtmlParser().ParseDocument(await browser.GetStringAsync("/Settings/Alerts", ct));
        var specialty = Assert.Single(form.QuerySelectorAll("form#alert-settings input[type=checkbox][name='Input.NoReferBackSpecialties']"));
        Assert.Equal("Urgent walk-in care", specialty.GetAttribute("value"));
        Assert.False(specialty.HasAttribute("checked"));
        var fields = form.QuerySelectorAll("form#alert-settings input[name]").Where(i => i.GetAttribute("type") != "checkbox")
            .Select(i => KeyValuePair.Create(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")).Append(KeyValuePair.Create("Input.NoReferBackSpecialties", "Urgent walk-in care")).ToList();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/Settings/Alerts", new FormUrlEncodedContent(fields), ct)).StatusCode);
        Assert.Empty(await GapsAsync());
        var saved = new HtmlParser().ParseDocument(await browser.GetStringAsync("/Settings/Alerts", ct));
        Assert.True(saved.QuerySelector("input[type=checkbox][value='Urgent walk-in care']")!.HasAttribute("checked"));

        // The source's own setting wins over its specialty's.
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var service = sp.GetRequiredService<SourceService>();
            return await service.UpdateAsync(baker, new SourceInput
            {
                Npi = Formats.NpiWithCheckDigit("410000002"), FirstName = "Bob", LastName = "Baker", Credential = "MD", Specialty = "Urgent walk-in care", ExpectsReferBacks = true,
            });
        });
        Assert.Equal([baker], await GapsAsync());

        // Unticking every specialty clears the list (the form still sends its empty marker).
        var clear = fields.Where(f => f.Key != "Input.NoReferBackSpecialties" || f.Value == "").ToList();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/Settings/Alerts", new FormUrlEncodedContent(clear), ct)).StatusCode);
        Assert.Empty((await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<AlertService>().SettingsAsync(ct))).NoReferBackSpecialtyList());
    }

    private static AlertView View(int sourceId, string kind, string tier, double usual, double recent, params string[] reasons) =>
        new(kind, new AlertSource(sourceId, null, $"Source {sourceId}"), reasons, Today, new AlertNumbers { ExpectedMonthly = usual, RecentMonthly = recent },
            AlertStatuses.Open, null, null, null, null) { Tier = tier };

    [Fact]
    public void Sources_with_an_alert_tier_alert_come_before_watch_only_ones_then_by_referrals_at_risk()
    {
        var list = new AlertList(Today,
        [
            View(1, AlertKinds.Declining, AlertTiers.Watch, 6.0, 2.0, "Referrals fell."),
            View(2, AlertKinds.TouchOverdue, AlertTiers.Alert, 1.0, 1.0, "Last touch 90 days ago by phone (cadence 60)."),
            View(3, AlertKinds.Declining, AlertTiers.Alert, 3.0, 1.0, "Referrals fell.", "Last touch 90 days ago by phone."),
            View(3, AlertKinds.TouchOverdue, AlertTiers.Alert, 3.0, 1.0, "Last touch 90 days ago by phone (cadence 30)."),
            View(4, AlertKinds.Lapsed, AlertTiers.Watch, 1.5, 0, "No referral."),
            View(4, AlertKinds.TouchOverdue, AlertTiers.Alert, 1.5, 0, "Never touched."),
        ], 0);

        var rows = list.BySource();

        // Source 1 has the most at risk, but only on watch: after every source with an alert.
        Assert.Equal([3, 4, 2, 1], rows.Select(r => r.Source.Id));
        Assert.Equal([AlertTiers.Alert, AlertTiers.Alert, AlertTiers.Alert, AlertTiers.Watch], rows.Select(r => r.Tier));
        Assert.Equal([2.0, 1.5, 0, 4.0], rows.Select(r => r.ReferralsAtRisk));
        Assert.Equal(["Referrals fell.", "Last touch 90 days ago by phone (cadence 30)."], rows[0].Reasons);
        Assert.True(rows[1].HasTier(AlertTiers.Watch) && rows[1].HasTier(AlertTiers.Alert));
        Assert.Equal([1, 4], list.OfTier("watch").Alerts.Select(a => a.Source.Id));
        Assert.Equal("tier", Assert.Single(Assert.Throws<ValidationException>(() => list.OfTier("soon")).Errors).Key);
        // A call's tier: alert when any of its alerts is; a watch-only call is still a call.
        Assert.Equal(AlertTiers.Watch, CallListService.Entry(list.Alerts.Where(a => a.Source.Id == 1)).Tier);
        Assert.Equal("Share outcomes report", CallListService.Entry(list.Alerts.Where(a => a.Source.Id == 1)).Purpose);
        Assert.Equal(AlertTiers.Alert, CallListService.Entry(list.Alerts.Where(a => a.Source.Id == 4)).Tier);
    }
}
