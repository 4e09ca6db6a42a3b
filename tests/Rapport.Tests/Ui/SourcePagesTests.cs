using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Ui;

public sealed class SourcePagesTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_sources_list_shows_each_sources_metrics(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var today = TestClock.Today;
        var sourceId = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { FirstName = "Lisa", LastName = "Cuddy", Credential = "MD" });
            await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Quiet Clinic" });
            var patients = sp.GetRequiredService<PatientService>();
            var referrals = sp.GetRequiredService<ReferralService>();
            var p1 = await patients.CreateAsync(new PatientInput { ExternalId = "M-1", FirstName = "Ann", LastName = "One" });
            var p2 = await patients.CreateAsync(new PatientInput { ExternalId = "M-2", FirstName = "Bob", LastName = "Two" });
            // Recent and evaluated (active); older than 90 days but within 12 months; older than 12 months.
            await referrals.CreateAsync(new ReferralInput { PatientId = p1.Id, SourceId = source.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-10), EvaluatedOn = today.AddDays(-5) });
            await referrals.CreateAsync(new ReferralInput { PatientId = p2.Id, SourceId = source.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-200) });
            await referrals.CreateAsync(new ReferralInput { PatientId = p2.Id, SourceId = source.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-500) });
            await sp.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput { SourceId = source.Id, OccurredOn = today.AddDays(-30), Method = TouchMethod.Email });
            await sp.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput { SourceId = source.Id, OccurredOn = today.AddDays(-3), Method = TouchMethod.InPerson });
            await sp.GetRequiredService<ReferBackService>().CreateAsync(new ReferBackInput { ToSourceId = source.Id, PatientId = p1.Id, SentOn = today.AddDays(-20) });
            return source.Id;
        });

        using var client = await app.SignedInClientAsync(org.AdminEmail);
        using var response = await client.GetAsync("/Sources", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Forms.ParseAsync(response);
        string Cell(string column) => page.QuerySelector($"tr[data-source-id='{sourceId}'] td[data-col='{column}']")?.TextContent.Trim()
            ?? throw new InvalidOperationException($"No {column} cell for source {sourceId}");

        Assert.StartsWith("Lisa Cuddy, MD", Cell("name"), StringComparison.Ordinal);
        Assert.Equal("1", Cell("active-patients"));
        Assert.Equal("1", Cell("referrals-90d"));
        Assert.Equal("2", Cell("referrals-12m"));
        Assert.Equal($"{today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} · In person", Cell("last-touch"));
        Assert.Equal("3", Cell("days-since-touch"));
        Assert.Equal("1", Cell("refer-backs-12m"));
        Assert.Equal(today.AddDays(-20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Cell("last-refer-back"));
        Assert.Equal(2, page.QuerySelectorAll("#sources tbody tr[data-source-id]").Length);

        // Sorting by a column is a shareable GET; the never-touched source sorts as longest ago.
        var sorted = await Forms.ParseAsync(await client.GetAsync("/Sources?sort=DaysSinceTouch&desc=true", TestContext.Current.CancellationToken));
        Assert.Equal("Quiet Clinic", sorted.QuerySelector("#sources tbody tr td[data-col='name'] a")?.TextContent.Trim());

        // The source page draws 24 monthly bars.
        var details = await Forms.ParseAsync(await client.GetAsync($"/Sources/{sourceId}", TestContext.Current.CancellationToken));
        Assert.Equal(24, details.QuerySelectorAll("figure.chart rect.bar").Length);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task An_invalid_npi_is_shown_next_to_its_field_and_nothing_is_saved(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var client = await app.SignedInClientAsync(org.AdminEmail);
        var valid = Formats.NpiWithCheckDigit("123456789");
        var invalid = valid[..9] + (char)('0' + (valid[9] - '0' + 1) % 10);

        using var response = await Forms.PostAsync(client, "/Sources/New", new Dictionary<string, string>
        {
            ["Input.FirstName"] = "James", ["Input.LastName"] = "Wilson", ["Input.Npi"] = invalid, ["Input.Status"] = "Active",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Forms.ParseAsync(response);
        Assert.Contains("Luhn", page.QuerySelector("[data-valmsg-for='Input.Npi']")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("Luhn", page.QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("Wilson", (page.QuerySelector("input[name='Input.LastName']") as AngleSharp.Html.Dom.IHtmlInputElement)?.Value);
        Assert.Equal(invalid, (page.QuerySelector("input[name='Input.Npi']") as AngleSharp.Html.Dom.IHtmlInputElement)?.Value);

        var saved = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<SourceQueries>().ListAsync(new SourceListQuery { IncludeArchived = true }));
        Assert.Equal(0, saved.Total);
    }
}
