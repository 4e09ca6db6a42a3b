using System.Collections.Concurrent;
using PdfSharp.Fonts;
using SkiaSharp;

namespace Rapport.Documents;

/// <summary>
/// The one typeface of Rapport's documents, DejaVu Sans, served from files embedded in this assembly
/// (see Fonts/NOTICE.md) to PDFsharp and to ScottPlot, so pages and charts render the same on a
/// machine without system fonts. Every family name asked for resolves to it.
/// </summary>
public static class DocumentFonts
{
    public const string Family = "DejaVu Sans";

    private static readonly Lock Gate = new();
    private static bool registered;

    /// <summary>Registers the fonts with PDFsharp and ScottPlot once per process; cheap to call again.</summary>
    public static void EnsureRegistered()
    {
        if (Volatile.Read(ref registered))
        {
            return;
        }
        lock (Gate)
        {
            if (registered)
            {
                return;
            }
            // PDFsharp allows the resolver to be set once, before any font is used.
            if (GlobalFontSettings.FontResolver is not EmbeddedPdfFontResolver)
            {
                GlobalFontSettings.FontResolver = new EmbeddedPdfFontResolver();
            }
            ScottPlot.Fonts.FontResolvers.Insert(0, new EmbeddedChartFontResolver());
            ScottPlot.Fonts.Default = Family;
            ScottPlot.Fonts.Sans = Family;
            Volatile.Write(ref registered, true);
        }
    }

    internal static string FaceName(bool bold, bool italic) => (bold, italic) switch
    {
        (true, true) => "DejaVuSans-BoldOblique",
        (true, false) => "DejaVuSans-Bold",
        (false, true) => "DejaVuSans-Oblique",
        _ => "DejaVuSans",
    };

    private static readonly ConcurrentDictionary<string, byte[]> Files = new(StringComparer.Ordinal);

    internal static byte[] FontFile(string faceName) => Files.GetOrAdd(faceName, static face =>
    {
        using var stream = typeof(DocumentFonts).Assembly.GetManifestResourceStream($"Rapport.Documents.Fonts.{face}.ttf")
            ?? throw new InvalidOperationException($"The embedded font {face}.ttf is missing from Rapport.Core.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private sealed class EmbeddedPdfFontResolver : IFontResolver
    {
        public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(FaceName(bold, italic));

        public byte[] GetFont(string faceName) => FontFile(faceName);
    }

    private sealed class EmbeddedChartFontResolver : ScottPlot.IFontResolver
    {
        public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) => Load(FaceName(bold, italic));

        public SKTypeface CreateTypeface(string fontName, ScottPlot.FontWeight weight, ScottPlot.FontSlant slant, ScottPlot.FontSpacing spacing) =>
            Load(FaceName(weight >= ScottPlot.FontWeight.SemiBold, slant != ScottPlot.FontSlant.Upright));

        private static SKTypeface Load(string face)
        {
            using var data = SKData.CreateCopy(FontFile(face));
            return SKTypeface.FromData(data);
        }
    }
}
