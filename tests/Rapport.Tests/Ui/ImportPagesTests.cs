using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rapport.Common;
using Rapport.Data;
using Rapport.Imports;
using Rapport.Sources;
using Rapport.Tests.Imports;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

/// <summary>Issue 13, item 2, done when: an office manager imports an EMR's XLSX export with its own headers, in the browser.</summary>
public sealed class ImportPagesTests
{
    private static readonly string House = Formats.NpiWithCheckDigit("123456789");
    private static readonly string[] Headers = ["Case #", "Referring NPI", "Chart #", "First Name", "Last Name", "DOB", "Rec'd"];

    [Fact]
    public async Task An_office_manager_maps_an_xlsx_sees_the_bad_row_fixes_it_imports_and_undoes()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "House", Npi = House }));
        var pages = new RapportPages(await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } }), app.BaseAddress);
        var page = pages.Page;
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await pages.SignInAsync(org.AdminEmail, RapportApp.Password);

        // Upload: the columns are guessed from the headers, all but "Rec'd".
        await page.GotoAsync(new Uri(app.BaseAddress, "/Imports").ToString());
        await page.SelectOptionAsync("#Kind", "Referrals");
        await page.SetInputFilesAsync("#file", new FilePayload
        {
            Name = "webpt.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Buffer = ImportMappingTests.Workbook(Headers,
                ["E-1", House, "C-1", "Ada", "Lovelace", new DateTime(1958, 12, 10), new DateTime(2026, 3, 4)],
                ["E-2", House, "C-2", "Alan", "Turing", new DateTime(1912, 6, 23), "soon"]),
        });
        await page.ClickAsync("#upload button[type=submit]");
        await page.WaitForURLAsync("**/Imports/Map?id=*");
        Assert.Equal("external_id", await page.InputValueAsync("#target-0"));
        Assert.Equal("patient_external_id", await page.InputValueAsync("#target-2"));
        Assert.Equal("patient_birth_date", await page.InputValueAsync("#target-5"));
        Assert.Equal("", await page.InputValueAsync("#target-6"));
        Assert.Contains("received_date: This column is required in the header.", await page.InnerTextAsync("#import-errors"), StringComparison.Ordinal);

        // Map the last column by hand and save the mapping: the dry run now names the bad row.
        await page.SelectOptionAsync("#target-6", "received_date");
        await page.FillAsync("#SaveAs", "WebPT referrals");
        await page.ClickAsync("button:has-text('Save mapping')");
        await page.WaitForSelectorAsync("#import-errors");
        Assert.Equal("webpt.xlsx:3: Rec'd: 'soon' is not a date (use yyyy-MM-dd or MM/dd/yyyy).", (await page.InnerTextAsync("#import-errors")).Trim());

        // The fixed file, uploaded again with the saved mapping, checks clean and imports in the background.
        await page.GotoAsync(new Uri(app.BaseAddress, "/Imports").ToString());
        await page.SelectOptionAsync("#Kind", "Referrals");
        await page.FillAsync("#MappingName", "WebPT referrals");
        await page.SetInputFilesAsync("#file", new FilePayload
        {
            Name = "webpt.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Buffer = ImportMappingTests.Workbook(Headers,
                ["E-1", House, "C-1", "Ada", "Lovelace", new DateTime(1958, 12, 10), new DateTime(2026, 3, 4)],
                ["E-2", House, "C-2", "Alan", "Turing", new DateTime(1912, 6, 23), new DateTime(2026, 3, 5)]),
        });
        await page.ClickAsync("#upload button[type=submit]");
        await page.WaitForURLAsync("**/Imports/Map?id=*");
        Assert.Equal("received_date", await page.InputValueAsync("#target-6"));
        Assert.Equal(0, await page.Locator("#import-errors").CountAsync());
        Assert.Contains("2 added", await page.InnerTextAsync("#dry-run-summary"), StringComparison.Ordinal);
        await page.ClickAsync("#start-import");
        await page.WaitForURLAsync("**/Imports/Run?id=*");
        await page.WaitForSelectorAsync("#import-outcome", new PageWaitForSelectorOptions { Timeout = 30_000 });
        Assert.Contains("Imported: 2 added, 0 updated, 0 unchanged, 0 skipped, 2 new patient(s).", await page.InnerTextAsync("#import-outcome"), StringComparison.Ordinal);
        Assert.Equal(2, await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Referrals.CountAsync()));

        // In the history with its counts; undo removes what it added.
        await page.GotoAsync(new Uri(app.BaseAddress, "/Imports").ToString());
        var run = page.Locator("#import-history article[data-status='Done']");
        Assert.Equal("2", (await run.Locator("[data-count='added']").InnerTextAsync()).Trim());
        Assert.Equal("2", (await run.Locator("[data-count='patients']").InnerTextAsync()).Trim());
        await run.Locator("button:has-text('Undo')").ClickAsync();
        await page.WaitForSelectorAsync("#import-history article[data-status='Undone']");
        Assert.Contains("4 row(s) removed", await page.InnerTextAsync("p.notice"), StringComparison.Ordinal);
        Assert.Equal((0, 0), await app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            return (await db.Referrals.CountAsync(), await db.Patients.CountAsync());
        }));
    }
}
