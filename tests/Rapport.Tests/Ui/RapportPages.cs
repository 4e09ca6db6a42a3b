using Microsoft.Playwright;

namespace Rapport.Tests.Ui;

/// <summary>Page object: the selectors of the pages the browser journey uses, in one place.</summary>
internal sealed class RapportPages
{
    private readonly IPage page;
    private readonly Uri baseAddress;

    public RapportPages(IPage page, Uri baseAddress)
    {
        this.page = page;
        this.baseAddress = baseAddress;
        // CI machines have two cores shared with the rest of the suite; a slow page is not a failure.
        page.SetDefaultTimeout(90_000);
        page.SetDefaultNavigationTimeout(90_000);
    }

    public IPage Page => page;

    public async Task SignInAsync(string email, string password)
    {
        await page.GotoAsync(new Uri(baseAddress, "/Account/Login").ToString());
        await page.FillAsync("input[name='Email']", email);
        await page.FillAsync("input[name='Password']", password);
        await page.ClickAsync("form button[type='submit']");
        await page.WaitForURLAsync(new Uri(baseAddress, "/").ToString());
    }

    /// <summary>Adds a source through the form and returns its id (from the page it lands on).</summary>
    public async Task<int> AddSourceAsync(string firstName, string lastName, string npi)
    {
        await page.GotoAsync(new Uri(baseAddress, "/Sources/New").ToString());
        await page.FillAsync("#Input_FirstName", firstName);
        await page.FillAsync("#Input_LastName", lastName);
        await page.FillAsync("#Input_Npi", npi);
        await page.ClickAsync("main form button[type='submit']");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/Sources/\d+$"));
        return int.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task LogTouchFromSourcePageAsync(int sourceId, string method)
    {
        await page.GotoAsync(new Uri(baseAddress, $"/Sources/{sourceId}").ToString());
        await page.ClickAsync($"main a[href='/Touchpoints/New?sourceId={sourceId}']");
        await page.SelectOptionAsync("#Input_Method", method);
        await page.ClickAsync("#touch-form button[type='submit']");
        await page.WaitForURLAsync(new Uri(baseAddress, $"/Sources/{sourceId}").ToString());
    }

    /// <summary>Opens /Alerts and follows "Log touch" on the source's row, which has a touch-overdue alert.</summary>
    public async Task LogTouchFromAlertAsync(int sourceId, string method)
    {
        await page.GotoAsync(new Uri(baseAddress, "/Alerts").ToString());
        await page.ClickAsync($"tr.alert[data-kinds~='touch_overdue'][data-source-id='{sourceId}'] a.log-touch");
        await page.SelectOptionAsync("#Input_Method", method);
        await page.ClickAsync("#touch-form button[type='submit']");
        await page.WaitForURLAsync(new Uri(baseAddress, $"/Sources/{sourceId}").ToString());
    }

    /// <summary>The kinds of the source's open alerts on /Alerts.</summary>
    public async Task<IReadOnlyList<string>> AlertKindsAsync(int sourceId)
    {
        await page.GotoAsync(new Uri(baseAddress, "/Alerts").ToString());
        // One row per source, naming all its kinds.
        var rows = page.Locator($"tr.alert[data-source-id='{sourceId}']");
        var kinds = new List<string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            kinds.AddRange((await rows.Nth(i).GetAttributeAsync("data-kinds") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return kinds;
    }

    /// <summary>Types part of a name in the touch form's source field and picks the first suggestion.</summary>
    public async Task<string> PickSourceByTypingAsync(string partialName)
    {
        await page.GotoAsync(new Uri(baseAddress, "/Touchpoints/New").ToString());
        var suggestion = page.Locator("#SourceText-options option").First;
        // Type again if no suggestion arrives: on a loaded CI machine the first keystrokes can land
        // before the page's script listens, and a real user would simply keep typing.
        for (var attempt = 1; ; attempt++)
        {
            await page.FillAsync("#SourceText", "");
            await page.Locator("#SourceText").PressSequentiallyAsync(partialName, new LocatorPressSequentiallyOptions { Delay = 50 });
            try
            {
                await suggestion.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 8000 });
                break;
            }
            catch (TimeoutException) when (attempt < 4)
            {
            }
        }
        await page.FillAsync("#SourceText", await suggestion.GetAttributeAsync("value") ?? "");
        return await page.InputValueAsync("#Input_SourceId");
    }

    public async Task<ILocator> SourceRowAsync(int sourceId)
    {
        await page.GotoAsync(new Uri(baseAddress, "/Sources").ToString());
        return page.Locator($"tr[data-source-id='{sourceId}']");
    }

    public static Task<string> CellAsync(ILocator row, string column) => row.Locator($"td[data-col='{column}']").InnerTextAsync();
}
