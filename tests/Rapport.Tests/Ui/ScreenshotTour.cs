using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Common;
using Rapport.Demo;
using Rapport.Organizations;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

/// <summary>
/// Not a check: saves screenshots of the main pages of the demo practice (wide and phone) for a person to look at.
/// Run explicitly: dotnet test --filter "FullyQualifiedName~ScreenshotTour" -- xUnit.Explicit=only
/// </summary>
public sealed class ScreenshotTour
{
    [Fact(Explicit = true)]
    public async Task Save_screenshots_of_the_main_pages()
    {
        var folder = Environment.GetEnvironmentVariable("RAPPORT_UI_SCREENSHOTS") is { Length: > 0 } f ? f : Path.Combine(Path.GetTempPath(), "rapport-shots");
        Directory.CreateDirectory(folder);
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var (sourceId, patientId, referralId) = await SeedAsync(app);

        var pages = new[]
        {
            "/", "/Sources", $"/Sources/{sourceId}", "/Sources/New", $"/Sources/{sourceId}/Edit", "/Touchpoints/New?sourceId=" + sourceId,
            "/Referrals/New", $"/Referrals/{referralId}/Edit", "/Patients", $"/Patients/{patientId}", "/ReferBacks/New?sourceId=" + sourceId,
            "/Settings/Clinics", "/Settings/Users", "/Settings/ApiKeys", "/Settings/Audit", "/Settings/Alerts",
            "/Alerts", "/CallList", "/Outcomes", $"/Episodes/{referralId}", "/Nps", "/Nps/FollowUps",
            $"/Sources/{sourceId}/ReportCard", "/ReportCards", "/Settings/ReportCards", "/Settings/Templates", "/Settings/Templates/report-card-intro",
            "/Profile", $"/Episodes/{referralId}/Letters/evaluation",
        };
        foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(app.BaseAddress, "/Account/Login").ToString());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{width}-login.png"), FullPage = true });
            await new RapportPages(page, app.BaseAddress).SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
            foreach (var url in pages)
            {
                // Network idle: the dashboard draws its charts and loads its alerts after the page.
                await page.GotoAsync(new Uri(app.BaseAddress, url).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
                var name = url.Trim('/').Replace('/', '-').Replace('?', '-').Replace('=', '-');
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{width}-{(name.Length == 0 ? "home" : name)}.png"), FullPage = true });
            }
            // The specialty picker open on a search, and the sources filter's.
            await page.GotoAsync(new Uri(app.BaseAddress, "/Sources/New").ToString());
            await page.Locator("#Input_TaxonomyCode-search").PressSequentiallyAsync("orthop", new LocatorPressSequentiallyOptions { Delay = 40 });
            await page.Locator("#Input_TaxonomyCode-options li[role=option]").First.WaitForAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{width}-specialty-picker.png"), FullPage = true });
            await page.GotoAsync(new Uri(app.BaseAddress, "/Sources").ToString());
            await page.Locator("#specialty-search").PressSequentiallyAsync("spine", new LocatorPressSequentiallyOptions { Delay = 40 });
            await page.Locator("#specialty-options li[role=option]", new PageLocatorOptions { HasText = "Neurological" }).First.WaitForAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{width}-specialty-filter.png") });
            // A form with errors, as a user would see it.
            await page.GotoAsync(new Uri(app.BaseAddress, "/Sources/New").ToString());
            await page.FillAsync("#Input_LastName", "Wilson");
            await page.FillAsync("#Input_Npi", "1234567890");
            await page.FillAsync("#Input_Email", "not-an-email");
            await page.ClickAsync("main form button[type='submit']");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{width}-source-errors.png"), FullPage = true });
        }
    }

    /// <summary>The demo practice, and Dr. House with one of his current patients.</summary>
    private static async Task<(int, int, int)> SeedAsync(RapportApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, CancellationToken.None);
        var organization = await scope.ServiceProvider.GetRequiredService<OrganizationService>().FindBySlugAsync(seeded.OrganizationSlug);
        return await app.InOrganizationAsync(organization!.Id, async sp =>
        {
            var houseId = (await sp.GetRequiredService<SourceQueries>().ResolveAsync(Formats.NpiWithCheckDigit("198765432")))!.Value;
            var referral = (await sp.GetRequiredService<ReferralService>().ListAsync(new ReferralListQuery { SourceId = houseId, Status = ReferralStatus.Evaluated })).Items[0];
            return (houseId, referral.PatientId, referral.Id);
        });
    }
}
