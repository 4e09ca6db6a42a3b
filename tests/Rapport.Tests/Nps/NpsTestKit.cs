using Microsoft.Extensions.DependencyInjection;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Nps;

internal static class NpsTestKit
{
    /// <summary>A patient with an e-mail address and an episode discharged today (which invites them to the survey).</summary>
    public static Task<(int PatientId, int ReferralId)> DischargedPatientAsync(RapportApp app, TestOrganization org, string email = "jane.roe@example.test") =>
        app.InOrganizationAsync(org.Id, async sp =>
        {
            var today = TestClock.Today;
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput
            {
                ExternalId = "MRN-7", FirstName = "Jane", LastName = "Roe-Confidential", Email = email,
            });
            var referral = await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput
            {
                PatientId = patient.Id, ClinicId = org.ClinicId, Therapist = "Sam Park", ReceivedOn = today.AddDays(-40),
                EvaluatedOn = today.AddDays(-35), DischargedOn = today, VisitCount = 12, PayerCategory = PayerCategory.Commercial,
            });
            return (patient.Id, referral.Id);
        });
}
