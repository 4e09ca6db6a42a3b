using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;

namespace Rapport.Pages.Referrals;

/// <summary>Front-desk intake: one screen, an existing or new patient, sensible defaults.</summary>
public sealed class NewModel(ReferralService referrals, PatientService patients, SourceQueries sources, OrganizationService organizations,
    PracticeClock time) : PageModel
{
    [BindProperty] public ReferralInput Input { get; set; } = new();
    [BindProperty] public PatientInput NewPatient { get; set; } = new();
    [BindProperty] public string? SourceText { get; set; }
    [BindProperty] public string? PatientText { get; set; }
    /// <summary>physician or direct (<see cref="ChannelChoice"/>).</summary>
    [BindProperty] public string? ChannelKind { get; set; }
    [BindProperty] public AcquisitionChannel? DirectChannel { get; set; }

    public List<ClinicSummary> Clinics { get; private set; } = [];
    public IReadOnlyList<CampaignChoice> Campaigns { get; private set; } = [];

    public async Task OnGetAsync(int? sourceId, int? patientId, CancellationToken cancellationToken)
    {
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
        Campaigns = await referrals.CampaignChoicesAsync(cancellationToken: cancellationToken);
        Input = new ReferralInput { SourceId = sourceId, PatientId = patientId, ReceivedOn = time.Today(), ClinicId = Clinics.Count == 1 ? Clinics[0].Id : null };
        if (sourceId is { } sid && await sources.SummaryAsync(sid, cancellationToken) is { } s)
        {
            SourceText = Pickers.SourceLabel(s);
            ChannelKind = ChannelChoice.Physician;
        }
        if (patientId is { } pid && await patients.GetAsync(pid, cancellationToken) is { } p)
        {
            PatientText = Pickers.PatientLabel(p);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
        Campaigns = await referrals.CampaignChoicesAsync(cancellationToken: cancellationToken);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        // Direct access has no source: whatever the hidden physician half still holds is not part of the answer.
        var physician = ChannelKind != ChannelChoice.DirectAccess;
        var sourceId = physician ? await Pickers.ResolveSourceAsync(sources, Input.SourceId, SourceText, cancellationToken) : null;
        var patientId = await Pickers.ResolvePatientAsync(patients, Input.PatientId, PatientText, cancellationToken);
        if (physician && sourceId is null && !string.IsNullOrWhiteSpace(SourceText))
        {
            ModelState.AddModelError(nameof(SourceText), $"No single source matches '{SourceText}'. Pick one from the suggestions or type its NPI.");
        }
        if (patientId is null && !string.IsNullOrWhiteSpace(PatientText))
        {
            ModelState.AddModelError(nameof(PatientText), $"No single patient matches '{PatientText}'. Pick one from the suggestions, type the MRN, or add a new patient below.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var creatingPatient = patientId is null && HasNewPatient();
        try
        {
            var channel = ChannelChoice.ChannelOf(ChannelKind, ChannelKind == ChannelChoice.DirectAccess ? DirectChannel : null);
            var referral = await referrals.IntakeAsync(Input with { SourceId = sourceId, PatientId = patientId, AcquisitionChannel = channel,
                    CampaignId = ChannelChoice.CampaignOf(ChannelKind, Input.CampaignId) },
                creatingPatient ? NewPatient : null, cancellationToken);
            TempData["Notice"] = "Referral saved.";
            return Redirect(sourceId is { } sid ? $"/Sources/{sid}" : $"/Patients/{referral.PatientId}");
        }
        catch (ValidationException e)
        {
            var (patientErrors, referralErrors) = Split(e);
            if (patientErrors is not null)
            {
                ModelState.AddErrors(patientErrors, nameof(NewPatient));
            }
            if (referralErrors is not null)
            {
                var renames = ChannelChoice.Renames(ChannelKind);
                renames["patientId"] = nameof(PatientText);
                ModelState.AddErrors(referralErrors, renames: renames);
            }
            return Page();
        }
    }

    private static (ValidationException? Patient, ValidationException? Referral) Split(ValidationException e)
    {
        var patient = e.Errors.Where(x => x.Key.StartsWith(ReferralService.NewPatientPrefix, StringComparison.Ordinal))
            .ToDictionary(x => x.Key[ReferralService.NewPatientPrefix.Length..], x => x.Value);
        var referral = e.Errors.Where(x => !x.Key.StartsWith(ReferralService.NewPatientPrefix, StringComparison.Ordinal)).ToDictionary();
        return (patient.Count > 0 ? new ValidationException(patient) : null, referral.Count > 0 ? new ValidationException(referral) : null);
    }

    private bool HasNewPatient() =>
        new[] { NewPatient.ExternalId, NewPatient.FirstName, NewPatient.LastName, NewPatient.Phone, NewPatient.Email }.Any(v => !string.IsNullOrWhiteSpace(v)) || NewPatient.BirthDate is not null;
}
