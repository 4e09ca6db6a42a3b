using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Exports;
using Rapport.Pages.Shared;
using Rapport.Sources;
using Rapport.Touchpoints;
using Rapport.Users;

namespace Rapport.Pages.Touchpoints;

/// <summary>
/// Every touch logged with sources, newest first, filtered by source, method, who made it and dates.
/// The filters are read by the same Core rule as its download (<see cref="TouchesExport.Query"/>), so
/// the page and the file always hold the same touches.
/// </summary>
public sealed class IndexModel(TouchpointService touches, SourceQueries sources, UserDirectory users) : PageModel
{
    public TouchpointListQuery Query { get; private set; } = new();
    public Paged<TouchpointSummary> Result { get; private set; } = new([], 0, 1, 50);
    public List<UserSummary> Staff { get; private set; } = [];
    public string? SourceText { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Read from the query string itself: "page" as a handler parameter would bind Razor Pages' own route value (the page's path).
        var page = int.TryParse(Request.Query["page"], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 1;
        Staff = await users.ListAsync(cancellationToken);
        try
        {
            Query = TouchesExport.Query(new ExportFilters(Downloads.Filters(Request.Query))) with { Page = page };
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "");
            return;
        }
        Result = await touches.ListAsync(Query, cancellationToken);
        if (Query.SourceId is { } sourceId && await sources.SummaryAsync(sourceId, cancellationToken) is { } source)
        {
            SourceText = Pickers.SourceLabel(source);
        }
    }

    public string PageUrl(int page) => Url.Page("/Touchpoints/Index", new
    {
        sourceId = Query.SourceId, method = Query.Method, by = Query.ByUserId,
        from = Query.From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        to = Query.To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), page,
    })!;
}
