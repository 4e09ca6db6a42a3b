using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Nps;
using Rapport.Referrals;
using Rapport.Users;

namespace Rapport.Demo;

/// <summary>
/// Survey history for the demo practice: an invitation for every discharged episode, about four in
/// ten answered, with scores that differ by clinic and therapist so the groupings tell a story.
/// Deterministic for a seed and a "today", like the rest of the demo.
/// </summary>
internal sealed class NpsDemo(RapportDbContext db, PracticeClock time)
{
    private static readonly string[] PromoterComments =
    [
        "Everyone knew my name and my goals. I'm back to hiking.", "My therapist explained every exercise and why it mattered.",
        "Scheduling was easy and I never waited.", "I can climb stairs again without thinking about it.", "Best care I've had after surgery.",
    ];
    private static readonly string[] PassiveComments =
    [
        "Good therapy, but parking is hard.", "Helpful, though sessions sometimes started late.", "Fine overall; the home program was a bit vague.",
    ];
    private static readonly string[] DetractorComments =
    [
        "I waited 25 minutes past my appointment twice.", "Billing surprised me with a charge nobody mentioned.",
        "I saw a different therapist every visit.", "The front desk lost my paperwork.", "I still have pain and nobody followed up.",
    ];

    /// <summary>Mean answer by clinic position: the second clinic delights, the third struggles.</summary>
    private static readonly double[] ClinicMeans = [8.4, 9.1, 7.5];

    public async Task SeedAsync(int seed, CancellationToken cancellationToken)
    {
        var organizationId = db.Organization.RequiredId;
        var today = time.Today();
        var now = time.GetUtcNow().UtcDateTime;
        var clinics = await db.Clinics.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(cancellationToken);
        // The most recent discharges only: enough history for trends, and the large benchmark network stays quick to seed.
        var episodes = await db.Referrals.AsNoTracking().Where(r => r.DischargedOn != null).OrderByDescending(r => r.DischargedOn).ThenBy(r => r.Id)
            .Select(r => new { r.Id, r.PatientId, r.ClinicId, r.Therapist, r.SourceId, r.PayerCategory, DischargedOn = r.DischargedOn!.Value })
            .Take(5_000).ToListAsync(cancellationToken);
        var manager = await db.Users.Where(u => u.OrganizationId == organizationId)
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Manager)))
            .OrderBy(u => u.Email).Select(u => new { u.Id, u.Email }).FirstOrDefaultAsync(cancellationToken);
        var random = new Random(DemoPlan.Mix(seed, 11, 0));

        var pairs = new List<(SurveyInvitation Invitation, NpsResponse? Response)>();
        foreach (var episode in episodes)
        {
            var sentAt = episode.DischargedOn.ToDateTime(new TimeOnly(17, 0), DateTimeKind.Utc);
            var invitation = new SurveyInvitation
            {
                OrganizationId = organizationId,
                TokenHash = SurveyInvitations.HashToken($"demo:{organizationId}:{seed}:{episode.Id}"),
                PatientId = episode.PatientId, ReferralId = episode.Id, ClinicId = episode.ClinicId, Therapist = episode.Therapist,
                SourceId = episode.SourceId, PayerCategory = episode.PayerCategory, Trigger = InvitationTrigger.Discharge,
                CreatedAt = sentAt, ExpiresAt = sentAt.AddDays(30),
            };
            NpsResponse? response = null;
            var respondedOn = episode.DischargedOn.AddDays(1 + random.Next(6));
            if (random.NextDouble() < 0.42 && respondedOn <= today)
            {
                var clinicIndex = Math.Max(0, clinics.IndexOf(episode.ClinicId));
                var mean = ClinicMeans[clinicIndex % ClinicMeans.Length] + TherapistOffset(episode.Therapist);
                var score = Math.Clamp((int)Math.Round(mean + 1.5 * Gaussian(random)), 0, 10);
                var category = NpsScore.CategoryOf(score);
                var comment = random.NextDouble() < 0.45
                    ? Pick(random, category switch { NpsCategory.Promoter => PromoterComments, NpsCategory.Passive => PassiveComments, _ => DetractorComments })
                    : null;
                invitation.AnsweredAt = respondedOn.ToDateTime(new TimeOnly(19, 30), DateTimeKind.Utc);
                response = new NpsResponse
                {
                    OrganizationId = organizationId, ReferralId = episode.Id, ClinicId = episode.ClinicId, Therapist = episode.Therapist,
                    SourceId = episode.SourceId, PayerCategory = episode.PayerCategory, Score = score, Comment = comment,
                    ShareWithPhysician = comment is not null && random.NextDouble() < 0.6, RespondedOn = respondedOn,
                    CreatedAt = invitation.AnsweredAt.Value, Origin = ResponseOrigin.Survey,
                };
            }
            pairs.Add((invitation, response));
        }
        db.AddRange(pairs.Select(p => p.Invitation));
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (invitation, response) in pairs.Where(p => p.Response is not null))
        {
            response!.InvitationId = invitation.Id;
            db.Add(response);
        }
        await db.SaveChangesAsync(cancellationToken);

        // Detractors: the last month's still wait for a call; older ones were followed up.
        foreach (var response in pairs.Select(p => p.Response).OfType<NpsResponse>().Where(r => NpsScore.CategoryOf(r.Score) == NpsCategory.Detractor))
        {
            var recent = response.RespondedOn >= today.AddDays(-SurveyResponses.FollowUpWindowDays);
            db.Add(new DetractorFollowUp
            {
                OrganizationId = organizationId, ResponseId = response.Id, ClinicId = response.ClinicId, AssigneeUserId = manager?.Id,
                CreatedAt = response.CreatedAt,
                ClosedAt = recent ? null : response.CreatedAt.AddDays(2),
                ClosedBy = recent ? null : manager?.Email,
                Note = recent ? null : "Called the patient, apologized and explained what we changed.",
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>A stable −1.5..+0.9 per therapist name, so each keeps the same reputation across runs.</summary>
    private static double TherapistOffset(string? therapist)
    {
        if (therapist is null) return 0;
        var hash = 17;
        foreach (var c in therapist) hash = unchecked(hash * 31 + c);
        return (Math.Abs(hash % 25) - 15) / 10.0;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
