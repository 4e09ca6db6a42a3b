using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Referrals;
using Rapport.Sources;

namespace Rapport.Pages.Referrals;

/// <summary>Moves an episode along its timeline: scheduled, evaluated, discharged or lost, and visits.</summary>
public sealed class EditModel(ReferralService referrals, SourceQueries sources, OrganizationService organizations) : PageModel
{
    [BindProperty] public ReferralInput Input { get; set; } = new();
    [BindProperty] public string? SourceText { get; set; }
    /// <summary>physician or direct (<see cref="ChannelChoice"/>).</summary>
    [BindProperty] public string? ChannelKind { get; set; }
    [BindProperty] public global::Rapport.Patients.AcquisitionChannel? DirectChannel { get; set; }

    public ReferralSummary Referral { get; private set; } = null!;
    public List<ClinicSummary> Clinics { get; private set; } = [];
    public IReadOnlyList<CampaignChoice> Campaigns { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var r = Referral;
        Input = new ReferralInput
        {
            ExternalId = r.ExternalId, PatientId = r.PatientId, SourceId = r.SourceId, ClinicId = r.ClinicId, Therapist = r.Therapist,
            ReceivedOn = r.ReceivedOn, ScheduledOn = r.ScheduledOn, EvaluatedOn = r.EvaluatedOn, DischargedOn = r.DischargedOn, LostOn = r.LostOn,
            LostReason = r.LostReason, DiagnosisCodes = r.DiagnosisCodes, BodyRegion = r.BodyRegion, Procedure = r.Procedure,
            PayerCategory = r.PayerCategory, AcquisitionChannel = r.AcquisitionChannel, VisitCount = r.VisitCount, CampaignId = r.CampaignId,
        };
        (ChannelKind, DirectChannel) = ChannelChoice.Of(r.AcquisitionChannel, r.SourceId);
        if (r.SourceId is { } sid && await sources.SummaryAsync(sid, cancellationToken) is { } s)
        {
            SourceText = Pickers.SourceLabel(s);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var physician = ChannelKind != ChannelChoice.DirectAccess;
        var sourceId = physician ? await Pickers.ResolveSourceAsync(sources, Input.SourceId, SourceText, cancellationToken) : null;
        if (physician && sourceId is null && !string.IsNullOrWhiteSpace(SourceText))
        {
            ModelState.AddModelError(nameof(SourceText), $"No single source matches '{SourceText}'. Pick one from the suggestions or type its NPI.");
            return Page();
        }
        try
        {
            // The patient of an episode does not change here.
            if (ChannelKind is null)
            {
                throw new ValidationException("acquisitionChannel", "Say how the referral came: a physician referral (and which source) or direct access (and how the patient heard about us).");
            }
            if (ChannelKind == ChannelChoice.DirectAccess && DirectChannel is null)
            {
                throw new ValidationException("acquisitionChannel", "Direct access: choose how the patient heard about us.");
            }
            var channel = ChannelChoice.ChannelOf(ChannelKind, ChannelKind == ChannelChoice.DirectAccess ? DirectChannel : null);
            await referrals.UpdateAsync(id, Input with { SourceId = sourceId, PatientId = Referral.PatientId, AcquisitionChannel = channel,
                CampaignId = ChannelChoice.CampaignOf(ChannelKind, Input.CampaignId) }, cancellationToken);
            TempData["Notice"] = "Referral saved.";
            return Redirect($"/Patients/{Referral.PatientId}");
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, renames: ChannelChoice.Renames(ChannelKind));
            return Page();
        }
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        await referrals.DeleteAsync(id, cancellationToken);
        TempData["Notice"] = "Referral deleted.";
        return Redirect($"/Patients/{Referral.PatientId}");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        if (await referrals.GetAsync(id, cancellationToken) is not { } referral)
        {
            return false;
        }
        Referral = referral;
        Clinics = await organizations.ClinicsAsync(includeArchived: true, cancellationToken);
        Campaigns = await referrals.CampaignChoicesAsync(referral.CampaignId, cancellationToken);
        return true;
    }
}
