using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Common;
using Rapport.Demo;
using Rapport.Letters;
using Rapport.Organizations;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;

namespace Rapport.Tests.Letters;

/// <summary>
/// Not a check: saves screenshots of the letter pages of the demo practice (wide and phone), and the
/// letter and fax cover PDFs, for a person to look at.
/// Run explicitly: dotnet test --filter "FullyQualifiedName~LetterScreenshots" -- xUnit.Explicit=only
/// </summary>
public sealed class LetterScreenshots
{
    [Fact(Explicit = true)]
    public async Task Save_screenshots_of_the_letter_pages()
    {
        var folder = Environment.GetEnvironmentVariable("RAPPORT_UI_SCREENSHOTS") is { Length: > 0 } f ? f : Path.Combine(Path.GetTempPath(), "rapport-letter-shots");
        Directory.CreateDirectory(folder);
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        await using var scope = app.Services.CreateAsyncScope();
        var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, CancellationToken.None);
        var organization = await scope.ServiceProvider.GetRequiredService<OrganizationService>().FindBySlugAsync(seeded.OrganizationSlug);
        var (house, due) = await app.InOrganizationAsync(organization!.Id, async sp =>
        {
            var houseId = (await sp.GetRequiredService<SourceQueries>().ResolveAsync(Formats.NpiWithCheckDigit(DemoPlan.HouseNpiDigits)))!.Value;
            return (houseId, await sp.GetRequiredService<LetterService>().DueAsync(new LetterDueQuery { SourceId = houseId }));
        });
        var discharge = due.First(d => d.Kind == LetterKind.Discharge);
        await app.InOrganizationAsync(organization.Id, async sp =>
        {
            var letters = sp.GetRequiredService<LetterService>();
            await letters.SaveNotesAsync(discharge.ReferralId, LetterKind.Discharge,
                "- Continue the home exercise program three times a week.\n- Return to cycling; avoid deep squats for six more weeks.\n- Re-evaluate if swelling returns.");
            await File.WriteAllBytesAsync(Path.Combine(folder, "discharge-letter.pdf"), (await letters.PdfAsync(discharge.ReferralId, LetterKind.Discharge)).Pdf.Bytes);
            await File.WriteAllBytesAsync(Path.Combine(folder, "fax-cover.pdf"), (await letters.FaxCoverAsync(discharge.ReferralId, LetterKind.Discharge)).Pdf.Bytes);
            return 0;
        });
        var pages = new[]
        {
            "/Letters", $"/Sources/{house}", $"/Episodes/{discharge.ReferralId}", $"/Episodes/{discharge.ReferralId}/Letters/discharge",
            $"/Episodes/{discharge.ReferralId}/Letters/progress", "/Settings/Letters", "/Settings/Templates/letter-discharge", "/Settings/Clinics",
        };
        foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            await new RapportPages(page, app.BaseAddress).SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
            foreach (var url in pages)
            {
                await page.GotoAsync(new Uri(app.BaseAddress, url).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
                var name = url.Trim('/').Replace('/', '-');
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{width}-{name}.png"), FullPage = true });
            }
            // The sections themselves, readable at full size.
            foreach (var (url, selector, name) in new[]
            {
                ($"/Sources/{house}", "[data-testid=source-letters]", "source-letters"), ($"/Episodes/{discharge.ReferralId}", "[data-testid=episode-letters]", "episode-letters"),
                ("/Letters", "main", "letters-top"),
            })
            {
                await page.GotoAsync(new Uri(app.BaseAddress, url).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
                await page.Locator(selector).First.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, $"{width}-section-{name}.png") });
            }
        }
    }
}
