using System.Net;
using AngleSharp.Html.Parser;
using Rapport.Documents;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Letters.LetterTestKit;

namespace Rapport.Tests.Security;

/// <summary>
/// Issue 12, items 1 and 6 (in part): Markdown a practice types can never become a live script link,
/// and every response carries a Content-Security-Policy that would stop one anyway.
/// </summary>
public sealed class MarkupAndHeadersTests
{
    /// <summary>Every Markdown link form with a script-running or foreign scheme, plain and disguised.</summary>
    public static readonly string[] Corpus =
    [
        "<javascript:alert(document.domain)>",
        "<JaVaScRiPt:alert(1)>",
        "<vbscript:msgbox(1)>",
        "<data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
        "[click](javascript:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](java&#115;cript:alert(1))",
        "[click](<javascript:alert(1)>)",
        "[click][ref]\n\n[ref]: javascript:alert(1)",
        "![x](javascript:alert(1))",
        "[click](data:text/html,<script>alert(1)</script>)",
        "<script>alert(1)</script>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<img src=x onerror=alert(1)>",
    ];

    /// <summary>Link schemes a page may carry; otpauth is the app's own two-step set-up link (never from typed text).</summary>
    private static readonly string[] AllowedHrefStarts = ["https://", "http://", "mailto:", "tel:", "/", "#", "?", "otpauth://totp/Rapport:"];

    public static TheoryData<string> CorpusData() => new(Corpus);

    [Theory]
    [MemberData(nameof(CorpusData))]
    public void Markdown_renders_no_link_outside_the_allow_list_and_no_markup(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);
        AssertNoExecutableMarkup(html, markdown);
    }

    [Fact]
    public void Safe_links_and_autolinks_stay_links()
    {
        var html = SafeMarkdown.ToHtml("<https://example.test/a> [call](tel:+19515550110) <front@desk.test> [site](http://example.test)");
        var links = new HtmlParser().ParseDocument(html).QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["https://example.test/a", "tel:+19515550110", "mailto:front@desk.test", "http://example.test"], links);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Letter_notes_from_the_api_render_no_script_link_on_the_letter_page(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var api = app.ApiClient(org.ApiKey);
        var source = await CreateSourceAsync(api, "Cuddy", "lisa.cuddy@plainsboro.test");
        var patient = await CreatePatientAsync(api, "MRN-1", "Rosa", "Whitfield", "1957-03-14");
        var referral = await CreateEpisodeAsync(api, org.ClinicId, source, patient, Today.AddDays(-40), Today.AddDays(-2), visits: 12, withForms: false);
        var notes = string.Join("\n\n", Corpus);
        var (status, body, _) = await api.SendAsync(HttpMethod.Put, $"/api/v1/referrals/{referral}/letters/discharge/notes", new { notes });
        Assert.True(status == HttpStatusCode.NoContent, body.ToString());

        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        using var page = await browser.GetAsync($"/Episodes/{referral}/Letters/discharge", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("javascript:alert(document.domain)", html, StringComparison.Ordinal); // shown as text
        AssertNoExecutableMarkup(html, notes);
        Assert.Equal(SecurityHeaders(), Headers(page));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Every_kind_of_response_carries_the_security_headers(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using var api = app.ApiClient(org.ApiKey);
        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        using var anonymous = app.AnonymousClient();
        foreach (var (client, path) in new[]
        {
            (anonymous, "/Account/Login"), (browser, "/"), (browser, "/Sources/New"), (browser, "/Sources/999999"), (browser, "/css/site.css"),
            (api, "/api/v1/sources"), (api, "/api/v1/sources/999999"), (anonymous, "/api/v1/sources"), (anonymous, "/healthz"),
            (api, "/api/v1/patients"), (browser, "/Patients"),
        })
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True(SecurityHeaders().SequenceEqual(Headers(response)), $"{path} ({(int)response.StatusCode}) carries {string.Join("; ", Headers(response))}");
            // Patient data never stays in a browser's or proxy's cache; only the app's own assets may.
            // (Pages with a form also get antiforgery's "no-cache": no-store is what counts.)
            var cacheControl = response.Headers.CacheControl;
            if (path.StartsWith("/css/", StringComparison.Ordinal)) Assert.Equal("no-cache", cacheControl?.ToString());
            else Assert.True(cacheControl?.NoStore == true, $"{path}: Cache-Control {cacheControl}");
            Assert.False(response.Headers.Contains("Server"), $"{path} names its server: {string.Join(", ", response.Headers.TryGetValues("Server", out var server) ? server : [])}");
        }
    }

    private static string[] SecurityHeaders() =>
    [
        $"Content-Security-Policy: {Rapport.Web.SecurityHeadersMiddleware.ContentSecurityPolicy}",
        "Referrer-Policy: same-origin",
        "X-Content-Type-Options: nosniff",
        "X-Frame-Options: DENY",
    ];

    private static readonly string[] HeaderNames = ["Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "X-Frame-Options"];

    private static string[] Headers(HttpResponseMessage response) =>
    [
        .. HeaderNames.Select(name => $"{name}: {string.Join(", ", response.Headers.TryGetValues(name, out var values) ? values : [])}"),
    ];

    internal static void AssertNoExecutableMarkup(string html, string input)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var element in document.All)
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"<{element.LocalName} {attribute.Name}> from {input}");
                if (attribute.Name is "href" or "src" or "action" or "formaction")
                {
                    var value = attribute.Value.Trim();
                    Assert.True(value.Length == 0 || AllowedHrefStarts.Any(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase)),
                        $"<{element.LocalName} {attribute.Name}=\"{value}\"> from {input}");
                }
            }
        }
        foreach (var script in document.QuerySelectorAll("script"))
        {
            Assert.True(script.HasAttribute("src") || script.GetAttribute("type") == "application/json", $"inline script from {input}: {script.OuterHtml}");
        }
    }
}
