using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Tests.Api;
using static Rapport.Tests.Letters.LetterTestKit;

namespace Rapport.Tests.Infrastructure;

/// <summary>
/// "Today" is the practice's calendar date in its own time zone, on every door. The two cases sit on
/// either side of the UTC date line: Los Angeles at 17:30 on 31 December is already 1 January in
/// UTC; Auckland at 08:00 on 1 January is still 31 December in UTC.
/// </summary>
public sealed partial class PracticeClockTests
{
    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var database in new[] { TestDatabases.Sqlite, TestDatabases.Postgres })
        {
            data.Add(database, "America/Los_Angeles", "2026-12-31T17:30:00-08:00", "2026-12-31");
            data.Add(database, "Pacific/Auckland", "2027-01-01T08:00:00+13:00", "2027-01-01");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_door_reads_today_on_the_practices_own_clock(string database, string timeZone, string localNow, string expectedToday)
    {
        var now = DateTimeOffset.Parse(localNow, CultureInfo.InvariantCulture);
        var today = DateOnly.Parse(expectedToday, CultureInfo.InvariantCulture);
        Assert.NotEqual(today, DateOnly.FromDateTime(now.UtcDateTime)); // the case is only worth testing across the date line
        await using var app = await RapportApp.StartAsync(database, now: now);
        var org = await app.CreateOrganizationAsync("Coast PT", timeZone);
        using var api = app.ApiClient(org.ApiKey);
        var source = await CreateSourceAsync(api, "House", "house@plainsboro.test");

        // The service itself.
        Assert.Equal(today, await app.InOrganizationAsync(org.Id, s => Task.FromResult(s.GetRequiredService<PracticeClock>().Today())));

        // UI: the touch form's default date and the footer.
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var form = await browser.GetStringAsync($"/Touchpoints/New?sourceId={source}", TestContext.Current.CancellationToken);
        var dateInput = DateInput().Match(form).Value;
        Assert.Contains($"value=\"{expectedToday}\"", dateInput, StringComparison.Ordinal);
        Assert.Contains($"datetime=\"{expectedToday}\"", form, StringComparison.Ordinal);
        Assert.Contains(timeZone, form, StringComparison.Ordinal);

        // API validation: today is accepted, tomorrow is "in the future".
        await api.PostCreatedAsync("/api/v1/touchpoints", new { sourceId = source, occurredOn = Iso(today), method = "Phone", purpose = "Check-in" });
        var (status, problem, _) = await api.SendAsync(HttpMethod.Post, "/api/v1/touchpoints",
            new { sourceId = source, occurredOn = Iso(today.AddDays(1)), method = "Phone", purpose = "Check-in" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("occurredOn", problem.ToString(), StringComparison.OrdinalIgnoreCase);
        var source2 = await CreateSourceAsync(api, "Wilson", "wilson@plainsboro.test");
        var patient = await CreatePatientAsync(api, "MRN-1", "Rosa", "Whitfield", "1957-03-14");
        var (referralStatus, referralProblem, _) = await api.SendAsync(HttpMethod.Post, "/api/v1/referrals", new
        {
            patientId = patient, sourceId = source2, clinicId = org.ClinicId, receivedOn = Iso(today.AddDays(1)),
        });
        Assert.Equal(HttpStatusCode.BadRequest, referralStatus);
        Assert.Contains("receivedOn", referralProblem.ToString(), StringComparison.OrdinalIgnoreCase);

        // Due dates: an evaluation letter owed from an evaluation 10 days ago is overdue by (today − due by) days.
        var referral = await CreateEpisodeAsync(api, org.ClinicId, source2, patient, today.AddDays(-10), null, visits: 3, withForms: false);
        var due = (await api.GetOkAsync($"/api/v1/letters/due?sourceId={source2}")).EnumerateArray()
            .Single(d => d.GetProperty("referralId").GetInt32() == referral && d.GetProperty("kind").GetString() == "Evaluation");
        var dueBy = DateOnly.Parse(due.GetProperty("dueBy").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(today.DayNumber - dueBy.DayNumber, due.GetProperty("daysOverdue").GetInt32());

        // CLI: --as-of defaults to the practice's today, in a process whose clock is the same instant.
        var cli = await Cli.RunAsync(app.Database, "alerts", "--org", org.Slug, TestClock.Argument(now));
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Contains($"as of {expectedToday}", cli.Stdout, StringComparison.Ordinal);
        var letters = await Cli.RunAsync(app.Database, "letters", "due", "--org", org.Slug, "--format", "csv", TestClock.Argument(now));
        Assert.True(letters.ExitCode == 0, letters.Stderr);
        Assert.Contains(Iso(dueBy), letters.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_change_the_practice_time_zone_and_refuse_a_name_that_is_not_one()
    {
        var now = new DateTimeOffset(2026, 12, 31, 17, 30, 0, TimeSpan.FromHours(-8));
        await using var app = await RapportApp.StartAsync("sqlite", now: now);
        var org = await app.CreateOrganizationAsync("Coast PT");
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        Assert.Contains("datetime=\"2027-01-01\"", await browser.GetStringAsync("/", TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var page = await browser.GetStringAsync("/Settings/Practice", TestContext.Current.CancellationToken);
        using var bad = await browser.PostAsync("/Settings/Practice", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Coast PT", ["TimeZoneId"] = "Pacific Standard Time", ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(page),
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("is not an IANA time zone", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var good = await browser.PostAsync("/Settings/Practice", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Coast PT", ["TimeZoneId"] = "america/los_angeles", ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(page),
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var home = await browser.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("datetime=\"2026-12-31\"", home, StringComparison.Ordinal);
        Assert.Contains("America/Los_Angeles", home, StringComparison.Ordinal);
    }

    [Fact]
    public void Daylight_saving_days_have_local_midnights_an_hour_apart_from_the_usual()
    {
        // 8 March 2026, 01:59 PST → 03:00 PDT: a 23-hour day in Los Angeles.
        var zone = NodaTime.DateTimeZoneProviders.Tzdb["America/Los_Angeles"];
        var start = PracticeTimeZones.StartOfDayUtc(zone, new DateOnly(2026, 3, 8));
        var next = PracticeTimeZones.StartOfDayUtc(zone, new DateOnly(2026, 3, 9));
        Assert.Equal(TimeSpan.FromHours(23), next - start);
        Assert.Equal(new DateTime(2026, 3, 8, 8, 0, 0, DateTimeKind.Utc), start);
        // Daylight time ends at 09:00 UTC on 1 November 2026, so 10:30 UTC is 02:30 PST, not 03:30 PDT.
        Assert.Equal(new DateTime(2026, 11, 1, 2, 30, 0), PracticeTimeZones.ToLocal(zone, new DateTime(2026, 11, 1, 10, 30, 0, DateTimeKind.Utc)));
    }

    [GeneratedRegex("""<input[^>]*name="Input.OccurredOn"[^>]*>""")]
    private static partial Regex DateInput();
}
