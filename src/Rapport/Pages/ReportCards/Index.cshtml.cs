using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Pages.Shared;
using Rapport.ReportCards;

namespace Rapport.Pages.ReportCards;

public sealed record BatchInput
{
    public string? Period { get; init; } = ReportCardPeriod.DefaultText;
    public string? Owner { get; init; }
    public string? Clinic { get; init; }
}

/// <summary>Report cards for many sources at once: start a background job, watch it, download the zip.</summary>
public sealed class IndexModel(ReportCardJobs jobs, PracticeClock time, Users.StaffNames staff) : PageModel
{
    [BindProperty] public BatchInput Input { get; set; } = new();

    public IReadOnlyList<ReportCardJob> Jobs { get; private set; } = [];

    public bool AnyRunning => Jobs.Any(j => j.Status is ReportCardJobStatus.Queued or ReportCardJobStatus.Running);

    /// <summary>Staff names, to show who started each batch by the one name rule.</summary>
    public Users.StaffNameBook Names { get; private set; } = new([]);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Jobs = await jobs.RecentAsync(cancellationToken: cancellationToken);
        Names = await staff.BookAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (from, to) = ReportCardPeriod.Parse(Input.Period, time.Today());
            var job = await jobs.StartAsync(from, to, new ReportCardBatchFilter { Owner = Input.Owner, Clinic = Input.Clinic }, cancellationToken);
            TempData["Notice"] = $"Started: {job.Total} report cards for {ReportCardPeriod.Describe(from, to)}.";
            return Redirect("/ReportCards");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, renames: new Dictionary<string, string> { ["sources"] = "Input.Period" });
        }
        Jobs = await jobs.RecentAsync(cancellationToken: cancellationToken);
        Names = await staff.BookAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetZipAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            var job = await jobs.GetAsync(id, cancellationToken);
            var buffer = new MemoryStream();
            await jobs.WriteZipAsync(id, buffer, cancellationToken);
            buffer.Position = 0;
            return File(buffer, "application/zip", ReportCardJobs.ZipName(job));
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationException e)
        {
            return BadRequest(e.Message);
        }
    }
}
