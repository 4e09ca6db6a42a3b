using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Audit;
using Rapport.Common;
using Rapport.Imports;
using Rapport.Users;

namespace Rapport.Pages.Imports;

/// <summary>
/// The mapping step of an uploaded file: each of the file's headers with the Rapport column it is
/// read as (guessed, or from a saved mapping), a dry run with every problem as FILE:LINE: column:
/// problem, the first rows as they will be read; then save the mapping for next time, or import.
/// </summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
public sealed class MapModel(ImportRuns runs, ImportMappings mappings, PatientDataAudit audit) : PageModel
{
    [BindProperty] public List<string> Headers { get; set; } = [];
    [BindProperty] public List<string?> Targets { get; set; } = [];
    [BindProperty] public bool SkipInvalid { get; set; }
    [BindProperty] public string? SaveAs { get; set; }

    public ImportRun Run { get; private set; } = null!;
    public ImportPreview Preview { get; private set; } = null!;
    public IReadOnlyList<ImportColumn> Columns { get; private set; } = [];
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return Redirect("/Imports");
        }
        try
        {
            Run = await runs.GetAsync(id.Value, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        if (Run.Status != ImportRunStatus.Draft)
        {
            return Redirect($"/Imports/Run?id={Run.Id}");
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Keeps the mapping as edited and shows the dry run again.</summary>
    public async Task<IActionResult> OnPostCheckAsync(int id, CancellationToken cancellationToken) =>
        await SaveMappingAsync(id, cancellationToken) ?? Redirect($"/Imports/Map?id={id}");

    /// <summary>Keeps the mapping and saves it under a name, for this kind's next files and <c>rapport import --mapping</c>.</summary>
    public async Task<IActionResult> OnPostSaveAsync(int id, CancellationToken cancellationToken)
    {
        if (await SaveMappingAsync(id, cancellationToken) is { } failed)
        {
            return failed;
        }
        try
        {
            var saved = await mappings.SaveAsync(Run.Kind, SaveAs, Mapping(), cancellationToken);
            await runs.SetMappingAsync(id, Mapping(), SkipInvalid, saved.Name, cancellationToken);
            TempData["Notice"] = $"Saved the mapping '{saved.Name}'.";
            return Redirect($"/Imports/Map?id={id}");
        }
        catch (ValidationException e)
        {
            return await ShowAsync(id, e, cancellationToken);
        }
    }

    /// <summary>Starts the import in the background and follows it on its progress page.</summary>
    public async Task<IActionResult> OnPostImportAsync(int id, CancellationToken cancellationToken)
    {
        if (await SaveMappingAsync(id, cancellationToken) is { } failed)
        {
            return failed;
        }
        await runs.QueueAsync(id, cancellationToken);
        return Redirect($"/Imports/Run?id={id}");
    }

    private Dictionary<string, string> Mapping()
    {
        var mapping = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Headers.Count; i++)
        {
            mapping[Headers[i]] = i < Targets.Count ? Targets[i] ?? "" : "";
        }
        return mapping;
    }

    private async Task<IActionResult?> SaveMappingAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            Run = await runs.SetMappingAsync(id, Mapping(), SkipInvalid, null, cancellationToken);
            return null;
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationException)
        {
            // No longer a draft: it has run; its page says how.
            return Redirect($"/Imports/Run?id={id}");
        }
    }

    private async Task<IActionResult> ShowAsync(int id, ValidationException e, CancellationToken cancellationToken)
    {
        Problem = string.Join(" ", e.Errors.SelectMany(x => x.Value));
        Run = await runs.GetAsync(id, cancellationToken);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Columns = runs.ColumnsOf(Run.Kind);
        Preview = await runs.PreviewAsync(Run.Id, cancellationToken: cancellationToken);
        SkipInvalid = Run.SkipInvalid;
        if (Preview.FirstRows.Count > 0 && ImportRuns.PatientEntityOf(Run.Kind) is { } entityType)
        {
            // The first rows of a patients, referrals or outcome-forms file are patient data shown on screen.
            await audit.ListedAsync(entityType, Preview.FirstRows.Count, $"import preview of upload {Run.Id}", cancellationToken);
        }
    }
}
