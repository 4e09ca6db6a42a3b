using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Imports;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Health;

/// <summary>Touch cost: recorded through the API and the import, summed per year on the source page, warned about near the Stark limit.</summary>
public sealed class TouchSpendTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Gifts_reaching_80_percent_of_the_yearly_limit_warn_on_the_source_page(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Spend PT");
        var npi = Formats.NpiWithCheckDigit("123450001");
        var sourceId = await app.InOrganizationAsync(org.Id, async sp =>
            (await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { Npi = npi, FirstName = "Lisa", LastName = "Cuddy", Credential = "MD" }, ct)).Id);
        var today = TestClock.Today;
        using var api = app.ApiClient(org.ApiKey);

        var lunch = await api.PostAsJsonAsync("/api/v1/touchpoints", new { sourceId, occurredOn = today, method = "Lunch", purpose = "Lunch-and-learn", cost = 250.00m }, ct);
        Assert.Equal(HttpStatusCode.Created, lunch.StatusCode);
        Assert.Equal(250.00m, (await lunch.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("cost").GetDecimal());
        var bad = await api.PostAsJsonAsync("/api/v1/touchpoints", new { sourceId, occurredOn = today, method = "Lunch", cost = -5m }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("cost", (await bad.Content.ReadAsStringAsync(ct)), StringComparison.Ordinal);

        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var page = new HtmlParser().ParseDocument(await browser.GetStringAsync($"/Sources/{sourceId}", ct));
        Assert.Null(page.QuerySelector(".spend-warning"));
        Assert.Contains("$250.00", page.QuerySelector("#spend-by-year tbody tr")!.TextContent, StringComparison.Ordinal);

        // A gift basket from the import brings the year to $430.50: over 80% of $519.
        var result = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>().ImportAsync(ImportKind.Touchpoints,
            new StringReader($"source_npi,date,method,purpose,cost\n{npi},{today:yyyy-MM-dd},Event,Gift basket,$180.50\n"), "touchpoints.csv", new ImportOptions(), null, ct));
        Assert.Empty(result.Errors);
        var stored = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Touchpoints.Where(t => t.Purpose == "Gift basket").Select(t => t.Cost).SingleAsync(ct));
        Assert.Equal(180.50m, stored);
        page = new HtmlParser().ParseDocument(await browser.GetStringAsync($"/Sources/{sourceId}", ct));
        Assert.Contains("$430.50", page.QuerySelector(".spend-warning")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("$519.00", page.QuerySelector(".spend-warning")!.TextContent, StringComparison.Ordinal);
    }
}
