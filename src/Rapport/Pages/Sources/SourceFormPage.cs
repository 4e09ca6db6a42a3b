using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Registry;
using Rapport.Sources;
using Rapport.Users;

namespace Rapport.Pages.Sources;

/// <summary>What the add and edit source pages share: the bound input and the choices for its selects.</summary>
public abstract class SourceFormPage(UserDirectory users, OrganizationService organizations) : PageModel
{
    [BindProperty] public SourceInput Input { get; set; } = new();

    public List<UserSummary> Owners { get; private set; } = [];

    /// <summary>What the NPI registry said about the form's NPI (the "Fill from registry" button, or a save that filled blanks).</summary>
    public string? RegistryMessage { get; protected set; }
    public bool RegistryWarning { get; protected set; }
    public List<ClinicSummary> Clinics { get; private set; } = [];

    /// <summary>
    /// "Fill from registry" without script: fills the form's blank fields from the registry by the save
    /// rule (<see cref="SourceService.FillBlanks"/>) and shows the form again, nothing saved.
    /// </summary>
    protected async Task FillFromRegistryAsync(RegistryLookup registry, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (Formats.Clean(Input.Npi) is not { } npi || !Formats.IsValidNpi(npi))
        {
            (RegistryMessage, RegistryWarning) = ("Type a valid NPI (ten digits with a check digit) to fill the form from the NPI registry.", true);
            return;
        }
        var result = await registry.FindAsync(npi, cancellationToken);
        var filled = SourceService.FillBlanks(Input, result.Fields);
        var fill = new RegistryFill(result, SourceService.FilledFields(Input, filled));
        Input = filled;
        RegistryWarning = result.Status != RegistryStatus.Found;
        RegistryMessage = fill.Notice ?? (result.Status == RegistryStatus.Found ? "Nothing to fill: every field the registry has is already filled." : result.Message);
    }

    protected async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        Owners = await users.ListAsync(cancellationToken);
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
    }
}
