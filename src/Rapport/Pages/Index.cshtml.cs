using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Dashboard;
using Rapport.Organizations;
using Rapport.Pages.Shared;

namespace Rapport.Pages;

/// <summary>The practice dashboard (home page). Filters: clinic and a range of months (default the last 24).</summary>
public sealed class IndexModel(DashboardService dashboard, OrganizationService organizations, PracticeReadCache cache) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? ClinicId { get; set; }
    /// <summary>"yyyy-MM" from the month picker (a full date is accepted too).</summary>
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public DashboardView View { get; private set; } = null!;
    public IReadOnlyList<ClinicSummary> Clinics { get; private set; } = [];
    public IReadOnlyList<string> FilterProblems { get; private set; } = [];

    /// <summary>The chart's data, embedded in the page as JSON (read by wwwroot/js/dashboard.js).</summary>
    public string ChartJson => JsonSerializer.Serialize(new
    {
        months = View.Periods.Select(p => p.Label),
        // The month so far: drawn hatched, not as a complete month (-1: not in the range).
        partialIndex = View.PartialIndex,
        partialMark = View.PartialIndex >= 0 ? $"so far{View.Periods[View.PartialIndex].ToDateSuffix}" : null,
        channels = View.Channels.Select(c => new { channel = c.Channel.ToString(), label = c.Label, referrals = c.Referrals }),
        touches = View.TouchesThisMonth.Select(t => new { method = Display.Words(t.Method), touches = t.Touches }),
    });

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // The clinic filter's choices change only with a write to the practice: cached like the dashboard.
        Clinics = await cache.GetOrComputeAsync<IReadOnlyList<ClinicSummary>>("dashboard-clinics",
            async ct => await organizations.ClinicsAsync(includeArchived: false, ct), cancellationToken);
        var problems = new List<string>();
        var query = new DashboardQuery { ClinicId = ClinicId, From = ParseMonth(From, "From", problems), To = ParseMonth(To, "To", problems) };
        try
        {
            View = await dashboard.GetAsync(query, cancellationToken);
        }
        catch (ValidationException e)
        {
            // Show what was wrong and the default view rather than an error page.
            problems.AddRange(e.Errors.SelectMany(p => p.Value));
            ClinicId = null;
            View = await dashboard.GetAsync(new DashboardQuery(), cancellationToken);
        }
        FilterProblems = problems;
        From = View.From.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        To = View.To.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    }

    private static DateOnly? ParseMonth(string? value, string field, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (DateOnly.TryParseExact(value.Trim(), ["yyyy-MM", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        problems.Add($"{field}: \"{value}\" is not a month (yyyy-MM).");
        return null;
    }

    /// <summary>
    /// An inline SVG sparkline of monthly counts, scaled to the source's own peak: no script needed.
    /// The line runs over complete months only and ends at the last one; the month so far
    /// (<paramref name="partialIndex"/>) is a hollow dot, so a line never plunges into a month
    /// that has only just begun. Months after it (a range that runs into the future) are not drawn.
    /// </summary>
    public static SparklineShape Sparkline(IReadOnlyList<int> monthly, int partialIndex, int width = 120, int height = 24)
    {
        var peak = Math.Max(1, monthly.Count == 0 ? 1 : monthly.Max());
        var step = monthly.Count > 1 ? (double)width / (monthly.Count - 1) : 0;
        (string X, string Y) Point(int i) => (
            (i * step).ToString("0.#", CultureInfo.InvariantCulture),
            (height - 1 - (double)monthly[i] / peak * (height - 2)).ToString("0.#", CultureInfo.InvariantCulture));
        var complete = partialIndex >= 0 ? partialIndex : monthly.Count;
        var points = string.Join(" ", Enumerable.Range(0, complete).Select(Point).Select(p => $"{p.X},{p.Y}"));
        return new SparklineShape(points, partialIndex >= 0 && partialIndex < monthly.Count ? Point(partialIndex) : null);
    }

    public sealed record SparklineShape(string Points, (string X, string Y)? Partial);

    /// <summary>The sparkline's text for a screen reader: the counts, the month so far named as such.</summary>
    public static string SparklineLabel(string name, IReadOnlyList<int> monthly, IReadOnlyList<MonthPeriod> periods) =>
        $"Monthly referrals from {name}: " + string.Join(", ", monthly.Select((count, i) => periods[i].Partial ? $"{periods[i].Label} so far {count}" : count.ToString(CultureInfo.InvariantCulture)));

    /// <summary>"1–2 Nov", or "1 Nov" for a single day.</summary>
    public static string Days(DateOnly from, DateOnly through) => from == through
        ? from.ToString("d MMM", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{from.Day}–{through:d MMM}");
}
