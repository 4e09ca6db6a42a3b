using ScottPlot;

namespace Rapport.Documents;

/// <summary>
/// A chart drawn once as PNG (for the PDF) and SVG (for the HTML preview).
/// <see cref="Width"/> and <see cref="Height"/> are its size in points; the PNG has
/// <see cref="Charts.PngScale"/> pixels per point so it stays sharp when printed.
/// </summary>
public sealed record ChartImage(byte[] Png, string Svg, double Width, double Height);

/// <summary>One line of a line chart; <paramref name="Color"/> is "#rrggbb".</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, string Color, bool Dashed = false);

/// <summary>One set of bars of a grouped bar chart, one value per category (null: no bar).</summary>
public sealed record BarSeries(string Label, IReadOnlyList<double?> Values, string Color);

/// <summary>Where a chart's legend goes: inside a corner of the data area, or below the chart.</summary>
public enum LegendPosition { Below, UpperLeft, UpperRight, LowerLeft, LowerRight }

/// <summary>Charts for Rapport's documents, drawn with ScottPlot in the embedded document font.</summary>
public static class Charts
{
    public const int PngScale = 2;

    /// <summary>The palette of the documents: the practice's series first, then the comparison.</summary>
    public const string Primary = "#1f3a5f";
    public const string Comparison = "#9aa5b1";

    public static ChartImage Lines(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, int width = 480, int height = 220,
        LegendPosition legend = LegendPosition.Below)
    {
        DocumentFonts.EnsureRegistered();
        return Render(width, height, plot =>
        {
            Style(plot, title, xLabel, yLabel);
            foreach (var line in series)
            {
                var scatter = plot.Add.Scatter(line.X.ToArray(), line.Y.ToArray());
                scatter.LegendText = line.Label;
                scatter.Color = Color.FromHex(line.Color);
                scatter.LineWidth = 2;
                scatter.MarkerSize = 5;
                if (line.Dashed)
                {
                    scatter.LinePattern = LinePattern.Dashed;
                }
            }
            if (series.All(line => line.X.All(x => x == Math.Floor(x))))
            {
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            }
            ShowLegend(plot, series.Count, legend);
        });
    }

    public static ChartImage Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series, int width = 480, int height = 220,
        LegendPosition legend = LegendPosition.Below)
    {
        DocumentFonts.EnsureRegistered();
        return Render(width, height, plot =>
        {
            Style(plot, title, "", yLabel);
            var slot = 1.0 / (series.Count + 1);
            for (var s = 0; s < series.Count; s++)
            {
                var bars = new List<Bar>();
                for (var c = 0; c < categories.Count; c++)
                {
                    if (c < series[s].Values.Count && series[s].Values[c] is { } value)
                    {
                        bars.Add(new Bar
                        {
                            Position = c + (s - (series.Count - 1) / 2.0) * slot,
                            Value = value,
                            Size = slot * 0.9,
                            FillColor = Color.FromHex(series[s].Color),
                            LineWidth = 0,
                        });
                    }
                }
                var plotted = plot.Add.Bars(bars);
                plotted.LegendText = series[s].Label;
                plotted.Color = Color.FromHex(series[s].Color);
            }
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, categories.Count).Select(i => (double)i)], [.. categories]);
            plot.Axes.Bottom.MajorTickStyle.Length = 0;
            plot.Axes.Margins(bottom: 0);
            ShowLegend(plot, series.Count, legend);
        });
    }

    private static void Style(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Font.Set(DocumentFonts.Family);
        if (title.Length > 0)
        {
            plot.Title(title, size: 13);
        }
        plot.XLabel(xLabel, size: 11);
        plot.YLabel(yLabel, size: 11);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 10;
        plot.Axes.Left.TickLabelStyle.FontSize = 10;
        plot.Grid.MajorLineColor = Color.FromHex("#e5e8ec");
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Axes.Right.FrameLineStyle.Width = 0;
        plot.Axes.Top.FrameLineStyle.Width = 0;
    }

    private static void ShowLegend(Plot plot, int seriesCount, LegendPosition position)
    {
        if (seriesCount < 2)
        {
            plot.HideLegend();
        }
        else
        {
            if (position == LegendPosition.Below)
            {
                plot.ShowLegend(Edge.Bottom);
            }
            else
            {
                plot.ShowLegend(position switch
                {
                    LegendPosition.UpperLeft => Alignment.UpperLeft,
                    LegendPosition.UpperRight => Alignment.UpperRight,
                    LegendPosition.LowerLeft => Alignment.LowerLeft,
                    _ => Alignment.LowerRight,
                });
            }
            plot.Legend.FontSize = 10;
            plot.Legend.FontName = DocumentFonts.Family;
        }
    }

    private static ChartImage Render(int width, int height, Action<Plot> draw)
    {
        using var plot = new Plot();
        draw(plot);
        plot.ScaleFactor = PngScale;
        var png = plot.GetImageBytes(width * PngScale, height * PngScale, ImageFormat.Png);
        plot.ScaleFactor = 1;
        // Skia's SVG canvas cannot draw dash patterns (it prints a warning per line): solid lines in SVG.
        foreach (var scatter in plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>())
        {
            scatter.LinePattern = LinePattern.Solid;
        }
        var svg = plot.GetSvgXml(width, height);
        return new ChartImage(png, svg, width, height);
    }
}
