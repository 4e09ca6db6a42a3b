using Microsoft.Extensions.DependencyInjection;
using Rapport.Campaigns;
using Rapport.Data;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Reports;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Campaigns;

/// <summary>
/// A campaign history worked out by hand (today is 17 June 2026, window 90 days unless a test changes it):
/// <list type="bullet">
/// <item>Health fair "Spring Health Fair" on 15 Jan 2026, budget $500, cost lines $300.00 + $45.50, targets Orthopedic Surgery.
///   Touches: Adams ($20.00), Brown, Chase ($12.25) — actual cost $377.75.</item>
/// <item>Newsletter "Ortho Newsletter" from 1 Apr 2026 (ongoing), no target specialties: touch Brown on 10 Apr.</item>
/// <item>Adams: a touch outside any campaign on 10 Feb; referrals 14 Feb (30 days after the fair: the fair's; evaluated, Medicare, 10 visits)
///   and 15 May (120 days after: nobody's at 90 days; the fair's at 130).</item>
/// <item>Brown: referrals 1 Mar (the fair's; self-pay, 4 visits, no rate) and 20 Apr (the newsletter's: last campaign touch wins).</item>
/// <item>Chase: a referral on 1 Dec 2025, before the fair (so not new), and 1 Feb 2026 (the fair's; evaluated, Commercial, 6 visits).</item>
/// <item>A direct-access patient who named the fair at intake on 20 Jan (evaluated, Commercial, 2 visits).</item>
/// <item>Not reached: Dunn (Orthopedic Surgery), Ellis (Family Medicine), Ford (Orthopedic Surgery, archived).</item>
/// </list>
/// Rates: Medicare $100.00, Commercial $120.50; self-pay has none. The fair: 4 referrals (3 via touches, 1 at intake), 3 evaluated,
/// 22 visits, revenue 10×100 + 8×120.50 = $1,964.00 with 4 self-pay visits unpriced, new sources Adams and Brown,
/// $377.75 / 2 = $188.88 per new source, $377.75 / 4 = $94.44 per referral, $1,964.00 / $377.75 = $5.20 back per $1.
/// </summary>
internal static class CampaignHistory
{
    public static readonly DateOnly FairDay = new(2026, 1, 15);

    public sealed record Ids(int Fair, int Newsletter, int Adams, int Brown, int Chase, int Dunn, int Ellis, int Ford);

    public static async Task<Ids> SeedAsync(RapportApp app, TestOrganization org) =>
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            ReferralSource Source(string first, string last, string specialty, bool archived = false) => new()
            {
                FirstName = first, LastName = last, Credential = "MD", Specialty = specialty, ClinicId = org.ClinicId,
                CreatedAt = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), ArchivedAt = archived ? TestClock.UtcNow : null,
            };
            var adams = Source("Ann", "Adams", "Orthopedic Surgery");
            var brown = Source("Ben", "Brown", "Orthopedic Surgery");
            var chase = Source("Cara", "Chase", "Orthopedic Surgery");
            var dunn = Source("Dan", "Dunn", "Orthopedic Surgery");
            var ellis = Source("Eve", "Ellis", "Family Medicine");
            var ford = Source("Fay", "Ford", "Orthopedic Surgery", archived: true);
            db.AddRange(adams, brown, chase, dunn, ellis, ford);
            var fair = new Campaign
            {
                Name = "Spring Health Fair", Kind = CampaignKind.HealthFair, StartsOn = FairDay, EndsOn = FairDay, Budget = 500m,
                TargetSpecialties = "Orthopedic Surgery", CreatedAt = TestClock.UtcNow, UpdatedAt = TestClock.UtcNow,
                Costs = [new CampaignCost { Description = "Booth fee", Amount = 300m }, new CampaignCost { Description = "Printing", Amount = 45.50m }],
            };
            var newsletter = new Campaign { Name = "Ortho Newsletter", Kind = CampaignKind.Newsletter, StartsOn = new DateOnly(2026, 4, 1),
                CreatedAt = TestClock.UtcNow, UpdatedAt = TestClock.UtcNow };
            db.AddRange(fair, newsletter);
            await db.SaveChangesAsync();
            Touch(db, adams.Id, FairDay, fair.Id, 20m);
            Touch(db, brown.Id, FairDay, fair.Id, null);
            Touch(db, chase.Id, FairDay, fair.Id, 12.25m);
            Touch(db, brown.Id, new DateOnly(2026, 4, 10), newsletter.Id, null);
            Touch(db, adams.Id, new DateOnly(2026, 2, 10), null, null);
            await db.SaveChangesAsync();

            await sp.GetRequiredService<RevenueRates>().SaveAsync(new Dictionary<PayerCategory, decimal?>
            {
                [PayerCategory.Medicare] = 100m, [PayerCategory.Commercial] = 120.50m,
            });
            var patients = sp.GetRequiredService<PatientService>();
            var referrals = sp.GetRequiredService<ReferralService>();
            var n = 0;
            async Task Refer(int? source, DateOnly received, DateOnly? evaluated = null, PayerCategory? payer = null, int visits = 0, int? campaign = null)
            {
                n++;
                var patient = await patients.CreateAsync(new PatientInput { ExternalId = $"CA-{n}", FirstName = "Pat", LastName = $"Campaign{n}", BirthDate = new DateOnly(1960, 1, 1).AddDays(n) });
                var created = await referrals.CreateAsync(new ReferralInput
                {
                    PatientId = patient.Id, SourceId = source, ClinicId = org.ClinicId, ReceivedOn = received, EvaluatedOn = evaluated,
                    PayerCategory = payer, VisitCount = visits, AcquisitionChannel = source is null ? AcquisitionChannel.Event : null,
                });
                if (campaign is not null)
                {
                    // The intake door that names a campaign is another helper's; the column is set as that door will.
                    var row = await db.Referrals.FindAsync(created.Id);
                    row!.CampaignId = campaign;
                    await db.SaveChangesAsync();
                }
            }
            await Refer(adams.Id, new DateOnly(2026, 2, 14), new DateOnly(2026, 2, 16), PayerCategory.Medicare, 10);
            await Refer(adams.Id, new DateOnly(2026, 5, 15));
            await Refer(brown.Id, new DateOnly(2026, 3, 1), null, PayerCategory.SelfPay, 4);
            await Refer(brown.Id, new DateOnly(2026, 4, 20));
            await Refer(chase.Id, new DateOnly(2025, 12, 1));
            await Refer(chase.Id, new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 3), PayerCategory.Commercial, 6);
            await Refer(null, new DateOnly(2026, 1, 20), new DateOnly(2026, 1, 22), PayerCategory.Commercial, 2, campaign: fair.Id);
            return new Ids(fair.Id, newsletter.Id, adams.Id, brown.Id, chase.Id, dunn.Id, ellis.Id, ford.Id);
        });

    private static void Touch(RapportDbContext db, int source, DateOnly on, int? campaign, decimal? cost) =>
        db.Touchpoints.Add(new Touchpoint { SourceId = source, OccurredOn = on, Method = TouchMethod.Event, CampaignId = campaign, Cost = cost, Purpose = "Met at the booth" });
}
