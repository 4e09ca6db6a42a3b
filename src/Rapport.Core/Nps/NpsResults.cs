using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Referrals;

namespace Rapport.Nps;

public enum NpsGrouping { Clinic, Therapist, Source, Month, Payer }

public sealed record NpsFilter
{
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public int? ClinicId { get; init; }
    public string? Therapist { get; init; }
    public int? SourceId { get; init; }
}

/// <summary>The wire shape of a score: <c>group</c> only when grouped; response rate only for the whole.</summary>
public sealed record NpsResult(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Group,
    double? Nps, int N, int Promoters, int Passives, int Detractors, double? MarginOfError,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Invited = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ResponseRate = null,
    /// <summary>Grouped by month only: true for the month so far (to today), which is not a complete month.</summary>
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Partial = null)
{
    public static NpsResult From(string? group, NpsScore score, int? invited = null, double? responseRate = null) =>
        new(group, score.Nps, score.N, score.Promoters, score.Passives, score.Detractors, score.MarginOfError, invited, responseRate);
}

public sealed record NpsCommentQuery
{
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public int? ClinicId { get; init; }
    public int? SourceId { get; init; }
    public NpsCategory? Category { get; init; }
    public bool SharedOnly { get; init; }
    /// <summary>Newest first, at most this many.</summary>
    public int Limit { get; init; } = 500;
}

public sealed record NpsComment(int Id, DateOnly RespondedOn, int Score, NpsCategory Category, string Comment, string? Clinic, string? Therapist,
    string? Source, bool SharedWithPhysician);

/// <summary>One answer to the survey, as exported: no patient named.</summary>
public sealed record NpsResponseRow(int Id, DateOnly RespondedOn, int Score, NpsCategory Category, string? Comment, string? Clinic, string? Therapist,
    string? Source, bool SharedWithPhysician);

/// <summary>Scores, groupings, response rate and comments. Everything goes through the tenant filter.</summary>
public sealed class NpsResults(RapportDbContext db, PracticeClock time)
{
    public async Task<NpsResult> SummaryAsync(NpsFilter filter, CancellationToken cancellationToken = default)
    {
        var scores = await Responses(filter).Select(r => r.Score).ToListAsync(cancellationToken);
        var invitations = db.Set<SurveyInvitation>().Where(i => !i.NoAddress);
        if (filter.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            invitations = invitations.Where(i => i.CreatedAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            invitations = invitations.Where(i => i.CreatedAt < end);
        }
        if (filter.ClinicId is { } clinicId) invitations = invitations.Where(i => i.ClinicId == clinicId);
        if (filter.SourceId is { } sourceId) invitations = invitations.Where(i => i.SourceId == sourceId);
        if (Formats.Clean(filter.Therapist) is { } therapist) invitations = invitations.Where(i => i.Therapist == therapist);
        var invited = await invitations.CountAsync(cancellationToken);
        var answered = await invitations.CountAsync(i => i.AnsweredAt != null, cancellationToken);
        // Response rate: answered invitations over invitations e-mailed in the period (imports have no invitation).
        double? rate = invited == 0 ? null : Math.Round(100.0 * answered / invited, 1);
        return NpsResult.From(null, NpsScore.FromAnswers(scores), invited, rate);
    }

    public async Task<List<NpsResult>> ByAsync(NpsGrouping by, NpsFilter filter, CancellationToken cancellationToken = default)
    {
        var rows = await Responses(filter).Select(r => new { r.Score, r.RespondedOn, r.ClinicId, r.Therapist, r.SourceId, r.PayerCategory })
            .ToListAsync(cancellationToken);
        var clinics = await db.Clinics.ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var sourceIds = rows.Where(r => r.SourceId is not null).Select(r => r.SourceId!.Value).Distinct().ToList();
        var sources = await db.Sources.Where(s => sourceIds.Contains(s.Id))
            .Select(s => new { s.Id, Name = (s.FirstName == null ? s.LastName : s.FirstName + " " + s.LastName) + (s.Credential == null ? "" : ", " + s.Credential) })
            .ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        string KeyOf(int? clinicId, string? therapist, int? sourceId, PayerCategory? payer, DateOnly on) => by switch
        {
            NpsGrouping.Clinic => clinicId is { } c && clinics.TryGetValue(c, out var clinic) ? clinic : "(no clinic)",
            NpsGrouping.Therapist => therapist ?? "(no therapist)",
            NpsGrouping.Source => sourceId is { } s && sources.TryGetValue(s, out var source) ? source : "(no referring source)",
            NpsGrouping.Payer => payer?.ToString() ?? "(no payer)",
            _ => on.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        };
        var groups = rows.GroupBy(r => KeyOf(r.ClinicId, r.Therapist, r.SourceId, r.PayerCategory, r.RespondedOn))
            .Select(g => NpsResult.From(g.Key, NpsScore.FromAnswers(g.Select(r => r.Score))));
        var thisMonth = time.Today().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return by == NpsGrouping.Month
            ? groups.Select(g => g with { Partial = g.Group == thisMonth }).OrderBy(g => g.Group, StringComparer.Ordinal).ToList()
            : groups.OrderByDescending(g => g.N).ThenBy(g => g.Group, StringComparer.Ordinal).ToList();
    }

    /// <summary>A referring source's patients' score, for the source page, the API and the physician report card.</summary>
    /// <summary>A source that is missing (or another practice's) is a 404, not an empty score that looks like "no answers yet".</summary>
    public async Task<NpsResult> ForSourceAsync(int sourceId, CancellationToken cancellationToken = default)
    {
        if (!await db.Sources.AnyAsync(s => s.Id == sourceId, cancellationToken))
        {
            throw new NotFoundException($"Source {sourceId}");
        }
        return NpsResult.From(null, NpsScore.FromAnswers(await db.Set<NpsResponse>().Where(r => r.SourceId == sourceId).Select(r => r.Score).ToListAsync(cancellationToken)));
    }

    public async Task<List<NpsComment>> CommentsAsync(NpsCommentQuery query, CancellationToken cancellationToken = default) =>
        (await RowsAsync(Responses(query).Where(r => r.Comment != null), Math.Clamp(query.Limit, 1, 500), cancellationToken))
            .Select(r => new NpsComment(r.Id, r.RespondedOn, r.Score, r.Category, r.Comment!, r.Clinic, r.Therapist, r.Source, r.SharedWithPhysician)).ToList();

    /// <summary>Every answer matching the comment filters (with or without a comment), newest first, unpaged (exports). No patient is named.</summary>
    public Task<List<NpsResponseRow>> ResponsesAsync(NpsCommentQuery query, CancellationToken cancellationToken = default) =>
        RowsAsync(Responses(query), null, cancellationToken);

    /// <summary>Answers with their clinic and source names, newest first.</summary>
    private async Task<List<NpsResponseRow>> RowsAsync(IQueryable<NpsResponse> responses, int? limit, CancellationToken cancellationToken)
    {
        var named = from r in responses
                    join c in db.Clinics on r.ClinicId equals c.Id into clinic
                    from c in clinic.DefaultIfEmpty()
                    join s in db.Sources on r.SourceId equals s.Id into source
                    from s in source.DefaultIfEmpty()
                    orderby r.RespondedOn descending, r.Id descending
                    select new
                    {
                        r.Id, r.RespondedOn, r.Score, r.Comment, Clinic = c == null ? null : c.Name, r.Therapist,
                        Source = s == null ? null : (s.FirstName == null ? s.LastName : s.FirstName + " " + s.LastName), r.ShareWithPhysician,
                    };
        var rows = await (limit is { } take ? named.Take(take) : named).ToListAsync(cancellationToken);
        return rows.Select(r => new NpsResponseRow(r.Id, r.RespondedOn, r.Score, NpsScore.CategoryOf(r.Score), r.Comment, r.Clinic, r.Therapist, r.Source,
            r.ShareWithPhysician)).ToList();
    }

    private IQueryable<NpsResponse> Responses(NpsCommentQuery query)
    {
        var responses = Responses(new NpsFilter { From = query.From, To = query.To, ClinicId = query.ClinicId, SourceId = query.SourceId });
        if (query.SharedOnly) responses = responses.Where(r => r.ShareWithPhysician);
        return query.Category switch
        {
            NpsCategory.Promoter => responses.Where(r => r.Score >= 9),
            NpsCategory.Passive => responses.Where(r => r.Score >= 7 && r.Score <= 8),
            NpsCategory.Detractor => responses.Where(r => r.Score <= 6),
            _ => responses,
        };
    }

    private IQueryable<NpsResponse> Responses(NpsFilter filter)
    {
        var responses = db.Set<NpsResponse>().AsQueryable();
        if (filter.From is { } from) responses = responses.Where(r => r.RespondedOn >= from);
        if (filter.To is { } to) responses = responses.Where(r => r.RespondedOn <= to);
        if (filter.ClinicId is { } clinicId) responses = responses.Where(r => r.ClinicId == clinicId);
        if (filter.SourceId is { } sourceId) responses = responses.Where(r => r.SourceId == sourceId);
        if (Formats.Clean(filter.Therapist) is { } therapist) responses = responses.Where(r => r.Therapist == therapist);
        return responses;
    }
}
