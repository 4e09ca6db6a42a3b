using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Rapport.Documents;

public enum PaperSize { Letter, A4 }

/// <summary>Paper, margins (points, 72 to the inch) and the footer printed on every page beside "Page n of N".</summary>
public sealed record PageSetup
{
    public PaperSize Paper { get; init; } = PaperSize.Letter;
    public double Margin { get; init; } = 54;
    public string? FooterText { get; init; }
    public string? Title { get; init; }
    public string? Author { get; init; }
    /// <summary>Pages turned sideways, for a wide table (the referral source report).</summary>
    public bool Landscape { get; init; }
}

public enum TextStyle { Body, Small, Muted, Heading1, Heading2, Heading3 }

/// <summary>A stretch of text in one weight and slant; a "\n" inside it breaks the line.</summary>
public sealed record TextRun(string Text, bool Bold = false, bool Italic = false);

public enum ColumnAlign { Left, Right, Center }

/// <param name="Width">Relative width: the columns share the line in proportion.</param>
public sealed record TableColumn(string Header, double Width = 1, ColumnAlign Align = ColumnAlign.Left);

/// <summary>One table row; <paramref name="Emphasis"/> prints it bold (a total, a highlighted line).</summary>
public sealed record TableRow(IReadOnlyList<string> Cells, bool Emphasis = false);

/// <summary>
/// A small flowing-layout helper over PDFsharp for Rapport's documents (report cards, letters):
/// headings, wrapped paragraphs with bold/italic runs, lists, simple tables that break across pages
/// with their header repeated, images and charts, and a footer with page numbers. Content flows
/// down the page and onto a new one when it does not fit. Coordinates are points from the top left.
/// </summary>
public sealed class PdfPageWriter : IDisposable
{
    private static readonly XColor Ink = XColor.FromArgb(34, 34, 34);
    private static readonly XColor Accent = XColor.FromArgb(31, 58, 95);
    private static readonly XColor Grey = XColor.FromArgb(102, 102, 102);
    private static readonly XColor Rule = XColor.FromArgb(208, 215, 222);
    private static readonly XColor HeaderFill = XColor.FromArgb(232, 238, 245);
    private static readonly XColor StripeFill = XColor.FromArgb(247, 249, 251);

    private readonly PdfDocument document = new();
    private readonly PageSetup setup;
    private readonly Dictionary<(double Size, bool Bold, bool Italic), XFont> fonts = [];
    private readonly List<MemoryStream> imageStreams = [];
    private XGraphics? graphics;
    private bool finished;

    public PdfPageWriter(PageSetup? setup = null)
    {
        DocumentFonts.EnsureRegistered();
        this.setup = setup ?? new PageSetup();
        document.Info.Title = this.setup.Title ?? "";
        document.Info.Author = this.setup.Author ?? "";
        document.Info.Creator = "Rapport";
        NewPage();
    }

    /// <summary>Where the next block starts, in points from the top of the page.</summary>
    public double Y { get; private set; }

    public double Left => setup.Margin;

    public double ContentWidth => PageWidth - 2 * setup.Margin;

    public int PageCount => document.PageCount;

    /// <summary>Room left above the footer on this page.</summary>
    public double RemainingHeight => ContentBottom - Y;

    private double PageWidth => document.Pages[^1].Width.Point;

    private double PageHeight => document.Pages[^1].Height.Point;

    private double ContentBottom => PageHeight - setup.Margin - FooterHeight;

    private const double FooterHeight = 18;

    private XGraphics Gfx => graphics ?? throw new InvalidOperationException("The document is finished.");

    public void Heading(string text, int level = 1)
    {
        var style = level switch { 1 => TextStyle.Heading1, 2 => TextStyle.Heading2, _ => TextStyle.Heading3 };
        var (size, _) = Metrics(style);
        var before = Y <= setup.Margin + 0.5 ? 0 : size * 0.6;
        // A heading never sits alone at the foot of a page: keep room for it and two lines after it.
        EnsureSpace(before + LineHeight(style) * 1.2 + LineHeight(TextStyle.Body) * 2);
        if (Y > setup.Margin + 0.5)
        {
            Y += before;
        }
        Paragraph([new TextRun(text, Bold: true)], style);
        if (level == 1)
        {
            Gfx.DrawLine(new XPen(Accent, 0.8), Left, Y - 2, Left + ContentWidth, Y - 2);
            Y += 6;
        }
    }

    /// <summary>
    /// The top of a first page: the practice's name (and a detail line under it) on the left, its
    /// logo (PNG or JPEG, at most 44 points high and 170 wide) on the right, and a rule below.
    /// </summary>
    public void Letterhead(string name, string? detail = null, byte[]? logo = null)
    {
        var top = Y;
        var textWidth = ContentWidth;
        if (logo is not null)
        {
            var stream = new MemoryStream(logo, writable: false);
            imageStreams.Add(stream);
            var picture = XImage.FromStream(stream);
            var scale = Math.Min(44 / picture.PointHeight, 170 / picture.PointWidth);
            var (width, height) = (picture.PointWidth * scale, picture.PointHeight * scale);
            Gfx.DrawImage(picture, Left + ContentWidth - width, top, width, height);
            textWidth -= width + 12;
            Y = Math.Max(Y, top + height);
        }
        var lines = Wrap([new TextRun(name, Bold: true)], TextStyle.Heading2, textWidth);
        var y = top;
        foreach (var line in lines)
        {
            DrawLine(line, Left, y, TextStyle.Heading2, ColumnAlign.Left, textWidth);
            y += LineHeight(TextStyle.Heading2);
        }
        if (detail is { Length: > 0 })
        {
            foreach (var line in Wrap([new TextRun(detail)], TextStyle.Muted, textWidth))
            {
                DrawLine(line, Left, y, TextStyle.Muted, ColumnAlign.Left, textWidth);
                y += LineHeight(TextStyle.Muted);
            }
        }
        Y = Math.Max(Y, y) + 4;
        Gfx.DrawLine(new XPen(Rule, 0.8), Left, Y, Left + ContentWidth, Y);
        Y += 12;
    }

    public void Paragraph(string text, TextStyle style = TextStyle.Body) => Paragraph([new TextRun(text)], style);

    /// <summary>Wraps the runs to the content width (less <paramref name="indent"/>), breaking pages between lines.</summary>
    public void Paragraph(IReadOnlyList<TextRun> runs, TextStyle style = TextStyle.Body, double indent = 0, double spaceAfter = -1)
    {
        var lines = Wrap(runs, style, ContentWidth - indent);
        var lineHeight = LineHeight(style);
        foreach (var line in lines)
        {
            EnsureSpace(lineHeight);
            DrawLine(line, Left + indent, Y, style, ColumnAlign.Left, ContentWidth - indent);
            Y += lineHeight;
        }
        Y += spaceAfter >= 0 ? spaceAfter : Metrics(style).Size * 0.6;
    }

    public void BulletList(IEnumerable<string> items, bool ordered = false) =>
        BulletList(items.Select(i => (IReadOnlyList<TextRun>)[new TextRun(i)]), ordered);

    public void BulletList(IEnumerable<IReadOnlyList<TextRun>> items, bool ordered = false, double indent = 0)
    {
        var number = 0;
        var hang = ordered ? 18 : 14;
        foreach (var item in items)
        {
            number++;
            EnsureSpace(LineHeight(TextStyle.Body));
            var marker = ordered ? $"{number}." : "•";
            Gfx.DrawString(marker, Font(TextStyle.Body, false, false), new XSolidBrush(Ink), Left + indent + 2, Y, XStringFormats.TopLeft);
            Paragraph(item, TextStyle.Body, indent + hang, spaceAfter: 2);
        }
        Y += 4;
    }

    /// <summary>A table across the content width; a row that does not fit goes to the next page under a repeated header.</summary>
    public void Table(IReadOnlyList<TableColumn> columns, IEnumerable<TableRow> rows, TextStyle style = TextStyle.Small)
    {
        const double pad = 4;
        var total = columns.Sum(c => c.Width);
        var widths = columns.Select(c => ContentWidth * c.Width / total).ToArray();
        var lineHeight = LineHeight(style);

        double RowHeight(IReadOnlyList<string> cells, bool bold) =>
            cells.Select((text, i) => Wrap([new TextRun(text, bold)], style, widths[i] - 2 * pad).Count).DefaultIfEmpty(1).Max() * lineHeight + 2 * pad;

        void DrawRow(IReadOnlyList<string> cells, bool bold, XColor? fill)
        {
            var height = RowHeight(cells, bold);
            if (fill is { } color)
            {
                Gfx.DrawRectangle(new XSolidBrush(color), Left, Y, ContentWidth, height);
            }
            var x = Left;
            for (var i = 0; i < columns.Count; i++)
            {
                var text = i < cells.Count ? cells[i] : "";
                var y = Y + pad;
                foreach (var line in Wrap([new TextRun(text, bold)], style, widths[i] - 2 * pad))
                {
                    DrawLine(line, x + pad, y, style, columns[i].Align, widths[i] - 2 * pad);
                    y += lineHeight;
                }
                x += widths[i];
            }
            Y += height;
            Gfx.DrawLine(new XPen(Rule, 0.5), Left, Y, Left + ContentWidth, Y);
        }

        var header = columns.Select(c => c.Header).ToList();
        EnsureSpace(RowHeight(header, true) + lineHeight + 2 * pad);
        DrawRow(header, true, HeaderFill);
        var stripe = false;
        foreach (var row in rows)
        {
            if (RowHeight(row.Cells, row.Emphasis) > RemainingHeight)
            {
                NewPage();
                DrawRow(header, true, HeaderFill);
            }
            DrawRow(row.Cells, row.Emphasis, stripe ? StripeFill : null);
            stripe = !stripe;
        }
        Y += 8;
    }

    /// <summary>Places a PNG or JPEG at the given size in points, left-aligned or centred.</summary>
    public void Image(byte[] image, double width, double height, bool centred = false)
    {
        EnsureSpace(height);
        var stream = new MemoryStream(image, writable: false);
        imageStreams.Add(stream);
        var picture = XImage.FromStream(stream);
        var x = centred ? Left + (ContentWidth - width) / 2 : Left;
        Gfx.DrawImage(picture, x, Y, width, height);
        Y += height + 6;
    }

    /// <summary>Places a chart at its own size, scaled down to the content width when wider.</summary>
    public void Chart(ChartImage chart)
    {
        var scale = Math.Min(1, ContentWidth / chart.Width);
        Image(chart.Png, chart.Width * scale, chart.Height * scale, centred: true);
    }

    public void HorizontalRule()
    {
        EnsureSpace(8);
        Y += 3;
        Gfx.DrawLine(new XPen(Rule, 0.8), Left, Y, Left + ContentWidth, Y);
        Y += 6;
    }

    public void Space(double points) => Y = Math.Min(Y + points, ContentBottom);

    public void PageBreak() => NewPage();

    /// <summary>Starts a new page unless <paramref name="points"/> still fit on this one.</summary>
    public void EnsureSpace(double points)
    {
        if (points > RemainingHeight && Y > setup.Margin + 0.5)
        {
            NewPage();
        }
    }

    /// <summary>Draws the footers with "Page n of N" and returns the PDF; the writer is finished after this.</summary>
    public byte[] ToPdf()
    {
        if (finished)
        {
            throw new InvalidOperationException("The document is already finished.");
        }
        finished = true;
        graphics?.Dispose();
        graphics = null;
        var font = Font(TextStyle.Muted, false, false);
        var brush = new XSolidBrush(Grey);
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var footer = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var top = page.Height.Point - setup.Margin - FooterHeight + 6;
            var right = page.Width.Point - setup.Margin;
            footer.DrawLine(new XPen(Rule, 0.5), setup.Margin, top, right, top);
            var number = $"Page {i + 1} of {document.PageCount}";
            footer.DrawString(number, font, brush, new XRect(setup.Margin, top + 3, right - setup.Margin, 12), XStringFormats.TopRight);
            if (setup.FooterText is { Length: > 0 } text)
            {
                var room = right - setup.Margin - footer.MeasureString(number, font).Width - 12;
                footer.DrawString(Fit(footer, text, font, room), font, brush, setup.Margin, top + 3, XStringFormats.TopLeft);
            }
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    public void Dispose()
    {
        graphics?.Dispose();
        graphics = null;
        document.Dispose();
        foreach (var stream in imageStreams)
        {
            stream.Dispose();
        }
    }

    /// <summary>The width of text in a style, for callers that lay out their own blocks.</summary>
    public double Measure(string text, TextStyle style = TextStyle.Body, bool bold = false) =>
        Gfx.MeasureString(text, Font(style, bold, false)).Width;

    /// <summary>Draws one line of text at an absolute position without moving the flow (letterheads, labels).</summary>
    public void DrawText(string text, double x, double y, TextStyle style = TextStyle.Body, bool bold = false, ColumnAlign align = ColumnAlign.Left, double width = 0)
    {
        var line = new List<(string Text, XFont Font)> { (text, Font(style, bold, false)) };
        DrawLine(line, x, y, style, align, width);
    }

    /// <summary>Moves the flow to an absolute position on this page (after drawing a letterhead by hand).</summary>
    public void MoveTo(double y) => Y = Math.Clamp(y, setup.Margin, ContentBottom);

    private void NewPage()
    {
        graphics?.Dispose();
        var page = document.AddPage();
        page.Size = setup.Paper == PaperSize.A4 ? PageSize.A4 : PageSize.Letter;
        if (setup.Landscape)
        {
            page.Orientation = PageOrientation.Landscape;
        }
        graphics = XGraphics.FromPdfPage(page);
        Y = setup.Margin;
    }

    private static (double Size, XColor Color) Metrics(TextStyle style) => style switch
    {
        TextStyle.Heading1 => (16, Accent),
        TextStyle.Heading2 => (12.5, Accent),
        TextStyle.Heading3 => (10.5, Ink),
        TextStyle.Small => (8.5, Ink),
        TextStyle.Muted => (7.5, Grey),
        _ => (10, Ink),
    };

    private static double LineHeight(TextStyle style) => Metrics(style).Size * 1.35;

    private XFont Font(TextStyle style, bool bold, bool italic)
    {
        var size = Metrics(style).Size;
        if (!fonts.TryGetValue((size, bold, italic), out var font))
        {
            var fontStyle = (bold, italic) switch
            {
                (true, true) => XFontStyleEx.BoldItalic,
                (true, false) => XFontStyleEx.Bold,
                (false, true) => XFontStyleEx.Italic,
                _ => XFontStyleEx.Regular,
            };
            fonts[(size, bold, italic)] = font = new XFont(DocumentFonts.Family, size, fontStyle, XPdfFontOptions.UnicodeDefault);
        }
        return font;
    }

    private void DrawLine(List<(string Text, XFont Font)> line, double x, double y, TextStyle style, ColumnAlign align, double width)
    {
        var brush = new XSolidBrush(Metrics(style).Color);
        var lineWidth = line.Sum(piece => Gfx.MeasureString(piece.Text, piece.Font).Width);
        x += align switch
        {
            ColumnAlign.Right => Math.Max(0, width - lineWidth),
            ColumnAlign.Center => Math.Max(0, (width - lineWidth) / 2),
            _ => 0,
        };
        foreach (var (text, font) in line)
        {
            Gfx.DrawString(text, font, brush, x, y, XStringFormats.TopLeft);
            x += Gfx.MeasureString(text, font).Width;
        }
    }

    /// <summary>
    /// Greedy line breaking at spaces, keeping each run's font; a word wider than the line is cut
    /// into pieces that fit. Trailing spaces are dropped at line ends.
    /// </summary>
    private List<List<(string Text, XFont Font)>> Wrap(IReadOnlyList<TextRun> runs, TextStyle style, double width)
    {
        var lines = new List<List<(string Text, XFont Font)>>();
        var current = new List<(string Text, XFont Font)>();
        var used = 0.0;
        // Where the word being built began in the current line: a word may span runs (Markdown splits
        // "555\-0110" into several literals) and must still move to the next line whole.
        var wordStart = 0;
        var wordWidth = 0.0;

        void EndLine()
        {
            while (current.Count > 0 && string.IsNullOrWhiteSpace(current[^1].Text))
            {
                current.RemoveAt(current.Count - 1);
            }
            lines.Add(current);
            current = [];
            used = 0;
            wordStart = 0;
            wordWidth = 0;
        }

        foreach (var run in runs)
        {
            var font = Font(style, run.Bold || style is TextStyle.Heading1 or TextStyle.Heading2 or TextStyle.Heading3, run.Italic);
            var paragraphs = run.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            for (var p = 0; p < paragraphs.Length; p++)
            {
                if (p > 0)
                {
                    EndLine();
                }
                foreach (var token in Tokens(paragraphs[p]))
                {
                    var isSpace = token.Length > 0 && token[0] is ' ' or '\t';
                    if (isSpace && current.Count == 0)
                    {
                        continue;
                    }
                    var text = isSpace ? " " : token;
                    var tokenWidth = Gfx.MeasureString(text, font).Width;
                    if (isSpace)
                    {
                        current.Add((text, font));
                        used += tokenWidth;
                        wordStart = current.Count;
                        wordWidth = 0;
                        continue;
                    }
                    if (used + tokenWidth > width && current.Count > 0)
                    {
                        if (wordStart > 0 && wordStart < current.Count)
                        {
                            var carried = current.GetRange(wordStart, current.Count - wordStart);
                            var carriedWidth = wordWidth;
                            current.RemoveRange(wordStart, current.Count - wordStart);
                            EndLine();
                            current.AddRange(carried);
                            used = wordWidth = carriedWidth;
                        }
                        else
                        {
                            EndLine();
                        }
                    }
                    while (!isSpace && tokenWidth > width && text.Length > 1)
                    {
                        var fits = 1;
                        while (fits < text.Length && Gfx.MeasureString(text[..(fits + 1)], font).Width <= width)
                        {
                            fits++;
                        }
                        current.Add((text[..fits], font));
                        EndLine();
                        text = text[fits..];
                        tokenWidth = Gfx.MeasureString(text, font).Width;
                    }
                    current.Add((text, font));
                    used += tokenWidth;
                    wordWidth += tokenWidth;
                }
            }
        }
        if (current.Count > 0 || lines.Count == 0)
        {
            EndLine();
        }
        return lines;
    }

    /// <summary>Words and the spaces between them; a no-break space (U+00A0) keeps its neighbours on one line.</summary>
    private static IEnumerable<string> Tokens(string text)
    {
        static bool IsBreak(char c) => c is ' ' or '\t';
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || IsBreak(text[i]) != IsBreak(text[start]))
            {
                yield return text[start..i];
                start = i;
            }
        }
    }

    private static string Fit(XGraphics gfx, string text, XFont font, double width)
    {
        if (gfx.MeasureString(text, font).Width <= width)
        {
            return text;
        }
        while (text.Length > 1 && gfx.MeasureString(text + "…", font).Width > width)
        {
            text = text[..^1];
        }
        return text + "…";
    }
}
