using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using Rapport.Campaigns;

namespace Rapport.Pages.Campaigns;

/// <summary>
/// The campaign's months as an inline SVG drawn on the server (no script, no chart library): per month, the referrals
/// attributed to the campaign beside what the reached sources would have sent at the comparison group's rate
/// (its referrals per source that month × the sources reached). A month still running is labelled "(to 17th)".
/// </summary>
public static class CampaignChart
{
    private const double Width = 640, Height = 240, Left = 34, Right = 8, Top = 12, Bottom = 40;

    public static IHtmlContent Svg(CampaignResults r)
    {
        var months = r.Months;
        var expected = months.Select(m => m.ComparisonPerSource is { } rate ? rate * r.SourcesReached : (double?)null).ToList();
        var max = Math.Max(1, Math.Max(months.Select(m => (double)m.Attributed).DefaultIfEmpty(0).Max(), expected.Select(e => e ?? 0).DefaultIfEmpty(0).Max()));
        // Whole-number gridlines: a step of 1, 2, 5, 10, 20, 50… giving at most five lines.
        var step = NiceStep(max / 4);
        var top = step * Math.Ceiling(max / step);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var slot = plotWidth / Math.Max(1, months.Count);
        var bar = Math.Min(26, slot * 0.36);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"campaign-chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append("<title id=\"chart-title\">Referrals by month: attributed to the campaign, and the reached sources at the comparison group's rate</title>");
        svg.Append("<desc id=\"chart-desc\">").Append(Encode(string.Join("; ", months.Select((m, i) =>
            $"{m.Month.Label}: {m.Attributed} attributed" + (expected[i] is { } e ? FormattableString.Invariant($", {e:0.0} at the comparison rate") : ""))))).Append("</desc>");
        var steps = (int)Math.Round(top / step);
        for (var s = 0; s <= steps; s++)
        {
            var value = top * s / steps;
            var y = Top + plotHeight - value / top * plotHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left - 4}\" y=\"{y + 3:0.#}\" text-anchor=\"end\">{value:0.#}</text>");
        }
        for (var i = 0; i < months.Count; i++)
        {
            var centre = Left + slot * (i + 0.5);
            var attributedHeight = months[i].Attributed / top * plotHeight;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"attributed\" x=\"{centre - bar:0.#}\" y=\"{Top + plotHeight - attributedHeight:0.#}\" width=\"{bar:0.#}\" height=\"{attributedHeight:0.#}\"><title>{months[i].Attributed} attributed</title></rect>");
            if (expected[i] is { } e)
            {
                var h = e / top * plotHeight;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"expected\" x=\"{centre:0.#}\" y=\"{Top + plotHeight - h:0.#}\" width=\"{bar:0.#}\" height=\"{h:0.#}\"><title>{e:0.0} at the comparison group's rate</title></rect>");
            }
            var label = months.Count > 8 ? months[i].Month.Month.ToString("MMM", CultureInfo.InvariantCulture)[..1] : months[i].Month.ShortLabel;
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis month{(months[i].Month.Partial ? " partial" : "")}\" x=\"{centre:0.#}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\">{Encode(label)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"base\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\"/>");
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static double NiceStep(double rough)
    {
        foreach (var magnitude in new[] { 1.0, 10, 100, 1000, 10000 })
        {
            foreach (var multiple in new[] { 1.0, 2, 5 })
            {
                if (multiple * magnitude >= rough)
                {
                    return multiple * magnitude;
                }
            }
        }
        return Math.Ceiling(rough);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
