using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Sources;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

public sealed class SpecialtyPickerTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_source_form_offers_the_specialty_picker_and_saving_207X00000X_stores_orthopaedic_surgery(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var client = await app.SignedInClientAsync(org.AdminEmail);
        var ct = TestContext.Current.CancellationToken;

        var form = await Forms.ParseAsync(await client.GetAsync("/Sources/New", ct));
        var select = form.QuerySelector("select#Input_TaxonomyCode[data-specialty-picker]") ?? throw new InvalidOperationException("No specialty picker");
        Assert.Equal("Input.TaxonomyCode", select.GetAttribute("name"));
        // Without script the native select still works, most referring specialties first: typing "Orthop" lands on the surgeon.
        var options = select.QuerySelectorAll("option").Where(o => o.GetAttribute("value") is { Length: > 0 }).ToList();
        Assert.Equal("207X00000X", options[0].GetAttribute("value"));
        Assert.Equal("Orthopaedic Surgery · 207X00000X", options[0].TextContent.Trim());
        Assert.StartsWith("Orthopaedic", options.First(o => o.TextContent.StartsWith("Orthop", StringComparison.Ordinal)).TextContent, StringComparison.Ordinal);
        Assert.NotNull(form.QuerySelector("script[src^='/js/specialty-picker.js']"));

        // The picker's search is the server's rule.
        var found = JsonDocument.Parse(await client.GetStringAsync("/Sources?handler=Specialties&term=orthop", ct)).RootElement;
        Assert.Equal("207X00000X", found[0].GetProperty("value").GetString());
        Assert.Equal("Orthopaedic Surgery · 207X00000X", found[0].GetProperty("label").GetString());
        var byCode = JsonDocument.Parse(await client.GetStringAsync("/Sources?handler=Specialties&term=213E00000X", ct)).RootElement;
        Assert.Equal("213E00000X", Assert.Single(byCode.EnumerateArray()).GetProperty("value").GetString());

        using var saved = await Forms.PostAsync(client, "/Sources/New", new Dictionary<string, string>
        {
            ["Input.FirstName"] = "Lisa", ["Input.LastName"] = "Cuddy", ["Input.TaxonomyCode"] = "207X00000X", ["Input.Status"] = "Active",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var sourceId = int.Parse(saved.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var stored = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<SourceQueries>().DetailsAsync(sourceId, 1));
        Assert.Equal(("207X00000X", "Orthopaedic surgery"), (stored!.Profile.TaxonomyCode, stored.Profile.Specialty));

        // The edit form shows the stored specialty picked; the details page names it the same way.
        var edit = await Forms.ParseAsync(await client.GetAsync($"/Sources/{sourceId}/Edit", ct));
        Assert.Equal("207X00000X", edit.QuerySelector("#Input_TaxonomyCode option[selected]")?.GetAttribute("value"));
        var details = await Forms.ParseAsync(await client.GetAsync($"/Sources/{sourceId}", ct));
        Assert.Contains("Orthopaedic Surgery · 207X00000X", details.Body!.TextContent, StringComparison.Ordinal);

        // The list's filter picks a category with the same search, most referring categories first.
        var list = await Forms.ParseAsync(await client.GetAsync("/Sources?specialty=Orthopaedic+surgery", ct));
        var filter = list.QuerySelector("select#specialty[data-specialty-picker]") ?? throw new InvalidOperationException("No specialty filter picker");
        Assert.Equal("Orthopaedic surgery", filter.QuerySelector("option[selected]")?.GetAttribute("value"));
        Assert.Equal("Orthopaedic surgery", filter.QuerySelectorAll("option")[1].GetAttribute("value"));
        Assert.NotNull(list.QuerySelector($"tr[data-source-id='{sourceId}']"));
        var categories = JsonDocument.Parse(await client.GetStringAsync("/Sources?handler=Specialties&categories=true&term=podiatr", ct)).RootElement;
        Assert.Equal("Podiatry", categories[0].GetProperty("value").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_specialty_given_by_name_through_the_api_gets_its_code_when_it_names_one(string database)
    {
        var (app, _, api) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var disposeApp = app;
        using var disposeApi = api;

        var podiatrist = await api.PostCreatedAsync("/api/v1/sources", new { lastName = "Foot", specialty = "Podiatrist" });
        var (_, body, _) = await api.SendAsync(HttpMethod.Get, $"/api/v1/sources/{podiatrist.GetProperty("id").GetInt32()}");
        Assert.Equal("213E00000X", body.GetProperty("taxonomyCode").GetString());
        Assert.Equal("Podiatry", body.GetProperty("specialty").GetString());

        // A name several specialties share stays as written, with no code.
        var vague = await api.PostCreatedAsync("/api/v1/sources", new { lastName = "Vague", specialty = "Sports medicine" });
        (_, body, _) = await api.SendAsync(HttpMethod.Get, $"/api/v1/sources/{vague.GetProperty("id").GetInt32()}");
        Assert.Equal(JsonValueKind.Null, body.GetProperty("taxonomyCode").ValueKind);
        Assert.Equal("Sports medicine", body.GetProperty("specialty").GetString());
    }

    [Fact]
    public async Task Typing_orthop_in_the_browser_picks_orthopaedic_surgery()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var pages = new RapportPages(await browser.NewPageAsync(), app.BaseAddress);
        var page = pages.Page;
        await pages.SignInAsync(org.AdminEmail, RapportApp.Password);

        await page.GotoAsync(new Uri(app.BaseAddress, "/Sources/New").ToString());
        await page.FillAsync("#Input_LastName", "Chase");
        var search = page.Locator("#Input_TaxonomyCode-search");
        await search.PressSequentiallyAsync("orthop", new LocatorPressSequentiallyOptions { Delay = 40 });
        var first = page.Locator("#Input_TaxonomyCode-options li[role=option]").First;
        await Assertions.Expect(first).ToHaveTextAsync("Orthopaedic Surgery · 207X00000X");
        await search.PressAsync("Enter");
        Assert.Equal("207X00000X", await page.InputValueAsync("#Input_TaxonomyCode"));
        Assert.Equal("Orthopaedic Surgery · 207X00000X", await search.InputValueAsync());

        // An exact code typed and left also picks its specialty.
        await search.FillAsync("");
        await search.PressSequentiallyAsync("213E00000X", new LocatorPressSequentiallyOptions { Delay = 20 });
        await Assertions.Expect(first).ToHaveTextAsync("Podiatrist · 213E00000X");
        await page.FocusAsync("#Input_PracticeName");
        Assert.Equal("213E00000X", await page.InputValueAsync("#Input_TaxonomyCode"));

        await page.ClickAsync("main form button[type='submit']");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/Sources/\d+$"));
        var id = int.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var stored = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<SourceQueries>().DetailsAsync(id, 1));
        Assert.Equal(("213E00000X", "Podiatry"), (stored!.Profile.TaxonomyCode, stored.Profile.Specialty));
    }
}
