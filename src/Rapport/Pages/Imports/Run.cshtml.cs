using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Imports;
using Rapport.Users;

namespace Rapport.Pages.Imports;

/// <summary>One import's run: a progress bar while it works (imports.js polls the Status handler), then what it did.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class RunModel(ImportRuns runs, StaffNames staff) : PageModel
{
    public ImportRun Run { get; private set; } = null!;
    public ImportProgress? Progress { get; private set; }
    public StaffNameBook Names { get; private set; } = new([]);

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return Redirect("/Imports");
        }
        try
        {
            (Run, Progress) = await runs.ShowAsync(id.Value, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        if (Run.Status == ImportRunStatus.Draft)
        {
            return Redirect($"/Imports/Map?id={Run.Id}");
        }
        Names = await staff.BookAsync(cancellationToken);
        return Page();
    }

    /// <summary>The JSON the progress bar polls.</summary>
    public async Task<IActionResult> OnGetStatusAsync(int? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return NotFound();
        }
        try
        {
            var (run, progress) = await runs.StatusAsync(id.Value, cancellationToken);
            return new JsonResult(new
            {
                id = run.Id, status = run.Status.ToString(), finished = run.IsFinished,
                stage = progress?.Stage, done = progress?.Done ?? 0, total = progress?.Total ?? 0,
            });
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }
}
