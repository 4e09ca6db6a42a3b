using System.Net;
using System.Text;
using Rapport.Documents;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Letters.LetterTestKit;

namespace Rapport.Tests.Security;

/// <summary>
/// Issue 12: the XSS corpus through every free-text field the API takes (sources, patients, referrals,
/// touches, refer-backs, letter notes, NPS comments) and the Markdown a practice edits (letter templates,
/// the report card intro), then every page of the app opened by an admin: no page may carry executable
/// markup (script elements, handler attributes, script-scheme links), PDFs carry no script or link
/// actions, and CSV cells never start a spreadsheet formula. The corpus must show as text somewhere,
/// or the test proves nothing.
/// </summary>
public sealed class XssCorpusTests
{
    private static readonly string[] Payloads =
    [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "'><svg onload=alert(1)>",
        "<javascript:alert(1)>",
        "[x](javascript:alert(1))",
        "=HYPERLINK(\"https://evil.test\")",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<iframe src=\"data:text/html,<script>alert(1)</script>\">",
    ];

    /// <summary>Field n gets a marker and a payload (under 80 characters, within every free-text column).</summary>
    private static string Hostile(int n)
    {
        var payload = Payloads[n % Payloads.Length];
        return payload.StartsWith('=') ? payload : $"F{n}{payload}";
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task No_page_pdf_or_export_carries_executable_markup_from_any_free_text_field(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var samples = await RouteMatrixTests.SeedAsync(app, org, Hostile);
        var markdown = string.Join("\n\n", MarkupAndHeadersTests.Corpus);
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var templates = sp.GetRequiredService<DocumentTemplates>();
            await templates.SaveAsync(Rapport.Letters.LetterTemplates.TemplateKey(Rapport.Letters.LetterKind.Discharge), markdown + "\n\n{{patient.name}} {{notes}}");
            await templates.SaveAsync(Rapport.ReportCards.ReportCardTemplates.IntroKind, markdown);
            return 0;
        });
        using var api = app.ApiClient(org.ApiKey);
        var (npsStatus, npsBody, _) = await api.SendAsync(HttpMethod.Post, "/api/v1/nps/responses", new[]
        {
            new { externalId = "r-1", respondedOn = Iso(Today.AddDays(-1)), score = 3, comment = Hostile(1) + Hostile(2), shareWithPhysician = true },
        });
        Assert.True(npsStatus == HttpStatusCode.OK, npsBody.ToString());

        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        var shownAsText = new List<string>();
        var checkedFiles = 0;
        foreach (var route in RouteMatrixTests.GetRoutes(app, samples))
        {
            var isApi = route.StartsWith("/api/", StringComparison.Ordinal);
            using var response = isApi ? await api.GetAsync(route, TestContext.Current.CancellationToken) : await admin.GetAsync(route, TestContext.Current.CancellationToken);
            Assert.True((int)response.StatusCode < 500, $"GET {route} → {(int)response.StatusCode}");
            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            if (type == "text/html")
            {
                var html = Encoding.UTF8.GetString(bytes);
                MarkupAndHeadersTests.AssertNoExecutableMarkup(html, route);
                if (html.Contains("onerror=alert(1)", StringComparison.Ordinal))
                {
                    shownAsText.Add(route);
                }
            }
            else if (type == "application/pdf")
            {
                checkedFiles++;
                AssertPdfHasNoActions(bytes, route);
                Assert.Contains("alert(1)", PdfText(bytes), StringComparison.Ordinal);
            }
            else if (type is "text/csv" or "text/calendar")
            {
                checkedFiles++;
                AssertNoFormulaCells(Encoding.UTF8.GetString(bytes), route, csv: type == "text/csv");
            }
        }
        Assert.True(checkedFiles >= 3, $"only {checkedFiles} PDFs and exports checked");
        // The corpus reached the pages as text: the source, its patient, the episode, the touch and the letter.
        foreach (var page in new[] { $"/Sources/{samples["sources/id"]}", $"/Patients/{samples["patients/id"]}", $"/Episodes/{samples["episodes/id"]}",
                     $"/Episodes/{samples["episodes/id"]}/Letters/discharge" })
        {
            Assert.Contains(page, shownAsText);
        }
    }

    private static void AssertPdfHasNoActions(byte[] pdf, string route)
    {
        var raw = Encoding.Latin1.GetString(pdf);
        foreach (var action in new[] { "/JavaScript", "/JS ", "/JS(", "/Launch", "/SubmitForm", "/URI" })
        {
            Assert.False(raw.Contains(action, StringComparison.Ordinal), $"{route} has a PDF {action} action");
        }
    }

    /// <summary>CSV injection (OWASP): a cell that opens with = + - @ runs as a formula in a spreadsheet.</summary>
    private static void AssertNoFormulaCells(string text, string route, bool csv)
    {
        if (!csv)
        {
            return; // a calendar file is not opened by a spreadsheet; its text is plain
        }
        foreach (var cell in text.Split('\n').SelectMany(line => line.Split(',')).Select(c => c.Trim().Trim('"')))
        {
            Assert.False(cell.StartsWith("=HYPERLINK", StringComparison.Ordinal), $"{route}: a cell starts a formula: {cell}");
        }
    }
}
