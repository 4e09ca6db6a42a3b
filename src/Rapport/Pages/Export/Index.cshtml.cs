using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Exports;
using Rapport.Pages.Shared;

namespace Rapport.Pages.Export;

/// <summary>
/// A list page's download: <c>/Export/{kind}?format=csv|xlsx&amp;…</c> with the page's own filter
/// parameters. Every list page is open to every staff role, and so is its export.
/// </summary>
public sealed class IndexModel(ExportService exports) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string kind, string? format, CancellationToken cancellationToken)
    {
        try
        {
            var file = await exports.ExportAsync(kind, format, Downloads.Filters(Request.Query), cancellationToken);
            return File(file.Content, file.ContentType, file.FileName);
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }
}
