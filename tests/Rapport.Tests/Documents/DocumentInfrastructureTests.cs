using Rapport.Common;
using Rapport.Documents;
using UglyToad.PdfPig;

namespace Rapport.Tests.Documents;

public sealed class DocumentInfrastructureTests
{
    [Fact]
    public void Markdown_renders_into_the_pdf_with_embedded_fonts_and_page_numbers()
    {
        var markdown = """
            # Dear {{physician.name}}

            Your patients did **remarkably well** this year, *with* care.

            - first point
            - second point

            1. numbered one
            2. numbered two

            ## Details

            <script>alert(1)</script>
            """;
        var filled = TemplateText.Fill(markdown, new Dictionary<string, string?> { ["physician.name"] = "Dr. Ann *Bold* Lee" });
        byte[] pdf;
        using (var writer = new PdfPageWriter(new PageSetup { Paper = PaperSize.A4, FooterText = "Riverside Physical Therapy", Title = "Test" }))
        {
            SafeMarkdown.WriteTo(writer, filled);
            writer.Table([new TableColumn("Figure", 3), new TableColumn("Value", 1, ColumnAlign.Right)],
                [new TableRow(["Referrals", "42"]), new TableRow(["Share evaluated", "88%"], Emphasis: true)]);
            writer.Chart(Charts.Lines("Mean score", "Week", "Score", [new ChartSeries("Yours", [0, 1, 2], [40, 50, 60], Charts.Primary)]));
            writer.PageBreak();
            writer.Paragraph("Second page text.");
            pdf = writer.ToPdf();
        }

        if (Environment.GetEnvironmentVariable("RAPPORT_KEEP_PDF") is { Length: > 0 } keep)
        {
            File.WriteAllBytes(keep, pdf);
        }
        using var document = PdfDocument.Open(pdf);
        Assert.Equal(2, document.NumberOfPages);
        var first = document.GetPage(1);
        var text = string.Join(" ", first.GetWords().Select(w => w.Text));
        Assert.Contains("Dear Dr. Ann *Bold* Lee", text, StringComparison.Ordinal);
        Assert.Contains("remarkably well", text, StringComparison.Ordinal);
        Assert.Contains("first point", text, StringComparison.Ordinal);
        Assert.Contains("1. numbered one", text, StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script>", text, StringComparison.Ordinal);
        Assert.Contains("Share evaluated 88%", text, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 2", text, StringComparison.Ordinal);
        Assert.Contains("Riverside Physical Therapy", text, StringComparison.Ordinal);
        Assert.Contains("Page 2 of 2", string.Join(" ", document.GetPage(2).GetWords().Select(w => w.Text)), StringComparison.Ordinal);
        // Bold and italic runs use the embedded DejaVu faces.
        Assert.Contains(first.Letters, l => l.Value == "r" && (l.FontName ?? "").EndsWith("DejaVu Sans,Bold", StringComparison.Ordinal));
        Assert.Contains(first.Letters, l => l.Value == "w" && (l.FontName ?? "").Contains("Italic", StringComparison.Ordinal));
        Assert.All(first.Letters, l => Assert.Contains("DejaVu Sans", l.FontName ?? "", StringComparison.Ordinal));
        Assert.Single(first.GetImages());
    }

    [Fact]
    public void Html_rendering_shows_raw_html_as_text_and_drops_unsafe_links()
    {
        var html = SafeMarkdown.ToHtml("Hello <script>alert(1)</script> [x](javascript:alert(2)) ![logo](https://elsewhere.test/a.png) **bold**");

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_placeholder_is_an_error_naming_it_and_its_line()
    {
        var error = Assert.Throws<ValidationException>(() =>
            TemplateText.Validate("Dear {{physician.name}},\n\nYour {{physcian.name}} and {{ bad name }} and {{open", ["physician.name"]));

        var problems = error.Errors["markdown"];
        Assert.Contains(problems, p => p.Contains("line 3: unknown placeholder {{physcian.name}}", StringComparison.Ordinal)
            && p.Contains("{{physician.name}}", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'{{ bad name }}' is not a placeholder name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("line 3: '{{' is not closed", StringComparison.Ordinal));
        Assert.Empty(TemplateText.Problems("Dear {{ physician.name }}", ["physician.name"]));
    }

    [Fact]
    public void Placeholder_values_are_text_not_markdown()
    {
        var html = SafeMarkdown.ToHtml(TemplateText.Fill("Hi {{name}}", new Dictionary<string, string?> { ["name"] = "**x** <b>y</b> [z](javascript:1)" }));

        Assert.DoesNotContain("<strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href", html, StringComparison.Ordinal);
        Assert.Contains("**x**", html, StringComparison.Ordinal);
    }
}
