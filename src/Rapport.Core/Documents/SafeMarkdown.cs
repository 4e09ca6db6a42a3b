using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Rapport.Documents;

/// <summary>
/// Markdown that a practice edits (letter texts, the report card intro), rendered safely: raw HTML
/// is turned off, so <c>&lt;script&gt;</c> shows as text; links keep only http(s), mailto and tel
/// addresses (plain and autolinks), and images become their alt text (a document never loads anything from elsewhere).
/// The PDF side renders headings, paragraphs, bold/italic, bullet and numbered lists, quotes and rules.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    public static MarkdownDocument Parse(string markdown)
    {
        var document = Markdown.Parse(markdown ?? "", Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage || !IsSafeUrl(link.Url))
            {
                link.IsImage = false;
                link.Url = "";
            }
        }
        // An autolink (<https://…>, <someone@example.com>) is a link too: one whose scheme is not on
        // the allow-list (<javascript:…>, <vbscript:…>, <data:…>) is kept only as its text.
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!autolink.IsEmail && !IsSafeUrl(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }
        return document;
    }

    public static string ToHtml(string markdown) => Parse(markdown).ToHtml(Pipeline);

    /// <summary>Writes the Markdown into a PDF at the writer's position.</summary>
    public static void WriteTo(PdfPageWriter writer, string markdown)
    {
        foreach (var block in Parse(markdown))
        {
            WriteBlock(writer, block, 0);
        }
    }

    private static void WriteBlock(PdfPageWriter writer, Block block, double indent)
    {
        switch (block)
        {
            case HeadingBlock heading:
                writer.Heading(PlainText(Runs(heading.Inline)), Math.Clamp(heading.Level, 1, 3));
                break;
            case ParagraphBlock paragraph:
                writer.Paragraph(Runs(paragraph.Inline), TextStyle.Body, indent);
                break;
            case ListBlock list:
                var items = list.OfType<ListItemBlock>().Select(item =>
                    (IReadOnlyList<TextRun>)item.OfType<LeafBlock>().SelectMany((leaf, i) =>
                        i == 0 ? Runs(leaf.Inline) : [new TextRun("\n"), .. Runs(leaf.Inline)]).ToList());
                writer.BulletList(items, list.IsOrdered, indent);
                break;
            case QuoteBlock quote:
                foreach (var inner in quote)
                {
                    WriteBlock(writer, inner, indent + 14);
                }
                break;
            case ThematicBreakBlock:
                writer.HorizontalRule();
                break;
            case LeafBlock leaf when leaf.Lines.Count > 0:
                writer.Paragraph(leaf.Lines.ToString(), TextStyle.Small);
                break;
            case ContainerBlock container:
                foreach (var inner in container)
                {
                    WriteBlock(writer, inner, indent);
                }
                break;
        }
    }

    private static string PlainText(IEnumerable<TextRun> runs) => string.Concat(runs.Select(r => r.Text)).Replace("\n", " ", StringComparison.Ordinal);

    private static List<TextRun> Runs(ContainerInline? inline)
    {
        var runs = new List<TextRun>();
        if (inline is not null)
        {
            Collect(inline, false, false, runs);
        }
        return runs;
    }

    private static void Collect(Inline inline, bool bold, bool italic, List<TextRun> runs)
    {
        switch (inline)
        {
            case LiteralInline literal:
                runs.Add(new TextRun(literal.Content.ToString(), bold, italic));
                break;
            case EmphasisInline emphasis:
                var strong = emphasis.DelimiterCount >= 2;
                foreach (var child in emphasis)
                {
                    Collect(child, bold || strong, italic || !strong, runs);
                }
                break;
            case LineBreakInline lineBreak:
                runs.Add(new TextRun(lineBreak.IsHard ? "\n" : " ", bold, italic));
                break;
            case CodeInline code:
                runs.Add(new TextRun(code.Content, bold, italic));
                break;
            case AutolinkInline autolink:
                runs.Add(new TextRun(autolink.Url, bold, italic));
                break;
            case HtmlEntityInline entity:
                runs.Add(new TextRun(entity.Transcoded.ToString(), bold, italic));
                break;
            case HtmlInline html:
                runs.Add(new TextRun(html.Tag, bold, italic));
                break;
            case LinkInline link:
                foreach (var child in link)
                {
                    Collect(child, bold, italic, runs);
                }
                if (link.Url is { Length: > 0 } url && !url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
                {
                    runs.Add(new TextRun($" ({url})", bold, italic));
                }
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Collect(child, bold, italic, runs);
                }
                break;
        }
    }

    /// <summary>The allow-list of link schemes (OWASP: allow-list, never a block-list of "javascript:").</summary>
    private static readonly string[] SafeSchemes = ["https://", "http://", "mailto:", "tel:"];

    private static bool IsSafeUrl(string? url) =>
        url is not null && SafeSchemes.Any(scheme => url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase));
}
