using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Campaigns;

/// <summary>"Log the people we met" after an event: one date, method and purpose for everyone, then one line per person.</summary>
public sealed record CampaignPeopleInput
{
    /// <summary>Default the campaign's start (today when the campaign starts later); never in the future.</summary>
    public DateOnly? OccurredOn { get; init; }
    /// <summary>Default from the campaign's kind (<see cref="CampaignService.DefaultMethod"/>).</summary>
    public TouchMethod? Method { get; init; }
    /// <summary>Default the campaign's name.</summary>
    public string? Purpose { get; init; }
    public string? ByName { get; init; }
    public IReadOnlyList<CampaignPersonInput>? People { get; init; }
}

/// <summary>
/// One person met: an existing source (<see cref="SourceId"/>) or a new one from the other fields, created as any source is
/// (NPI registry autofill and every source rule). A line with nothing in it is a blank form row and is skipped.
/// </summary>
public sealed record CampaignPersonInput
{
    public int? SourceId { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Credential { get; init; }
    public string? Npi { get; init; }
    public string? PracticeName { get; init; }
    public string? Specialty { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    /// <summary>A new source's status; default Prospect (met once, not yet referring).</summary>
    public SourceStatus? Status { get; init; }
    public string? Notes { get; init; }

    public bool IsBlank => SourceId is null && new[] { FirstName, LastName, Credential, Npi, PracticeName, Specialty, Phone, Email, Notes }
        .All(v => Formats.Clean(v) is null);
}

/// <summary>One person of the log: touched (with the new touch) or not (already touched in the campaign that day), and why.</summary>
public sealed record CampaignPersonLogged(int Index, int SourceId, string Name, bool SourceCreated, int? TouchpointId, string? Note);

public sealed record CampaignPeopleResult(DateOnly OccurredOn, TouchMethod Method, IReadOnlyList<CampaignPersonLogged> Touched,
    IReadOnlyList<CampaignPersonLogged> NotTouchedAgain);

public sealed partial class CampaignService
{
    /// <summary>The method a campaign's touches usually take: events are met in person at the event, a newsletter is e-mail.</summary>
    public static TouchMethod DefaultMethod(CampaignKind kind) => kind switch
    {
        CampaignKind.HealthFair or CampaignKind.Booth or CampaignKind.ConferenceExhibit or CampaignKind.EducationalEvent or CampaignKind.Fundraiser
            => TouchMethod.Event,
        CampaignKind.LunchAndLearn => TouchMethod.Lunch,
        CampaignKind.Newsletter or CampaignKind.BlogOrPublication => TouchMethod.Email,
        CampaignKind.DirectMail => TouchMethod.Letter,
        CampaignKind.SocialMedia => TouchMethod.Social,
        _ => TouchMethod.InPerson,
    };

    /// <summary>The date the log form starts with: the campaign's start, or today when the campaign has not started yet.</summary>
    public DateOnly DefaultLogDate(DateOnly startsOn) => startsOn <= time.Today() ? startsOn : time.Today();

    /// <summary>
    /// Logs everyone met: new people become sources, each person gets one touch in the campaign. All or nothing: one
    /// person with a problem writes nobody, and every problem names its person (<c>people[3].lastName</c>). A source already
    /// touched in this campaign on the date (or listed twice) is touched once, and the result says so.
    /// </summary>
    public async Task<CampaignPeopleResult> LogPeopleAsync(int campaignId, CampaignPeopleInput input, string? byUserId = null,
        CancellationToken cancellationToken = default)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw new NotFoundException($"Campaign {campaignId}");
        var today = time.Today();
        var occurredOn = input.OccurredOn ?? DefaultLogDate(campaign.StartsOn);
        var method = input.Method ?? DefaultMethod(campaign.Kind);
        var purpose = Formats.Clean(input.Purpose) ?? campaign.Name;
        var problems = new Problems();
        // The shared fields once, under their own names, before anyone is written.
        TouchpointService.Check(new TouchpointInput { SourceId = 0, OccurredOn = occurredOn, Method = method, Purpose = purpose, ByName = input.ByName },
            today, problems);
        var people = (input.People ?? []).Select((p, i) => (Person: p, Index: i)).Where(p => !p.Person.IsBlank).ToList();
        if (people.Count == 0) problems.Add("people", "List at least one person met: an existing source or a new one.");
        var ids = people.Where(p => p.Person.SourceId is not null).Select(p => p.Person.SourceId!.Value).Distinct().ToList();
        var known = await db.Sources.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var (person, index) in people.Where(p => p.Person.SourceId is { } id && !known.Contains(id)))
        {
            problems.Add($"people[{index}].sourceId", $"Person {index + 1}: source {person.SourceId} does not exist.");
        }
        problems.ThrowIfAny();

        var alreadyToday = (await db.Touchpoints.AsNoTracking().Where(t => t.CampaignId == campaignId && t.OccurredOn == occurredOn)
            .Select(t => t.SourceId).ToListAsync(cancellationToken)).ToHashSet();
        var touched = new List<CampaignPersonLogged>();
        var notAgain = new List<CampaignPersonLogged>();
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        foreach (var (person, index) in people)
        {
            var prefix = $"people[{index}].";
            int sourceId;
            var created = false;
            string? note = null;
            try
            {
                if (person.SourceId is { } id)
                {
                    sourceId = id;
                }
                else if (Formats.Clean(person.Npi) is { } npi && await db.Sources.Where(s => s.Npi == npi).Select(s => (int?)s.Id)
                    .FirstOrDefaultAsync(cancellationToken) is { } existing)
                {
                    // Someone typed in again whose NPI the practice already has: the same source, not a second one.
                    sourceId = existing;
                    note = $"NPI {npi} is already a source: touched that source.";
                }
                else
                {
                    var saved = await sources.CreateWithRegistryAsync(new SourceInput
                    {
                        FirstName = person.FirstName, LastName = person.LastName, Credential = person.Credential, Npi = person.Npi,
                        PracticeName = person.PracticeName, Specialty = person.Specialty, Phone = person.Phone, Email = person.Email,
                        Status = person.Status ?? SourceStatus.Prospect,
                        ClinicId = await db.Set<CampaignClinic>().Where(k => k.CampaignId == campaignId).OrderBy(k => k.ClinicId)
                            .Select(k => (int?)k.ClinicId).FirstOrDefaultAsync(cancellationToken),
                    }, cancellationToken);
                    sourceId = saved.Source.Id;
                    created = true;
                }
                var name = await db.Sources.Where(s => s.Id == sourceId).Select(s => SourceNames.Display(s.FirstName, s.LastName, s.Credential))
                    .FirstAsync(cancellationToken);
                if (!alreadyToday.Add(sourceId))
                {
                    notAgain.Add(new CampaignPersonLogged(index, sourceId, name, created, null,
                        $"{name} already has a touch in this campaign on {occurredOn:yyyy-MM-dd}: not touched twice."));
                    continue;
                }
                var touch = await touches.CreateAsync(new TouchpointInput
                {
                    SourceId = sourceId, OccurredOn = occurredOn, Method = method, Purpose = purpose, ByName = input.ByName,
                    Notes = person.Notes, CampaignId = campaignId,
                }, byUserId, cancellationToken);
                touched.Add(new CampaignPersonLogged(index, sourceId, name, created, touch.Id, note));
            }
            catch (ValidationException e)
            {
                // The failed source was never added; anything else written so far is rolled back below.
                foreach (var (field, messages) in e.Errors)
                {
                    foreach (var message in messages) problems.Add(prefix + field, $"Person {index + 1}: {message}");
                }
            }
        }
        if (problems.Any)
        {
            if (transaction is not null) await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            problems.ThrowIfAny();
        }
        if (transaction is not null) await transaction.CommitAsync(cancellationToken);
        return new CampaignPeopleResult(occurredOn, method, touched, notAgain);
    }
}
