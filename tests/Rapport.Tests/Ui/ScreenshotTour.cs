using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Common;
using Rapport.Patients;
using Rapport.ReferBacks;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Ui;

/// <summary>
/// Not a check: saves screenshots of the main pages (wide and phone) for a person to look at.
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
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var (sourceId, patientId, referralId) = await SeedAsync(app, org);

        var pages = new[]
        {
            "/", "/Sources", $"/Sources/{sourceId}", "/Sources/New", $"/Sources/{sourceId}/Edit", "/Touchpoints/New?sourceId=" + sourceId,
            "/Referrals/New", $"/Referrals/{referralId}/Edit", "/Patients", $"/Patients/{patientId}", "/ReferBacks/New?sourceId=" + sourceId,
            "/Settings/Clinics", "/Settings/Users", "/Settings/ApiKeys",
        };
        foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(app.BaseAddress, "/Account/Login").ToString());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{width}-login.png"), FullPage = true });
            await new RapportPages(page, app.BaseAddress).SignInAsync(org.AdminEmail, RapportApp.Password);
            foreach (var url in pages)
            {
                await page.GotoAsync(new Uri(app.BaseAddress, url).ToString());
                var name = url.Trim('/').Replace('/', '-').Replace('?', '-').Replace('=', '-');
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{width}-{(name.Length == 0 ? "home" : name)}.png"), FullPage = true });
            }
            // A form with errors, as a user would see it.
            await page.GotoAsync(new Uri(app.BaseAddress, "/Sources/New").ToString());
            await page.FillAsync("#Input_LastName", "Wilson");
            await page.FillAsync("#Input_Npi", "1234567890");
            await page.FillAsync("#Input_Email", "not-an-email");
            await page.ClickAsync("main form button[type='submit']");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{width}-source-errors.png"), FullPage = true });
        }
    }

    private static Task<(int, int, int)> SeedAsync(RapportApp app, TestOrganization org) => app.InOrganizationAsync(org.Id, async sp =>
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var sources = sp.GetRequiredService<SourceService>();
        var patients = sp.GetRequiredService<PatientService>();
        var referrals = sp.GetRequiredService<ReferralService>();
        var touches = sp.GetRequiredService<TouchpointService>();
        var random = new Random(7);
        var ids = new List<int>();
        string[] names = ["House", "Cuddy", "Wilson", "Foreman", "Chase", "Cameron", "Taub", "Kutner"];
        for (var i = 0; i < names.Length; i++)
        {
            var s = await sources.CreateAsync(new SourceInput
            {
                FirstName = "Dr", LastName = names[i], Credential = "MD", Npi = Formats.NpiWithCheckDigit($"1{i:D8}"),
                TaxonomyCode = SpecialtyCatalog.FirstOf(SpecialtyCatalog.Categories[i % SpecialtyCatalog.Categories.Count]).TaxonomyCode,
                PracticeName = i % 2 == 0 ? "Princeton Orthopaedics" : "Plainsboro Family Medicine", Phone = "609-555-01" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture),
                Status = i == 7 ? SourceStatus.Prospect : SourceStatus.Active,
            });
            ids.Add(s.Id);
            if (i < 6)
            {
                await touches.CreateAsync(new TouchpointInput { SourceId = s.Id, OccurredOn = today.AddDays(-random.Next(0, 120)), Method = (TouchMethod)random.Next(0, 5), Purpose = "Check-in" });
            }
        }
        var patientId = 0;
        var referralId = 0;
        for (var n = 0; n < 60; n++)
        {
            var p = await patients.CreateAsync(new PatientInput { ExternalId = $"MRN{n:D4}", FirstName = $"Pat{n}", LastName = $"Lastname{n % 9}", BirthDate = new DateOnly(1950 + n % 40, 1 + n % 12, 1) });
            var received = today.AddDays(-random.Next(0, 700));
            var evaluated = n % 3 == 0 ? received.AddDays(5) : (DateOnly?)null;
            if (evaluated > today) evaluated = null;
            var r = await referrals.CreateAsync(new ReferralInput
            {
                PatientId = p.Id, SourceId = ids[n % 4 == 0 ? 0 : random.Next(0, 6)], ClinicId = org.ClinicId, ReceivedOn = received, EvaluatedOn = evaluated,
                BodyRegion = ReferralService.BodyRegions[n % ReferralService.BodyRegions.Length], PayerCategory = PayerCategory.Medicare,
            });
            patientId = p.Id;
            referralId = r.Id;
        }
        await sp.GetRequiredService<ReferBackService>().CreateAsync(new ReferBackInput { ToSourceId = ids[0], PatientId = patientId, SentOn = today.AddDays(-12), Reason = "Follow-up" });
        return (ids[0], patientId, referralId);
    });
}
