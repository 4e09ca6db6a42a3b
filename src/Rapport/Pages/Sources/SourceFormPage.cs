using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Organizations;
using Rapport.Sources;
using Rapport.Users;

namespace Rapport.Pages.Sources;

/// <summary>What the add and edit source pages share: the bound input and the choices for its selects.</summary>
public abstract class SourceFormPage(UserDirectory users, OrganizationService organizations) : PageModel
{
    [BindProperty] public SourceInput Input { get; set; } = new();

    public List<UserSummary> Owners { get; private set; } = [];
    public List<ClinicSummary> Clinics { get; private set; } = [];

    protected async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        Owners = await users.ListAsync(cancellationToken);
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
    }
}
