using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

/// <summary>"Log the people we met" after an event, in the browser: the campaign's sources reached go from 0 to 3.</summary>
public sealed partial class CampaignLogBrowserTests
{
    [Fact]
    public async Task Logging_the_people_met_at_an_event_raises_the_sources_reached()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Plains PT");
        using (var api = app.ApiClient(org.ApiKey))
        {
            await api.CreateSourceAsync("Cuddy");
        }
        var pages = new RapportPages(await browser.NewPageAsync(), app.BaseAddress);
        var page = pages.Page;
        await pages.SignInAsync(org.AdminEmail, RapportApp.Password);

        await page.GotoAsync(new Uri(app.BaseAddress, "/Campaigns/New").ToString());
        await page.FillAsync("#Input_Name", "Kearney health fair");
        await page.SelectOptionAsync("#Input_Kind", "HealthFair");
        await page.FillAsync("#Input_StartsOn", TestClock.Today.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#Input_Costs_0__Description", "Booth fee");
        await page.FillAsync("#Input_Costs_0__Amount", "250");
        await page.ClickAsync("#campaign-form button[type='submit']");
        await page.WaitForURLAsync(CampaignUrl());
        var id = int.Parse(CampaignUrl().Match(page.Url).Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);

        await page.GotoAsync(new Uri(app.BaseAddress, "/Campaigns").ToString());
        var reached = page.Locator($"tr[data-campaign-id='{id}'] td[data-col='sources-reached']");
        await Assertions.Expect(reached).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator($"tr[data-campaign-id='{id}'] td[data-col='cost']")).ToHaveTextAsync("$250.00");

        await page.GotoAsync(new Uri(app.BaseAddress, $"/Campaigns/{id}/Log").ToString());
        Assert.Equal("Event", await page.InputValueAsync("#Input_Method"));   // a health fair's people are met at the event
        Assert.Equal("Kearney health fair", await page.InputValueAsync("#Input_Purpose"));
        await page.FillAsync("[name='Input.Existing[0].Text']", "Cuddy");
        await page.FillAsync("#Input_Existing_0__Notes", "Asked for our ACL protocol");
        await page.FillAsync("#Input_NewPeople_0__FirstName", "James");
        await page.FillAsync("#Input_NewPeople_0__LastName", "Wilson");
        await page.FillAsync("#Input_NewPeople_0__Credential", "MD");
        // The script adds rows past the blank ones the page offers.
        var rows = await page.Locator(".new-person").CountAsync();
        await page.ClickAsync("#add-person");
        await Assertions.Expect(page.Locator(".new-person")).ToHaveCountAsync(rows + 1);
        await page.FillAsync($"#Input_NewPeople_{rows}__FirstName", "Allison");
        await page.FillAsync($"#Input_NewPeople_{rows}__LastName", "Cameron");
        await page.FillAsync($"#Input_NewPeople_{rows}__Specialty", "Sports medicine");
        await page.ClickAsync("#people-log button[type='submit']");
        await page.WaitForURLAsync(CampaignUrl());

        await page.GotoAsync(new Uri(app.BaseAddress, "/Campaigns").ToString());
        await Assertions.Expect(reached).ToHaveTextAsync("3");
        await page.GotoAsync(new Uri(app.BaseAddress, "/Sources?q=Cameron").ToString());
        await Assertions.Expect(page.Locator("#sources")).ToContainTextAsync("Prospect");
    }

    [GeneratedRegex(@"/Campaigns/(?<id>\d+)$")]
    private static partial Regex CampaignUrl();
}
