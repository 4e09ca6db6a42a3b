using System.Net;
using Microsoft.Playwright;
using Rapport.Registry;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Registry;

namespace Rapport.Tests.Ui;

/// <summary>NPI autofill on the source form (issue 14, item 3), in the browser and without script.</summary>
public sealed class NpiAutofillBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Typing_a_registry_npi_fills_the_form_and_a_deactivated_npi_shows_the_notice()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Plains PT");
        var (wiebe, gone) = (LookupTestKit.NextNpi(), LookupTestKit.NextNpi());
        await LookupTestKit.AddAsync(app, LookupTestKit.Wiebe(wiebe),
            new RegistryProvider { Npi = gone, DeactivationDate = new DateOnly(2024, 3, 1), UpdatedAt = TestClock.UtcNow });
        var pages = new RapportPages(await browser.NewPageAsync(), app.BaseAddress);
        var page = pages.Page;
        await pages.SignInAsync(org.AdminEmail, RapportApp.Password);

        await page.GotoAsync(new Uri(app.BaseAddress, "/Sources/New").ToString());
        await page.FillAsync("#Input_Phone", "609-555-0100");
        await page.Locator("#Input_Npi").PressSequentiallyAsync(wiebe, new LocatorPressSequentiallyOptions { Delay = 20 });
        await Assertions.Expect(page.Locator("#Input_LastName")).ToHaveValueAsync("Wiebe");
        Assert.Equal("David", await page.InputValueAsync("#Input_FirstName"));
        Assert.Equal("MD", await page.InputValueAsync("#Input_Credential"));
        Assert.Equal("207X00000X", await page.InputValueAsync("#Input_TaxonomyCode"));
        Assert.Equal("Orthopaedic Surgery · 207X00000X", await page.InputValueAsync("#Input_TaxonomyCode-search"));
        Assert.Equal("3500 Central Ave", await page.InputValueAsync("#Input_AddressLine"));
        Assert.Equal("Kearney", await page.InputValueAsync("#Input_City"));
        Assert.Equal("NE", await page.InputValueAsync("#Input_State"));
        Assert.Equal("68847-2944", await page.InputValueAsync("#Input_Zip"));
        Assert.Equal("(308) 865-2506", await page.InputValueAsync("#Input_Fax"));
        // What was typed stays.
        Assert.Equal("609-555-0100", await page.InputValueAsync("#Input_Phone"));
        var notice = page.Locator("#npi-registry-status");
        await Assertions.Expect(notice).ToBeVisibleAsync();
        await Assertions.Expect(notice).ToContainTextAsync("Filled from the NPI registry: first name, last name, credential, address, city, state, ZIP, fax, specialty.");

        await page.ClickAsync("main form button[type='submit']");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/Sources/\d+$"));
        var body = await page.Locator("main").InnerTextAsync();
        foreach (var shown in new[] { "David Wiebe, MD", "Orthopaedic Surgery · 207X00000X", "3500 Central Ave", "Kearney", "68847-2944", "(609) 555-0100", "(308) 865-2506" })
        {
            Assert.Contains(shown, body, StringComparison.Ordinal);
        }

        await page.GotoAsync(new Uri(app.BaseAddress, "/Sources/New").ToString());
        await page.Locator("#Input_Npi").PressSequentiallyAsync(gone, new LocatorPressSequentiallyOptions { Delay = 20 });
        await Assertions.Expect(notice).ToContainTextAsync($"NPI {gone} was deactivated on 2024-03-01");
        await Assertions.Expect(notice).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("warning"));
        Assert.Equal("", await page.InputValueAsync("#Input_LastName"));

        // The button looks up again on demand, and says so for an NPI the registry does not have.
        await page.FillAsync("#Input_Npi", LookupTestKit.NextNpi());
        await page.ClickAsync("#npi-fill");
        await Assertions.Expect(notice).ToContainTextAsync("is not in the NPI registry");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Without_script_the_fill_button_and_a_save_fill_the_blanks_on_the_server(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Plains PT");
        var wiebe = LookupTestKit.NextNpi();
        await LookupTestKit.AddAsync(app, LookupTestKit.Wiebe(wiebe));
        using var client = await app.SignedInClientAsync(org.AdminEmail);

        using var filled = await Forms.PostAsync(client, "/Sources/New?handler=Fill", new Dictionary<string, string>
        {
            ["Input.Npi"] = wiebe, ["Input.City"] = "Elm Creek", ["Input.Status"] = "Active",
        });
        Assert.Equal(HttpStatusCode.OK, filled.StatusCode);
        var form = await Forms.ParseAsync(filled);
        Assert.Equal("Wiebe", form.QuerySelector("#Input_LastName")?.GetAttribute("value"));
        Assert.Equal("Elm Creek", form.QuerySelector("#Input_City")?.GetAttribute("value"));
        Assert.Equal("207X00000X", form.QuerySelector("#Input_TaxonomyCode option[selected]")?.GetAttribute("value"));
        Assert.Contains("Filled from the NPI registry", form.QuerySelector("#npi-registry-status")?.TextContent, StringComparison.Ordinal);
        // Filling saves nothing.
        Assert.Equal(0, await app.InOrganizationAsync(org.Id, async sp => (await sp.GetRequiredService<SourceQueries>().ListAsync(new SourceListQuery(), Ct)).Total));

        using var saved = await Forms.PostAsync(client, "/Sources/New", new Dictionary<string, string> { ["Input.Npi"] = wiebe, ["Input.Status"] = "Active" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await client.GetStringAsync(saved.Headers.Location!.OriginalString, Ct);
        Assert.Contains("Added David Wiebe, MD. Filled from the NPI registry:", page, StringComparison.Ordinal);
    }
}
