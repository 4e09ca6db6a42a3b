using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Sources;
using Rapport.Touchpoints;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

public sealed class BrowserJourneyTests
{
    [Fact]
    public async Task A_liaison_adds_a_source_logs_a_phone_touch_and_sees_it_on_the_list()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var page = new RapportPages(await browser.NewPageAsync(), app.BaseAddress);

        await page.SignInAsync(org.AdminEmail, RapportApp.Password);
        var sourceId = await page.AddSourceAsync("Gregory", "House", Formats.NpiWithCheckDigit("123456789"));

        var before = await page.SourceRowAsync(sourceId);
        Assert.Equal("", (await RapportPages.CellAsync(before, "last-touch")).Trim());
        Assert.Equal("", (await RapportPages.CellAsync(before, "days-since-touch")).Trim());

        await page.LogTouchFromSourcePageAsync(sourceId, "Phone");

        var after = await page.SourceRowAsync(sourceId);
        var today = TestClock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal($"{today} · Phone", (await RapportPages.CellAsync(after, "last-touch")).Trim());
        Assert.Equal("0", (await RapportPages.CellAsync(after, "days-since-touch")).Trim());
    }

    [Fact]
    public async Task Logging_a_touch_from_an_alert_clears_the_touch_overdue_reason()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var sourceId = await app.InOrganizationAsync(org.Id, async services =>
        {
            var source = await services.GetRequiredService<SourceService>().CreateAsync(
                new SourceInput { FirstName = "James", LastName = "Wilson", Credential = "MD", Npi = Formats.NpiWithCheckDigit("222333444") });
            await services.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput
            {
                SourceId = source.Id, OccurredOn = TestClock.Today.AddDays(-100), Method = TouchMethod.Phone,
            });
            return source.Id;
        });
        var page = new RapportPages(await browser.NewPageAsync(), app.BaseAddress);
        await page.SignInAsync(org.AdminEmail, RapportApp.Password);
        Assert.Contains("touch_overdue", await page.AlertKindsAsync(sourceId));
        Assert.Contains("Last touch 100 days ago by phone (cadence 60).", await page.Page.Locator($"tr.alert[data-source-id='{sourceId}'] ul.reasons").InnerTextAsync());

        await page.LogTouchFromAlertAsync(sourceId, "InPerson");

        Assert.DoesNotContain("touch_overdue", await page.AlertKindsAsync(sourceId));
    }

    [Fact]
    public async Task Typing_in_a_source_field_suggests_sources_and_fills_the_hidden_id()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var page = new RapportPages(await browser.NewPageAsync(), app.BaseAddress);
        await page.SignInAsync(org.AdminEmail, RapportApp.Password);
        var sourceId = await page.AddSourceAsync("Lisa", "Cuddy", Formats.NpiWithCheckDigit("555666777"));

        var picked = await page.PickSourceByTypingAsync("cud");

        Assert.Equal(sourceId.ToString(CultureInfo.InvariantCulture), picked);
    }
}
