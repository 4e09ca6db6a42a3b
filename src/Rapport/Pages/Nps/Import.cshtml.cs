using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Nps;

namespace Rapport.Pages.Nps;

public sealed class ImportModel(NpsImport import) : PageModel
{
    public NpsImportResult? Result { get; private set; }
    public List<string> Problems { get; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Problems.Add("Choose a CSV file.");
            return Page();
        }
        try
        {
            using var reader = new StreamReader(file.OpenReadStream());
            Result = await import.ImportCsvAsync(reader, cancellationToken);
        }
        catch (ValidationException e)
        {
            Problems.AddRange(e.Errors.SelectMany(error => error.Value.Select(message => $"{error.Key}: {message}")));
        }
        return Page();
    }
}
