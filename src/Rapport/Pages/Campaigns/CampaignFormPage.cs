using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Campaigns;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Users;

namespace Rapport.Pages.Campaigns;

/// <summary>The campaign form as posted: lists the model binder fills (clinic boxes, cost rows) and the fields of <see cref="CampaignInput"/>.</summary>
public sealed class CampaignForm
{
    public string? Name { get; set; }
    public CampaignKind? Kind { get; set; }
    public DateOnly? StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public string? OwnerUserId { get; set; }
    public decimal? Budget { get; set; }
    public string? TargetSpecialties { get; set; }
    public string? Notes { get; set; }
    public List<int> ClinicIds { get; set; } = [];
    public List<CampaignCostRow> Costs { get; set; } = [];

    public CampaignInput ToInput() => new()
    {
        Name = Name, Kind = Kind, StartsOn = StartsOn, EndsOn = EndsOn, OwnerUserId = OwnerUserId, Budget = Budget,
        TargetSpecialties = TargetSpecialties, Notes = Notes, ClinicIds = ClinicIds,
        Costs = [.. Costs.Select(c => new CampaignCostInput { Description = c.Description, Amount = c.Amount, IncurredOn = c.IncurredOn })],
    };
}

public sealed class CampaignCostRow
{
    public string? Description { get; set; }
    public decimal? Amount { get; set; }
    public DateOnly? IncurredOn { get; set; }
}

/// <summary>What the new and edit campaign pages share: the bound form, its choices and saving.</summary>
public abstract class CampaignFormPage(UserDirectory users, OrganizationService organizations) : PageModel
{
    /// <summary>Blank cost rows under the existing ones, so lines can be added without script.</summary>
    public const int BlankCostRows = 3;

    [BindProperty] public CampaignForm Input { get; set; } = new();

    public List<UserSummary> Owners { get; private set; } = [];
    public List<ClinicSummary> Clinics { get; private set; } = [];

    /// <summary>The signed-in user, who owns a new campaign unless someone else is chosen.</summary>
    protected Task<string?> ActingUserIdAsync(CancellationToken cancellationToken) => users.ActingUserIdAsync(cancellationToken);

    protected async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        Owners = await users.ListAsync(cancellationToken);
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
        // Rows left blank are dropped on save; the form always offers a few more.
        Input.Costs = [.. Input.Costs.Where(c => Formats.Clean(c.Description) is not null || c.Amount is not null || c.IncurredOn is not null)];
        Input.Costs.AddRange(Enumerable.Range(0, BlankCostRows).Select(_ => new CampaignCostRow()));
    }

    /// <summary>Saves through the service; false means the form shows its errors (cost lines keep their row numbers).</summary>
    protected async Task<int?> TrySaveAsync(Func<CampaignInput, Task<Campaign>> save, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                return (await save(Input.ToInput())).Id;
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e);
            }
        }
        await LoadChoicesAsync(cancellationToken);
        return null;
    }
}
