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
public sealed class IndexModel(DashboardService dashboard, OrganizationService organizations) : PageModel
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
        months = View.Months.Select(m => m.ToString("MMM yyyy", CultureInfo.InvariantCulture)),
        channels = View.Channels.Select(c => new { channel = c.Channel.ToString(), label = c.Label, referrals = c.Referrals }),
        touches = View.TouchesThisMonth.Select(t => new { method = Display.Words(t.Method), touches = t.Touches }),
    });

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Clinics = await organizations.ClinicsAsync(includeArchived: false, cancellationToken);
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

    /// <summary>An inline SVG polyline of monthly counts: no script needed, scaled to the source's own peak.</summary>
    public static string SparklinePoints(IReadOnlyList<int> monthly, int width = 120, int height = 24)
    {
        var peak = Math.Max(1, monthly.Max());
        var step = monthly.Count > 1 ? (double)width / (monthly.Count - 1) : 0;
        return string.Join(" ", monthly.Select((value, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{i * step:0.#},{height - 1 - (double)value / peak * (height - 2):0.#}")));
    }
}
