using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Campaigns;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Touchpoints;

namespace Rapport.Tests.Campaigns;

/// <summary>The campaign API's status codes and JSON shapes, the pages' forms without script, and the touch form's campaign select.</summary>
public sealed class CampaignDoorsTests
{
    private static string Day(int offset) => TestClock.Today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Api_creates_lists_logs_people_targets_and_deletes(string database)
    {
        var (app, org, api) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var running = app;
        using var client = api;
        var created = await api.PostCreatedAsync("/api/v1/campaigns", new
        {
            name = "Spring health fair", kind = "HealthFair", startsOn = Day(-20), endsOn = Day(-19), budget = 1500, clinicIds = new[] { org.ClinicId },
            costs = new[] { new { description = "Booth fee", amount = 450.00m }, new { description = "Printing", amount = 120.50m } },
        });
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal("HealthFair", created.GetProperty("kind").GetString());
        Assert.Equal("Health fair", created.GetProperty("kindLabel").GetString());
        Assert.Equal(Day(-20), created.GetProperty("startsOn").GetString());
        Assert.Equal(570.50m, created.GetProperty("costLinesTotal").GetDecimal());
        Assert.Equal(2, created.GetProperty("costs").GetArrayLength());
        Assert.Equal("Summit Physical Therapy Main", created.GetProperty("clinics")[0].GetProperty("name").GetString());

        var (status, body, response) = await api.SendAsync(HttpMethod.Post, "/api/v1/campaigns", new { name = "spring HEALTH fair", kind = "Booth", startsOn = Day(0) });
        ApiTestKit.AssertProblem(response, HttpStatusCode.Conflict, body);
        Assert.Equal("name", body.GetProperty("field").GetString());
        (status, body, response) = await api.SendAsync(HttpMethod.Post, "/api/v1/campaigns", new
        {
            name = "X", kind = "Booth", startsOn = Day(0), costs = new[] { new { description = "", amount = 5.555m } },
        });
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, body);
        Assert.Equal("Cost line 1: amount has at most two decimals (cents).", body.GetProperty("errors").GetProperty("costs[0].amount")[0].GetString());
        Assert.Equal("Cost line 1: description is required.", body.GetProperty("errors").GetProperty("costs[0].description")[0].GetString());
        (status, body, response) = await api.SendAsync(HttpMethod.Post, "/api/v1/campaigns", new { name = "X", kind = "Picnic", startsOn = Day(0) });
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, body);

        var source = await api.CreateSourceAsync("Cuddy");
        var (logStatus, logged, _) = await api.SendAsync(HttpMethod.Post, $"/api/v1/campaigns/{id}/people", new
        {
            people = new object[] { new { sourceId = source, notes = "Knees" }, new { firstName = "James", lastName = "Wilson", credential = "MD" } },
        });
        Assert.True(logStatus == HttpStatusCode.OK, logged.ToString());
        Assert.Equal(Day(-20), logged.GetProperty("occurredOn").GetString());
        Assert.Equal("Event", logged.GetProperty("method").GetString());
        Assert.Equal(2, logged.GetProperty("touched").GetArrayLength());
        Assert.True(logged.GetProperty("touched")[1].GetProperty("sourceCreated").GetBoolean());
        Assert.Equal(0, logged.GetProperty("notTouchedAgain").GetArrayLength());
        (status, body, response) = await api.SendAsync(HttpMethod.Post, $"/api/v1/campaigns/{id}/people", new { people = new object[] { new { firstName = "Only" } } });
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, body);
        Assert.True(body.GetProperty("errors").TryGetProperty("people[0].lastName", out var lastNameErrors), body.ToString());

        var list = await api.GetOkAsync("/api/v1/campaigns");
        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal(id, row.GetProperty("id").GetInt32());
        Assert.Equal(2, row.GetProperty("sourcesReached").GetInt32());
        Assert.Equal(570.50m, row.GetProperty("actualCost").GetDecimal());
        Assert.Equal(0, (await api.GetOkAsync("/api/v1/campaigns?kind=newsletter")).GetArrayLength());
        Assert.Equal(1, (await api.GetOkAsync($"/api/v1/campaigns?kind=healthfair&clinicId={org.ClinicId}&year={TestClock.Today.Year}")).GetArrayLength());
        (status, body, response) = await api.SendAsync(HttpMethod.Get, "/api/v1/campaigns?kind=picnic");
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, body);

        var (targetStatus, targets, _) = await api.SendAsync(HttpMethod.Post, $"/api/v1/campaigns/{id}/targets", new { sourceIds = new[] { source, 999999 }, npis = Array.Empty<string>() });
        Assert.True(targetStatus == HttpStatusCode.OK, targets.ToString());
        Assert.Equal(source, targets.GetProperty("added")[0].GetInt32());
        Assert.Equal("999999", targets.GetProperty("refused")[0].GetProperty("value").GetString());
        var details = await api.GetOkAsync($"/api/v1/campaigns/{id}");
        Assert.Equal(2, details.GetProperty("touchCount").GetInt32());
        Assert.True(details.GetProperty("targets")[0].GetProperty("reached").GetBoolean());
        (status, body, _) = await api.SendAsync(HttpMethod.Delete, $"/api/v1/campaigns/{id}/targets/{source}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        (status, body, response) = await api.SendAsync(HttpMethod.Delete, $"/api/v1/campaigns/{id}/targets/{source}");
        ApiTestKit.AssertProblem(response, HttpStatusCode.NotFound, body);

        var (putStatus, put, _) = await api.SendAsync(HttpMethod.Put, $"/api/v1/campaigns/{id}", new
        {
            name = "Spring health fair 2026", kind = "HealthFair", startsOn = Day(-20), costs = new[] { new { description = "Booth fee", amount = 500m } },
        });
        Assert.True(putStatus == HttpStatusCode.OK, put.ToString());
        Assert.Equal(500m, put.GetProperty("costLinesTotal").GetDecimal());
        Assert.Equal(JsonValueKind.Null, put.GetProperty("endsOn").ValueKind);

        (status, body, response) = await api.SendAsync(HttpMethod.Delete, $"/api/v1/campaigns/{id}");
        ApiTestKit.AssertProblem(response, HttpStatusCode.BadRequest, body);
        Assert.Contains("Archive it instead", body.GetProperty("errors").GetProperty("id")[0].GetString(), StringComparison.Ordinal);
        (status, body, _) = await api.SendAsync(HttpMethod.Post, $"/api/v1/campaigns/{id}/archive");
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(0, (await api.GetOkAsync("/api/v1/campaigns")).GetArrayLength());
        Assert.Equal(1, (await api.GetOkAsync("/api/v1/campaigns?includeArchived=true")).GetArrayLength());

        var spare = (await api.PostCreatedAsync("/api/v1/campaigns", new { name = "Unused", kind = "Other", startsOn = Day(0) })).GetProperty("id").GetInt32();
        (status, body, _) = await api.SendAsync(HttpMethod.Delete, $"/api/v1/campaigns/{spare}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        (status, body, response) = await api.SendAsync(HttpMethod.Get, $"/api/v1/campaigns/{spare}");
        ApiTestKit.AssertProblem(response, HttpStatusCode.NotFound, body);

        var csv = await api.GetStringAsync("/api/v1/exports/campaigns?format=csv&archived=true", TestContext.Current.CancellationToken);
        Assert.Contains("Spring health fair 2026", csv, StringComparison.Ordinal);
        Assert.StartsWith("id,name,kind,startsOn", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Pages_save_a_campaign_its_cost_lines_and_the_touch_forms_campaign(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var api = app.ApiClient(org.ApiKey);
        var source = await api.CreateSourceAsync("Cuddy");
        using var client = await app.SignedInClientAsync(org.AdminEmail);

        using var invalid = await Forms.PostAsync(client, "/Campaigns/New", new Dictionary<string, string>
        {
            ["Input.Name"] = "Lunch at Riverside Ortho", ["Input.Kind"] = "LunchAndLearn", ["Input.StartsOn"] = Day(-5),
            ["Input.Costs[0].Description"] = "Catering", ["Input.Costs[0].Amount"] = "-3",
        });
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        var page = await Forms.ParseAsync(invalid);
        Assert.Contains("Cost line 1: amount must be between 0 and 10,000,000 dollars.", page.QuerySelector("[data-valmsg-for='Input.Costs[0].Amount']")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(4, page.QuerySelectorAll("tr.cost-line").Length);   // the line typed, plus three blank ones

        using var saved = await Forms.PostAsync(client, "/Campaigns/New", new Dictionary<string, string>
        {
            ["Input.Name"] = "Lunch at Riverside Ortho", ["Input.Kind"] = "LunchAndLearn", ["Input.StartsOn"] = Day(-5), ["Input.ClinicIds"] = org.ClinicId.ToString(CultureInfo.InvariantCulture),
            ["Input.Costs[0].Description"] = "Catering", ["Input.Costs[0].Amount"] = "85.50", ["Input.Costs[1].Description"] = "", ["Input.Costs[1].Amount"] = "", ["Input.Costs[2].Description"] = "Handouts", ["Input.Costs[2].Amount"] = "12",
        }, tokenFrom: "/Campaigns/New");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = int.Parse(saved.Headers.Location!.OriginalString.Split('/')[^1], CultureInfo.InvariantCulture);
        var details = (await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CampaignService>().GetAsync(id)))!;
        Assert.Equal([("Catering", 85.50m), ("Handouts", 12m)], details.Costs.Select(c => (c.Description, c.Amount)));
        Assert.Equal(org.ClinicId, Assert.Single(details.Clinics).Id);

        // The edit form shows the two lines and three blank rows; the list shows the campaign and its cost.
        var edit = await client.GetStringAsync($"/Campaigns/{id}/Edit", TestContext.Current.CancellationToken);
        Assert.Contains("value=\"Handouts\"", edit, StringComparison.Ordinal);
        var list = await client.GetStringAsync("/Campaigns", TestContext.Current.CancellationToken);
        Assert.Contains($"href=\"/Campaigns/{id}\"", list, StringComparison.Ordinal);
        Assert.Contains("$97.50", list, StringComparison.Ordinal);

        // The touch form offers the campaign in a select and saves its id.
        var form = await client.GetStringAsync("/Touchpoints/New", TestContext.Current.CancellationToken);
        Assert.Contains($"<option value=\"{id}\">Lunch at Riverside Ortho</option>", form, StringComparison.Ordinal);
        using var touched = await Forms.PostAsync(client, "/Touchpoints/New", new Dictionary<string, string>
        {
            ["Input.SourceId"] = source.ToString(CultureInfo.InvariantCulture), ["Input.Method"] = "Lunch", ["Input.OccurredOn"] = Day(-5),
            ["Input.CampaignId"] = id.ToString(CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, touched.StatusCode);
        var touch = Assert.Single((await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<TouchpointService>().ListAsync(new TouchpointListQuery()))).Items);
        Assert.Equal(id, touch.CampaignId);
        var touches = await client.GetStringAsync("/Touchpoints", TestContext.Current.CancellationToken);
        Assert.Contains($"<a href=\"/Campaigns/{id}\">Lunch at Riverside Ortho</a>", touches, StringComparison.Ordinal);
        var editTouch = await client.GetStringAsync($"/Touchpoints/{touch.Id}/Edit", TestContext.Current.CancellationToken);
        Assert.Contains($"<option value=\"{id}\" selected=\"selected\">", editTouch, StringComparison.Ordinal);

        // Delete is refused on the page too (the campaign has a touch), and the reason is shown.
        using var delete = await Forms.PostAsync(client, $"/Campaigns/{id}/Edit?handler=Delete", new Dictionary<string, string>(), tokenFrom: $"/Campaigns/{id}/Edit");
        Assert.Equal($"/Campaigns/{id}/Edit", delete.Headers.Location?.OriginalString);
        Assert.NotNull(await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CampaignService>().GetAsync(id)));
    }
}
