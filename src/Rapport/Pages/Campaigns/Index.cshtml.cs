using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Campaigns;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;

namespace Rapport.Pages.Campaigns;

/// <summary>
/// The practice's campaigns with what each cost and brought. The filters are the <c>campaigns</c> export's
/// parameters (<c>clinicId</c>, <c>kind</c>, <c>year</c>, <c>archived</c>), so the download has the rows on screen.
/// </summary>
public sealed class IndexModel(CampaignResultsService results, OrganizationService organizations, PracticeClock time) : PageModel
{
    public IReadOnlyList<CampaignSummary> Rows { get; private set; } = [];
    public List<ClinicSummary> Clinics { get; private set; } = [];
    public CampaignListQuery Query { get; private set; } = new();
    public IReadOnlyList<int> Years { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
        var thisYear = time.Today().Year;
        Years = [.. Enumerable.Range(thisYear - 5, 7).Reverse()];
        try
        {
            Query = CampaignsExport.Query(new Exports.ExportFilters(Downloads.Filters(Request.Query)));
            Rows = await results.SummariesAsync(Query, cancellationToken);
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "");
        }
    }

    /// <summary>"$1,200.00 of $1,500.00 budget"; just the cost when there is no budget.</summary>
    public static string CostVersusBudget(CampaignSummary c) =>
        c.Budget is { } budget ? $"{Display.Dollars(c.ActualCost)} of {Display.Dollars(budget)}" : Display.Dollars(c.ActualCost);

    /// <summary>"$3.40 back per $1"; a dash when there is no cost or no valued revenue to divide.</summary>
    public static string ReturnOnSpend(CampaignSummary c) =>
        c.ReturnOnSpend is { } r ? $"${r.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} back per $1" : "—";

    public static string Dates(CampaignSummary c) =>
        c.EndsOn is { } end ? (end == c.StartsOn ? Display.Date(c.StartsOn) : $"{Display.Date(c.StartsOn)} – {Display.Date(end)}") : $"{Display.Date(c.StartsOn)} – ongoing";
}
