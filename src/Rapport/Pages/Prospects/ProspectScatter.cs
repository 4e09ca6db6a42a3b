using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using Rapport.Prospects;
using Rapport.Registry;

namespace Rapport.Pages.Prospects;

/// <summary>
/// The prospects around a clinic as an inline SVG drawn here on the server: no map tiles, no script, no
/// request elsewhere. Positions are distance-true (an equirectangular projection about the clinic, exact
/// enough within 100 miles): east is right, north is up, and a ring's radius is its miles. The registry
/// places each physician at the ZIP's internal point, so everyone of a ZIP shares a point; a point's area
/// grows with the number of prospects there rather than scattering them at false positions.
/// </summary>
public static class ProspectScatter
{
    private const double Size = 420, Centre = Size / 2, Reach = Size / 2 - 18;
    private static readonly double[] Rings = [5, 10, 25];

    public static IHtmlContent Svg(ProspectResult result, int highlighted)
    {
        var centre = result.Centre ?? throw new InvalidOperationException("A result without a centre has nothing to draw.");
        var extent = result.RadiusMiles;
        var scale = Reach / extent;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"scatter\" viewBox=\"0 0 {Size} {Size}\" role=\"img\" aria-labelledby=\"scatter-title scatter-desc\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append("<title id=\"scatter-title\">Prospects around ").Append(Encode(result.ClinicName)).Append("</title>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<desc id=\"scatter-desc\">{result.Rows.Count} prospects and {result.Sources.Count} sources of the chosen specialties within {Miles(result.RadiusMiles)} miles; rings at {string.Join(", ", Rings.Where(r => r <= extent).Select(Miles))} miles; north is up.</desc>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"ground\" x=\"0\" y=\"0\" width=\"{Size}\" height=\"{Size}\"/>");
        foreach (var ring in Rings.Where(r => r <= extent).Append(extent).Distinct())
        {
            var r = ring * scale;
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"ring{(Rings.Contains(ring) ? "" : " edge")}\" cx=\"{Centre}\" cy=\"{Centre}\" r=\"{r:0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"ring-label\" x=\"{Centre + r * 0.71 + 3:0.#}\" y=\"{Centre - r * 0.71 - 3:0.#}\">{Miles(ring)} mi</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"north\" x=\"{Centre}\" y=\"12\">N</text>");

        // Prospects by point: ranked ones beyond the highlighted first few are plain dots.
        foreach (var point in result.Rows.GroupBy(r => (r.Latitude, r.Longitude)).OrderByDescending(g => g.Count()))
        {
            var (x, y) = Project(centre, point.Key.Latitude, point.Key.Longitude, scale);
            var count = point.Count();
            var radius = 2.5 + 1.6 * Math.Sqrt(count - 1);
            var names = string.Join(", ", point.OrderBy(r => r.Rank).Take(4).Select(r => $"#{r.Rank} {r.Name}"));
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"prospect\" cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"{radius:0.#}\"><title>")
                .Append(Encode($"{count} prospect{(count == 1 ? "" : "s")} at {Miles(point.First().DistanceMiles)} mi: {names}{(count > 4 ? ", …" : "")}"))
                .Append("</title></circle>");
        }
        foreach (var source in result.Sources)
        {
            var (x, y) = Project(centre, source.Latitude, source.Longitude, scale);
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"source\" x=\"{x - 3.5:0.#}\" y=\"{y - 3.5:0.#}\" width=\"7\" height=\"7\" transform=\"rotate(45 {x:0.#} {y:0.#})\"><title>")
                .Append(Encode($"Source: {source.Name} ({Miles(source.DistanceMiles)} mi)")).Append("</title></rect>");
        }
        foreach (var top in result.Rows.Take(highlighted))
        {
            var (x, y) = Project(centre, top.Latitude, top.Longitude, scale);
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"top\" cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"6\"><title>")
                .Append(Encode($"#{top.Rank} {top.Name}, score {top.Score.Total:0.0}")).Append("</title></circle>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<path class=\"clinic\" d=\"{Star(Centre, Centre, 9, 4)}\"><title>").Append(Encode(result.ClinicName)).Append("</title></path>");
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>Miles east and north of the centre, in pixels (y grows downward).</summary>
    public static (double X, double Y) Project(GeoPoint centre, double latitude, double longitude, double pixelsPerMile)
    {
        const double milesPerDegree = GreatCircle.EarthRadiusMiles * Math.PI / 180;
        var east = (longitude - centre.Longitude) * milesPerDegree * Math.Cos(centre.Latitude * Math.PI / 180);
        var north = (latitude - centre.Latitude) * milesPerDegree;
        return (Centre + east * pixelsPerMile, Centre - north * pixelsPerMile);
    }

    private static string Star(double cx, double cy, double outer, double inner)
    {
        var points = Enumerable.Range(0, 10).Select(i =>
        {
            var angle = Math.PI / 5 * i - Math.PI / 2;
            var r = i % 2 == 0 ? outer : inner;
            return string.Create(CultureInfo.InvariantCulture, $"{cx + r * Math.Cos(angle):0.#},{cy + r * Math.Sin(angle):0.#}");
        });
        return "M" + string.Join(" L", points) + " Z";
    }

    private static string Miles(double miles) => miles.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
