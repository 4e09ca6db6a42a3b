using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Imports;
using Rapport.Users;

namespace Rapport.Pages.Imports;

/// <summary>Imports in the app: upload a CSV or XLSX file (then map and check it), and the history with undo.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.Manager)]
[RequestSizeLimit(MaxUploadBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes + 1024 * 1024)]
public sealed class IndexModel(ImportRuns runs, ImportMappings mappings, StaffNames staff) : PageModel
{
    /// <summary>Largest upload kept for the mapping step; larger files go through <c>rapport import</c> (streamed).</summary>
    public const long MaxUploadBytes = 50 * 1024 * 1024;

    [BindProperty] public ImportKind Kind { get; set; } = ImportKind.Referrals;
    [BindProperty] public string? MappingName { get; set; }

    public IReadOnlyList<ImportRun> History { get; private set; } = [];
    public IReadOnlyList<ImportMapping> Mappings { get; private set; } = [];
    public StaffNameBook Names { get; private set; } = new([]);
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        try
        {
            if (file is null || file.Length == 0)
            {
                throw new ValidationException("file", "Choose a CSV or XLSX file.");
            }
            if (file.Length > MaxUploadBytes)
            {
                throw new ValidationException("file", $"The file is {file.Length / (1024 * 1024)} MB; up to {MaxUploadBytes / (1024 * 1024)} MB can be uploaded here. Use `rapport import` for larger files.");
            }
            IReadOnlyDictionary<string, string>? saved = null;
            if (Formats.Clean(MappingName) is { } name)
            {
                saved = (await mappings.FindAsync(Kind, name, cancellationToken))?.ColumnMap()
                    ?? throw new ValidationException("mappingName", $"No {Kind.ToString().ToLowerInvariant()} mapping is called '{name}'.");
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            var run = await runs.UploadAsync(Kind, file.FileName, buffer.ToArray(), saved, Formats.Clean(MappingName), cancellationToken);
            return Redirect($"/Imports/Map?id={run.Id}");
        }
        catch (ValidationException e)
        {
            Problem = string.Join(" ", e.Errors.SelectMany(x => x.Value));
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostUndoAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            TempData["Notice"] = await runs.UndoAsync(id, cancellationToken);
        }
        catch (ValidationException e)
        {
            TempData["ImportProblem"] = string.Join(" ", e.Errors.SelectMany(x => x.Value));
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        return Redirect("/Imports");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        History = await runs.HistoryAsync(cancellationToken: cancellationToken);
        Mappings = await mappings.ListAsync(cancellationToken: cancellationToken);
        Names = await staff.BookAsync(cancellationToken);
        Problem ??= TempData["ImportProblem"] as string;
    }
}
