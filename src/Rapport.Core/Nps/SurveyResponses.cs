using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Users;

namespace Rapport.Nps;

public enum SurveyState { Open, Answered, Expired, Unknown }

/// <summary>What the public page may show: the practice's name and nothing about the patient.</summary>
public sealed record SurveyPage(SurveyState State, string? PracticeName);

public sealed record SurveyAnswer(int? Score, string? Comment, bool ShareWithPhysician);

/// <summary><see cref="ReviewUrl"/> is set only for a promoter of a practice that has one.</summary>
public sealed record SurveyOutcome(SurveyState State, string? PracticeName, bool Accepted, string? ReviewUrl);

/// <summary>The public survey: reads and answers an invitation by its token, exactly once.</summary>
public sealed class SurveyResponses(RapportDbContext db, UserDirectory users, PracticeClock time)
{
    /// <summary>Detractor follow-ups are opened only for answers this recent (imports bring older history).</summary>
    public const int FollowUpWindowDays = 30;

    public async Task<SurveyPage> OpenAsync(string token, CancellationToken cancellationToken = default)
    {
        var (invitation, practice) = await FindAsync(token, cancellationToken);
        return new SurveyPage(StateOf(invitation), practice);
    }

    public async Task<SurveyOutcome> AnswerAsync(string token, SurveyAnswer answer, CancellationToken cancellationToken = default)
    {
        var (invitation, practice) = await FindAsync(token, cancellationToken);
        var state = StateOf(invitation);
        if (state != SurveyState.Open || invitation is null)
        {
            return new SurveyOutcome(state, practice, false, null);
        }
        var problems = new Problems();
        if (answer.Score is not { } score || !NpsScore.IsValidAnswer(score))
        {
            problems.Add("score", "Choose a number from 0 to 10.");
        }
        if (answer.Comment?.Length > 2000)
        {
            problems.Add("comment", "The comment can be at most 2000 characters.");
        }
        problems.ThrowIfAny();

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // The conditional update is the lock: of two submits, only one finds AnsweredAt still empty.
            var claimed = await db.Set<SurveyInvitation>()
                .Where(i => i.Id == invitation.Id && i.AnsweredAt == null && i.ExpiresAt >= now)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AnsweredAt, now), cancellationToken);
            if (claimed == 0)
            {
                return new SurveyOutcome(SurveyState.Answered, practice, false, null);
            }
            var response = new NpsResponse
            {
                InvitationId = invitation.Id,
                ReferralId = invitation.ReferralId,
                ClinicId = invitation.ClinicId,
                Therapist = invitation.Therapist,
                SourceId = invitation.SourceId,
                PayerCategory = invitation.PayerCategory,
                Score = answer.Score!.Value,
                Comment = Formats.Clean(answer.Comment),
                ShareWithPhysician = answer.ShareWithPhysician && Formats.Clean(answer.Comment) is not null,
                RespondedOn = time.Today(),
                CreatedAt = now,
                Origin = ResponseOrigin.Survey,
            };
            db.Add(response);
            await db.SaveChangesAsync(cancellationToken);
            await OpenFollowUpIfDetractorAsync(response, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index on InvitationId caught a race the update did not.
            db.ChangeTracker.Clear();
            return new SurveyOutcome(SurveyState.Answered, practice, false, null);
        }
        string? review = null;
        if (NpsScore.CategoryOf(answer.Score!.Value) == NpsCategory.Promoter)
        {
            review = await db.Set<NpsSettings>().Select(s => s.ReviewUrl).FirstOrDefaultAsync(cancellationToken);
        }
        return new SurveyOutcome(SurveyState.Answered, practice, true, review);
    }

    /// <summary>Every recent detractor answer gets a follow-up task, assigned to a manager of the practice when there is one.</summary>
    internal async Task OpenFollowUpIfDetractorAsync(NpsResponse response, CancellationToken cancellationToken)
    {
        if (NpsScore.CategoryOf(response.Score) != NpsCategory.Detractor || response.RespondedOn < time.Today().AddDays(-FollowUpWindowDays))
        {
            return;
        }
        var manager = (await users.ListAsync(cancellationToken)).Where(u => u.Roles.Contains(Roles.Manager)).OrderBy(u => u.Email).FirstOrDefault();
        db.Add(new DetractorFollowUp
        {
            ResponseId = response.Id,
            ClinicId = response.ClinicId,
            AssigneeUserId = manager?.Id,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private SurveyState StateOf(SurveyInvitation? invitation) =>
        invitation is null ? SurveyState.Unknown
        : invitation.AnsweredAt is not null ? SurveyState.Answered
        : invitation.ExpiresAt < time.GetUtcNow().UtcDateTime ? SurveyState.Expired
        : SurveyState.Open;

    private async Task<(SurveyInvitation? Invitation, string? PracticeName)> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (SurveyInvitations.OrganizationOf(token) is not { } organizationId || token.Length > 100)
        {
            return (null, null);
        }
        // The link is the only credential: select its practice, then look the token up through the normal tenant filter.
        if (db.Organization.Id is { } current && current != organizationId)
        {
            return (null, null);
        }
        db.Organization.Set(organizationId);
        db.Organization.Actor ??= "survey";
        var hash = SurveyInvitations.HashToken(token);
        var invitation = await db.Set<SurveyInvitation>().AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        if (invitation is null)
        {
            return (null, null);
        }
        var practice = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken);
        return (invitation, practice);
    }
}
