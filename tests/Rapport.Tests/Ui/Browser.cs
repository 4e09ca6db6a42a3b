using Microsoft.Playwright;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

/// <summary>Starts the system Chromium for browser tests (no downloads: the executable must already be installed).</summary>
internal static class Browser
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("RAPPORT_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            if (TestDatabases.InCi)
            {
                throw new InvalidOperationException($"CI=true but Chromium is missing at {ExecutablePath}; set RAPPORT_TEST_CHROMIUM.");
            }
            Assert.Skip($"Chromium not found at {ExecutablePath}; set RAPPORT_TEST_CHROMIUM to run browser tests.");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }
}
