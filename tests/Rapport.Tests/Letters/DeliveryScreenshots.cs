using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Common;
using Rapport.Demo;
using Rapport.Email;
using Rapport.Letters;
using Rapport.Organizations;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;

namespace Rapport.Tests.Letters;

/// <summary>
/// Not a check: saves screenshots of letter e-mails that are queued and failed (letter, episode and
/// source pages, the outbox page), and of the pages without a mail server, for a person to look at.
/// Run explicitly: dotnet test --filter "FullyQualifiedName~DeliveryScreenshots" -- xUnit.Explicit=only
/// </summary>
public sealed class DeliveryScreenshots
{
    [Fact(Explicit = true)]
    public async Task Save_screenshots_of_delivery_states()
    {
        var folder = Environment.GetEnvironmentVariable("RAPPORT_UI_SCREENSHOTS") is { Length: > 0 } f ? f : Path.Combine(Path.GetTempPath(), "rapport-delivery-shots");
        Directory.CreateDirectory(folder);
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var smtp = SmtpTestServer.OnFreePort();
        foreach (var mailServer in new[] { true, false })
        {
            await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite,
                b => b.Configuration.AddInMemoryCollection(mailServer ? smtp.AppSettings(sendQueued: false) : []));
            await using var scope = app.Services.CreateAsyncScope();
            var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, CancellationToken.None);
            var organization = await scope.ServiceProvider.GetRequiredService<OrganizationService>().FindBySlugAsync(seeded.OrganizationSlug);
            var (house, due) = await app.InOrganizationAsync(organization!.Id, async sp =>
            {
                var houseId = (await sp.GetRequiredService<SourceQueries>().ResolveAsync(Formats.NpiWithCheckDigit(DemoPlan.HouseNpiDigits)))!.Value;
                return (houseId, await sp.GetRequiredService<LetterService>().DueAsync(new LetterDueQuery { SourceId = houseId }));
            });
            var failed = due.First(d => d.Kind == LetterKind.Discharge && d.SourceHasEmail);
            if (mailServer)
            {
                await app.InOrganizationAsync(organization.Id, async sp =>
                {
                    var letters = sp.GetRequiredService<LetterService>();
                    await letters.SendAsync(failed.ReferralId, failed.Kind, LetterDelivery.Email);
                    await sp.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();
                    var queued = due.First(d => d.ReferralId != failed.ReferralId);
                    await letters.SendAsync(queued.ReferralId, queued.Kind, LetterDelivery.Email);
                    return 0;
                });
            }
            var suffix = mailServer ? "down" : "none";
            var pages = new[] { $"/Sources/{house}", $"/Episodes/{failed.ReferralId}", $"/Episodes/{failed.ReferralId}/Letters/discharge", "/Settings/Outbox", "/Letters" };
            foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
            {
                await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
                var page = await context.NewPageAsync();
                await new RapportPages(page, app.BaseAddress).SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.AdminPassword);
                foreach (var url in pages)
                {
                    await page.GotoAsync(new Uri(app.BaseAddress, url).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
                    var name = url.Trim('/').Replace('/', '-');
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{suffix}-{width}-{name}.png"), FullPage = width > 400 });
                }
                foreach (var (url, selector, name) in new[]
                {
                    ($"/Sources/{house}", "[data-testid=source-letters]", "source-letters"), ($"/Episodes/{failed.ReferralId}", "[data-testid=episode-letters]", "episode-letters"),
                    ($"/Episodes/{failed.ReferralId}/Letters/discharge", "main", "letter-top"),
                })
                {
                    await page.GotoAsync(new Uri(app.BaseAddress, url).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
                    await page.Locator(selector).First.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, $"{suffix}-{width}-section-{name}.png") });
                }
            }
        }
    }
}
