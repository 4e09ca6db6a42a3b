using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Health;
using Rapport.Liaison;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Touchpoints;
using Rapport.Users;
using Sylvan.Data.Csv;

namespace Rapport.Tests.Liaison;

/// <summary>
/// The liaison's week (issue 13, item 6): where to call on every door of the call list, the
/// prefilled touch form that comes back to the list with the call done, and touches a week
/// against each liaison's goal, counted on the practice's calendar.
/// </summary>
public sealed class LiaisonWeekTests
{
    private const string Phone = "(541) 555-0134";
    private const string Fax = "(541) 555-0199";
    private const string Address = "12 Main St, Eugene, OR 97401";

    /// <summary>A source whose last touch was 100 days ago, so its touch is overdue and it is on the call list.</summary>
    private static async Task<int> OverdueSourceAsync(IServiceProvider services, string lastName, string npiStem, SourceInput? extra = null)
    {
        var input = (extra ?? new SourceInput()) with { FirstName = "James", LastName = lastName, Credential = "MD", Npi = Formats.NpiWithCheckDigit(npiStem) };
        var source = await services.GetRequiredService<SourceService>().CreateAsync(input);
        await services.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput
        {
            SourceId = source.Id, OccurredOn = services.GetRequiredService<PracticeClock>().Today().AddDays(-100), Method = TouchMethod.Phone,
        });
        return source.Id;
    }

    private static SourceInput WithContacts => new()
    {
        PracticeName = "Valley Orthopedics", AddressLine = "12 Main St", City = "Eugene", State = "OR", Zip = "97401", Phone = Phone, Fax = Fax,
    };

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Every_door_of_the_call_list_says_the_phone_fax_and_address(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var sourceId = await app.InOrganizationAsync(org.Id, sp => OverdueSourceAsync(sp, "Wilson", "222333444", WithContacts));
        using var api = app.ApiClient(org.ApiKey);

        var json = await api.GetFromJsonAsync<JsonElement>("/api/v1/calls", ct);
        var call = json.GetProperty("owners").EnumerateArray().SelectMany(g => g.GetProperty("calls").EnumerateArray())
            .Single(c => c.GetProperty("source").GetProperty("id").GetInt32() == sourceId);
        Assert.Equal(Phone, call.GetProperty("phone").GetString());
        Assert.Equal(Fax, call.GetProperty("fax").GetString());
        Assert.Equal(Address, call.GetProperty("address").GetString());
        Assert.Equal("Valley Orthopedics", call.GetProperty("practice").GetString());
        Assert.False(call.GetProperty("done").GetBoolean());

        using (var csv = CsvDataReader.Create(new StringReader(await api.GetStringAsync("/api/v1/calls/csv", ct))))
        {
            Assert.True(await csv.ReadAsync(ct));
            Assert.Equal(sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture), csv.GetString(csv.GetOrdinal("sourceId")));
            Assert.Equal(Phone, csv.GetString(csv.GetOrdinal("phone")));
            Assert.Equal(Fax, csv.GetString(csv.GetOrdinal("fax")));
            Assert.Equal(Address, csv.GetString(csv.GetOrdinal("address")));
            Assert.Equal("Valley Orthopedics", csv.GetString(csv.GetOrdinal("practice")));
            Assert.Equal("", csv.GetString(csv.GetOrdinal("doneOn")));
        }

        // The CLI's table has a column for every field of the row (a row longer than the header stops it).
        var table = await Infrastructure.Cli.RunAsync(app.Database, "calls", "--format", "table");
        Assert.True(table.ExitCode == 0, table.Stderr);

        // iCalendar folds long lines and escapes commas in text values.
        var ics = (await api.GetStringAsync("/api/v1/calls/ics", ct)).Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains(@"LOCATION:Valley Orthopedics\, 12 Main St\, Eugene\, OR 97401", ics, StringComparison.Ordinal);
        Assert.Contains($"Phone: {Phone}", ics, StringComparison.Ordinal);
        Assert.Contains($"Fax: {Fax}", ics, StringComparison.Ordinal);

        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var page = await Forms.ParseAsync(await browser.GetAsync("/CallList", ct));
        var row = page.QuerySelector($"table.calls tr[data-source-id='{sourceId}']")!;
        Assert.Equal("tel:5415550134", row.QuerySelector("a[data-field='phone']")?.GetAttribute("href"));
        Assert.Contains(Fax, row.QuerySelector("[data-field='fax']")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(Address, row.QuerySelector("[data-field='address']")?.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("a[href='/Export/calls?format=csv']"));
        Assert.NotNull(page.QuerySelector("a[href='/Export/calls?format=xlsx&all=true']"));
        Assert.Contains("\"phone\"", "\"" + string.Join("\",\"", CallListService.CsvHeaders) + "\"", StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_touch_this_week_marks_the_call_done_and_keeps_it_on_the_list_after_its_alert_clears(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var (wilson, cuddy, list, alerts) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var wilson = await OverdueSourceAsync(sp, "Wilson", "222333444");
            var cuddy = await OverdueSourceAsync(sp, "Cuddy", "333444555");
            await sp.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput { SourceId = wilson, OccurredOn = TestClock.Today, Method = TouchMethod.Phone });
            var list = await sp.GetRequiredService<CallListService>().BuildAsync();
            var alerts = await sp.GetRequiredService<AlertService>().ListAsync();
            return (wilson, cuddy, list, alerts);
        });

        // The touch cleared Wilson's only alert, yet his call stays on this week's list, done.
        Assert.DoesNotContain(alerts.Alerts, a => a.Source.Id == wilson);
        var calls = list.Owners.SelectMany(g => g.Calls).ToList();
        var done = Assert.Single(calls, c => c.Source.Id == wilson);
        Assert.True(done.Done);
        Assert.Equal(TestClock.Today, done.DoneOn);
        Assert.False(Assert.Single(calls, c => c.Source.Id == cuddy).Done);
        Assert.Equal(new DateOnly(2026, 6, 15), list.WeekOf);

        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var page = await Forms.ParseAsync(await browser.GetAsync("/CallList", TestContext.Current.CancellationToken));
        Assert.Equal("true", page.QuerySelector($"tr#call-{wilson}")?.GetAttribute("data-done"));
        Assert.Contains("touched today", page.QuerySelector($"tr#call-{wilson} [data-testid='done']")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("false", page.QuerySelector($"tr#call-{cuddy}")?.GetAttribute("data-done"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Log_touch_from_the_call_list_opens_prefilled_and_returns_only_to_a_local_address(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var (sourceId, plainId) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var ann = await sp.GetRequiredService<UserDirectory>().AddAsync("ann@harbor-pt.test", RapportApp.Password, Roles.Liaison, "Ann Liaison");
            var sourceId = await OverdueSourceAsync(sp, "Wilson", "222333444", new SourceInput { PreferredContactMethod = TouchMethod.Fax });
            var plain = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Quiet Clinic" });
            // Ann usually e-mails: two e-mails and a lunch among her touches; one she typed for a colleague does not count.
            var touches = sp.GetRequiredService<TouchpointService>();
            foreach (var (days, method) in new[] { (20, TouchMethod.Email), (10, TouchMethod.Lunch), (5, TouchMethod.Email) })
            {
                await touches.CreateAsync(new TouchpointInput { SourceId = plain.Id, OccurredOn = TestClock.Today.AddDays(-days), Method = method }, ann.Id);
            }
            await touches.CreateAsync(new TouchpointInput { SourceId = plain.Id, OccurredOn = TestClock.Today.AddDays(-1), Method = TouchMethod.Video, ByName = "Bob" }, ann.Id);
            await touches.CreateAsync(new TouchpointInput { SourceId = plain.Id, OccurredOn = TestClock.Today.AddDays(-2), Method = TouchMethod.Video, ByName = "Bob" }, ann.Id);
            await touches.CreateAsync(new TouchpointInput { SourceId = plain.Id, OccurredOn = TestClock.Today.AddDays(-3), Method = TouchMethod.Video, ByName = "Bob" }, ann.Id);
            return (sourceId, plain.Id);
        });

        using var annClient = await app.SignedInClientAsync("ann@harbor-pt.test");
        var list = await Forms.ParseAsync(await annClient.GetAsync("/CallList", ct));
        var link = list.QuerySelector($"tr#call-{sourceId} a.log-touch")?.GetAttribute("href");
        Assert.Equal($"/Touchpoints/New?sourceId={sourceId}&purpose=Check-in&returnUrl=%2FCallList%23call-{sourceId}", link);

        var form = await Forms.ParseAsync(await annClient.GetAsync(link, ct));
        Assert.Equal(sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture), Value(form, "Input.SourceId"));
        Assert.Equal(TestClock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Value(form, "Input.OccurredOn"));
        Assert.Equal("Check-in", Value(form, "Input.Purpose"));
        Assert.Equal("Email", Selected(form, "Input.Method"));
        Assert.Equal($"/CallList#call-{sourceId}", Value(form, "ReturnUrl"));

        // Without touches of their own: the source's preferred method, else phone.
        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        Assert.Equal("Fax", Selected(await Forms.ParseAsync(await admin.GetAsync($"/Touchpoints/New?sourceId={sourceId}", ct)), "Input.Method"));
        Assert.Equal("Phone", Selected(await Forms.ParseAsync(await admin.GetAsync($"/Touchpoints/New?sourceId={plainId}", ct)), "Input.Method"));
        // A foreign return address is not carried into the form.
        Assert.Null((await Forms.ParseAsync(await admin.GetAsync($"/Touchpoints/New?sourceId={plainId}&returnUrl=https%3A%2F%2Fevil.example%2F", ct)))
            .QuerySelector("input[name='ReturnUrl']"));

        // Saving comes back to the list's row when the address is local, and to the source page otherwise.
        foreach (var (returnUrl, expected) in new[]
        {
            ($"/CallList#call-{sourceId}", $"/CallList#call-{sourceId}"),
            ("https://evil.example/", $"/Sources/{sourceId}"),
            ("//evil.example/x", $"/Sources/{sourceId}"),
            ("/\\evil.example", $"/Sources/{sourceId}"),
            ("~/CallList", $"/Sources/{sourceId}"),
        })
        {
            using var saved = await Forms.PostAsync(annClient, "/Touchpoints/New", new Dictionary<string, string>
            {
                ["Input.SourceId"] = sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["SourceText"] = "",
                ["Input.OccurredOn"] = TestClock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["Input.Method"] = "Phone", ["Input.Purpose"] = "Check-in", ["ReturnUrl"] = returnUrl,
            });
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.Equal(expected, saved.Headers.Location?.OriginalString);
        }

        var after = await Forms.ParseAsync(await annClient.GetAsync("/CallList", ct));
        Assert.Equal("true", after.QuerySelector($"tr#call-{sourceId}")?.GetAttribute("data-done"));
    }

    private static string? Value(IHtmlDocument page, string name) => (page.QuerySelector($"input[name='{name}']") as IHtmlInputElement)?.Value;

    private static string? Selected(IHtmlDocument page, string name) => (page.QuerySelector($"select[name='{name}']") as IHtmlSelectElement)?.Value;

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Touches_a_week_by_liaison_and_method_count_the_practices_week_against_each_goal(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        // Sunday 21 June 2026, 22:00 in Los Angeles, already Monday in UTC: the practice's week is still 15–21 June.
        var now = new DateTimeOffset(2026, 6, 22, 5, 0, 0, TimeSpan.Zero);
        await using var app = await RapportApp.StartAsync(database, now: now);
        var org = await app.CreateOrganizationAsync("Harbor PT", "America/Los_Angeles");
        var monday = new DateOnly(2026, 6, 15);
        var sunday = new DateOnly(2026, 6, 21);
        var (annId, benId, week) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var users = sp.GetRequiredService<UserDirectory>();
            var ann = await users.AddAsync("ann@harbor-pt.test", RapportApp.Password, Roles.Liaison, "Ann Liaison");
            var ben = await users.AddAsync("ben@harbor-pt.test", RapportApp.Password, Roles.Liaison, "Ben Liaison");
            await users.AddAsync("fd@harbor-pt.test", RapportApp.Password, Roles.FrontDesk, "Fran Desk");
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Valley Clinic" });
            var touches = sp.GetRequiredService<TouchpointService>();
            Task Touch(string userId, DateOnly on, TouchMethod method, string? byName = null) =>
                touches.CreateAsync(new TouchpointInput { SourceId = source.Id, OccurredOn = on, Method = method, ByName = byName }, userId);
            await Touch(ann.Id, monday, TouchMethod.Phone);
            await Touch(ann.Id, sunday, TouchMethod.Email);
            await Touch(ann.Id, monday.AddDays(2), TouchMethod.Phone);
            await Touch(ann.Id, monday.AddDays(-1), TouchMethod.Phone);          // the Sunday before: last week
            await Touch(ann.Id, monday.AddDays(3), TouchMethod.Lunch, "Ben Liaison"); // typed in for a colleague: Ben's, not Ann's
            await Touch(ben.Id, monday.AddDays(3), TouchMethod.InPerson);
            var week = sp.GetRequiredService<LiaisonWeekService>();
            await week.SetGoalAsync(ann.Id, 5);
            await week.SetGoalAsync(ben.Id, 1);
            await Assert.ThrowsAsync<ValidationException>(() => week.SetGoalAsync(ann.Id, -1));
            await Assert.ThrowsAsync<ValidationException>(() => week.SetGoalAsync(ann.Id, LiaisonWeekService.MaxWeeklyGoal + 1));
            return (ann.Id, ben.Id, await week.WeekAsync());
        });

        Assert.Equal(monday, week.WeekOf);
        Assert.Equal(sunday, week.Through);
        Assert.Equal(["Ann Liaison", "Ben Liaison"], week.Rows.Select(r => r.Name));
        var ann = week.Rows[0];
        Assert.Equal((3, 5, false), (ann.Touches, ann.Goal!.Value, ann.GoalMet));
        Assert.Equal([new MethodCount(TouchMethod.Phone, 2), new MethodCount(TouchMethod.Email, 1)], ann.ByMethod);
        var ben = week.Rows[1];
        Assert.Equal((2, 1, true), (ben.Touches, ben.Goal!.Value, ben.GoalMet));
        Assert.Equal([new MethodCount(TouchMethod.InPerson, 1), new MethodCount(TouchMethod.Lunch, 1)], ben.ByMethod);

        // The API says the same.
        using var api = app.ApiClient(org.ApiKey);
        var json = await api.GetFromJsonAsync<JsonElement>("/api/v1/calls/week", ct);
        Assert.Equal("2026-06-15", json.GetProperty("weekOf").GetString());
        var annJson = json.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("userId").GetString() == annId);
        Assert.Equal(3, annJson.GetProperty("touches").GetInt32());
        Assert.Equal(5, annJson.GetProperty("goal").GetInt32());
        Assert.Equal("Phone", annJson.GetProperty("byMethod")[0].GetProperty("method").GetString());

        // A liaison sees their own week; a manager every liaison's.
        using var annClient = await app.SignedInClientAsync("ann@harbor-pt.test");
        var annPage = await Forms.ParseAsync(await annClient.GetAsync("/CallList", ct));
        var line = annPage.QuerySelector("#my-week .week-line")!;
        Assert.Equal(("3", "5"), (line.GetAttribute("data-touches"), line.GetAttribute("data-goal")));
        Assert.Contains("Phone 2, Email 1", line.TextContent, StringComparison.Ordinal);
        Assert.Null(annPage.QuerySelector("#liaison-week"));
        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        var adminPage = await Forms.ParseAsync(await admin.GetAsync("/CallList", ct));
        Assert.Equal("2", adminPage.QuerySelector($"#liaison-week tr[data-user-id='{benId}'] td[data-col='touches']")?.TextContent.Trim());
        Assert.Equal("5", adminPage.QuerySelector($"#liaison-week tr[data-user-id='{annId}'] td[data-col='goal']")?.TextContent.Trim());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Managers_set_weekly_goals_in_settings_and_liaisons_cannot(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var (annId, managerEmail) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var users = sp.GetRequiredService<UserDirectory>();
            var ann = await users.AddAsync("ann@harbor-pt.test", RapportApp.Password, Roles.Liaison, "Ann Liaison");
            var manager = await users.AddAsync("max@harbor-pt.test", RapportApp.Password, Roles.Manager, "Max Manager");
            return (ann.Id, manager.Email!);
        });

        using var manager = await app.SignedInClientAsync(managerEmail);
        using var saved = await Forms.PostAsync(manager, "/Settings/Users?handler=Goals", new Dictionary<string, string> { [$"goals[{annId}]"] = "12" }, "/Settings/Users");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var settings = await Forms.ParseAsync(await manager.GetAsync("/Settings/Users", ct));
        Assert.Equal("12", (settings.QuerySelector($"#goal-{annId}") as IHtmlInputElement)?.Value);
        using var refused = await Forms.PostAsync(manager, "/Settings/Users?handler=Goals", new Dictionary<string, string> { [$"goals[{annId}]"] = "9999" }, "/Settings/Users");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("between 1 and 500", (await Forms.ParseAsync(refused)).QuerySelector("#goals-form .error-summary")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(12, (await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<LiaisonWeekService>().GoalsAsync()))[annId]);

        using var ann = await app.SignedInClientAsync("ann@harbor-pt.test");
        using var forbidden = await Forms.PostAsync(ann, "/Settings/Users?handler=Goals", new Dictionary<string, string> { [$"goals[{annId}]"] = "1" }, "/CallList");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(12, (await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<LiaisonWeekService>().GoalsAsync()))[annId]);
    }
}
