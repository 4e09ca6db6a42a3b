using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Prospects;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Campaigns;

/// <summary>What a person (form, API) may set on a campaign. Saving replaces the clinics and the cost lines with these.</summary>
public sealed record CampaignInput
{
    public string? Name { get; init; }
    public CampaignKind? Kind { get; init; }
    public DateOnly? StartsOn { get; init; }
    /// <summary>Blank for an ongoing campaign.</summary>
    public DateOnly? EndsOn { get; init; }
    public string? OwnerUserId { get; init; }
    public decimal? Budget { get; init; }
    /// <summary>Comma-separated specialty words, as the sources' specialty reads ("Orthopedic Surgery, Sports Medicine").</summary>
    public string? TargetSpecialties { get; init; }
    public string? Notes { get; init; }
    /// <summary>None means the whole practice.</summary>
    public IReadOnlyList<int>? ClinicIds { get; init; }
    public IReadOnlyList<CampaignCostInput>? Costs { get; init; }
}

/// <summary>One cost line; a line with neither description nor amount is a blank form row and is dropped.</summary>
public sealed record CampaignCostInput
{
    public string? Description { get; init; }
    public decimal? Amount { get; init; }
    public DateOnly? IncurredOn { get; init; }

    public bool IsBlank => Formats.Clean(Description) is null && Amount is null && IncurredOn is null;
}

public sealed record CampaignClinicEntry(int Id, string Name);

public sealed record CampaignCostEntry(int Id, string Description, decimal Amount, DateOnly? IncurredOn);

/// <summary>A target source; <paramref name="Reached"/> once it has a touch in the campaign.</summary>
public sealed record CampaignTargetEntry(int SourceId, string Name, string? Specialty, SourceStatus Status, bool Reached);

/// <summary>One campaign with everything that describes it (what it brought is <see cref="CampaignResultsService"/>'s).</summary>
public sealed record CampaignDetails(
    int Id, string Name, CampaignKind Kind, string KindLabel, DateOnly StartsOn, DateOnly? EndsOn, string? OwnerUserId, string? OwnerName,
    decimal? Budget, string? TargetSpecialties, string? Notes, bool Archived, IReadOnlyList<CampaignClinicEntry> Clinics,
    IReadOnlyList<CampaignCostEntry> Costs, decimal CostLinesTotal, IReadOnlyList<CampaignTargetEntry> Targets, int TouchCount,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>Sources to target: existing ones by id, registry physicians by NPI (added as prospects when not yet sources).</summary>
public sealed record CampaignTargetsInput
{
    public IReadOnlyList<int>? SourceIds { get; init; }
    public IReadOnlyList<string>? Npis { get; init; }
    /// <summary>The clinic a prospect created from an NPI belongs to; default the campaign's first clinic, else the practice's first.</summary>
    public int? ClinicId { get; init; }
}

/// <summary>An id or NPI that was not targeted, and why.</summary>
public sealed record CampaignTargetRefusal(string Value, string Reason);

public sealed record CampaignTargetsResult(IReadOnlyList<int> Added, IReadOnlyList<int> AlreadyTargeted, IReadOnlyList<int> CreatedProspects,
    IReadOnlyList<CampaignTargetRefusal> Refused);

public sealed partial class CampaignService(RapportDbContext db, PracticeClock time, Users.StaffNames staff, ProspectIntake prospects,
    SourceService sources, TouchpointService touches)
{
    public const decimal MaxMoney = 10_000_000m;

    public async Task<CampaignDetails?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        var c = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (c is null) return null;
        var clinics = await db.Set<CampaignClinic>().AsNoTracking().Where(k => k.CampaignId == id).OrderBy(k => k.Clinic!.Name)
            .Select(k => new CampaignClinicEntry(k.ClinicId, k.Clinic!.Name)).ToListAsync(cancellationToken);
        var costs = await db.Set<CampaignCost>().AsNoTracking().Where(k => k.CampaignId == id).OrderBy(k => k.Id)
            .Select(k => new CampaignCostEntry(k.Id, k.Description, k.Amount, k.IncurredOn)).ToListAsync(cancellationToken);
        var reached = (await db.Touchpoints.AsNoTracking().Where(t => t.CampaignId == id).Select(t => t.SourceId).Distinct()
            .ToListAsync(cancellationToken)).ToHashSet();
        var touchCount = await db.Touchpoints.CountAsync(t => t.CampaignId == id, cancellationToken);
        var targets = (await db.Set<CampaignTarget>().AsNoTracking().Where(k => k.CampaignId == id)
                .Select(k => new { k.SourceId, k.Source!.FirstName, k.Source.LastName, k.Source.Credential, k.Source.Specialty, k.Source.Status })
                .ToListAsync(cancellationToken))
            .Select(t => new CampaignTargetEntry(t.SourceId, SourceNames.Display(t.FirstName, t.LastName, t.Credential), t.Specialty, t.Status,
                reached.Contains(t.SourceId)))
            .OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var names = await staff.BookAsync(cancellationToken);
        return new CampaignDetails(c.Id, c.Name, c.Kind, CampaignKinds.Label(c.Kind), c.StartsOn, c.EndsOn, c.OwnerUserId,
            c.OwnerUserId is null ? null : names.Find(c.OwnerUserId)?.Name, c.Budget, c.TargetSpecialties, c.Notes, c.ArchivedAt != null,
            clinics, costs, costs.Sum(k => k.Amount), targets, touchCount, c.CreatedAt, c.UpdatedAt);
    }

    /// <summary>The practice's campaigns a touch may name (not archived), plus <paramref name="alsoId"/> (a touch's current one), by start, newest first.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> ChoicesAsync(int? alsoId = null, CancellationToken cancellationToken = default) =>
        [.. (await db.Campaigns.AsNoTracking().Where(c => c.ArchivedAt == null || c.Id == alsoId)
            .OrderByDescending(c => c.StartsOn).ThenBy(c => c.Name).Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken))
            .Select(c => (c.Id, c.Name))];

    public async Task<Campaign> CreateAsync(CampaignInput input, CancellationToken cancellationToken = default)
    {
        var campaign = new Campaign { Name = "" };
        await ApplyAsync(campaign, input, cancellationToken);
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(cancellationToken);
        return campaign;
    }

    public async Task<Campaign> UpdateAsync(int id, CampaignInput input, CancellationToken cancellationToken = default)
    {
        var campaign = await db.Campaigns.Include(c => c.Clinics).Include(c => c.Costs).FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException($"Campaign {id}");
        await ApplyAsync(campaign, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return campaign;
    }

    /// <summary>Archiving hides a campaign from the list and the touch form's choices; its touches and results stay.</summary>
    public async Task SetArchivedAsync(int id, bool archived, CancellationToken cancellationToken = default)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundException($"Campaign {id}");
        campaign.ArchivedAt = archived ? campaign.ArchivedAt ?? time.GetUtcNow().UtcDateTime : null;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes a campaign that has nothing to its name. One with touches or referrals is refused: deleting would silently
    /// move its touches and referrals out of every campaign's results (archive it instead).
    /// </summary>
    public async Task DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundException($"Campaign {id}");
        var touches = await db.Touchpoints.CountAsync(t => t.CampaignId == id, cancellationToken);
        var referrals = await db.Referrals.CountAsync(r => r.CampaignId == id, cancellationToken);
        if (touches > 0 || referrals > 0)
        {
            var what = string.Join(" and ", new[]
            {
                touches > 0 ? Count(touches, "touch", "touches") : null,
                referrals > 0 ? Count(referrals, "referral", "referrals") : null,
            }.Where(w => w is not null));
            throw new ValidationException("id", $"Campaign \"{campaign.Name}\" has {what}: deleting it would take them out of its results. Archive it instead.");
        }
        db.Campaigns.Remove(campaign);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    private async Task ApplyAsync(Campaign campaign, CampaignInput input, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        Check(input, time.Today(), problems);
        var clinicIds = (input.ClinicIds ?? []).Distinct().ToList();
        if (clinicIds.Count > 0)
        {
            var known = await db.Clinics.Where(c => clinicIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
            foreach (var missing in clinicIds.Except(known))
            {
                problems.Add("clinicIds", $"Clinic {missing} is not one of this practice's clinics.");
            }
        }
        if (Formats.Clean(input.OwnerUserId) is { } owner
            && !await db.Users.AnyAsync(u => u.Id == owner && u.OrganizationId == db.Organization.RequiredId, cancellationToken))
        {
            problems.Add("ownerUserId", "The campaign owner must be a user of this practice.");
        }
        problems.ThrowIfAny();
        var name = Formats.Clean(input.Name)!;
        // Names are compared ignoring case in memory: SQLite and PostgreSQL fold case differently in SQL.
        var names = await db.Campaigns.AsNoTracking().Where(c => c.Id != campaign.Id).Select(c => c.Name).ToListAsync(cancellationToken);
        if (names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ConflictException("name", name, $"A campaign named \"{name}\" already exists (names are compared ignoring case).");
        }
        campaign.Name = name;
        campaign.Kind = input.Kind!.Value;
        campaign.StartsOn = input.StartsOn!.Value;
        campaign.EndsOn = input.EndsOn;
        campaign.OwnerUserId = Formats.Clean(input.OwnerUserId);
        campaign.Budget = input.Budget;
        campaign.TargetSpecialties = CleanSpecialties(input.TargetSpecialties);
        campaign.Notes = Formats.Clean(input.Notes);
        campaign.Clinics.RemoveAll(k => !clinicIds.Contains(k.ClinicId));
        foreach (var clinicId in clinicIds.Where(id => campaign.Clinics.All(k => k.ClinicId != id)))
        {
            campaign.Clinics.Add(new CampaignClinic { ClinicId = clinicId });
        }
        // The lines are replaced: what the form or the request lists is the whole cost.
        campaign.Costs.Clear();
        foreach (var line in (input.Costs ?? []).Where(l => !l.IsBlank))
        {
            campaign.Costs.Add(new CampaignCost { Description = Formats.Clean(line.Description)!, Amount = line.Amount!.Value, IncurredOn = line.IncurredOn });
        }
    }

    /// <summary>"ortho surgery ,, Sports Medicine" → "ortho surgery, Sports Medicine": one spelling for the comparison group to split.</summary>
    public static string? CleanSpecialties(string? text) =>
        Formats.Clean(string.Join(", ", (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)));

    /// <summary>The rules that need no database (shared by every door).</summary>
    public static void Check(CampaignInput input, DateOnly today, Problems problems)
    {
        FieldRules.Check<Campaign>(input, today, problems);
        problems.Required("name", input.Name, "Name");
        if (input.Kind is null) problems.Add("kind", $"Kind is required ({string.Join(", ", Enum.GetNames<CampaignKind>())}).");
        if (input.StartsOn is null) problems.Add("startsOn", "Start date is required.");
        problems.NotBefore("endsOn", input.EndsOn, input.StartsOn, "End date", "the start date");
        Money(problems, "budget", "Budget", input.Budget);
        if (CleanSpecialties(input.TargetSpecialties) is { Length: > 500 })
        {
            problems.Add("targetSpecialties", "Target specialties are at most 500 characters together.");
        }
        var lines = input.Costs ?? [];
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.IsBlank) continue;
            var prefix = $"costs[{i}].";
            problems.Required(prefix + "description", line.Description, $"Cost line {i + 1}: description");
            if (FieldRules.TextProblem(line.Description, FieldRules.MaxLengthOf<CampaignCost>(nameof(CampaignCost.Description)), multiLine: false) is { } text)
            {
                problems.Add(prefix + "description", $"Cost line {i + 1}: description {text}");
            }
            if (FieldRules.DateProblem(line.IncurredOn, FieldRules.EarliestDate, FieldRules.LatestDate(today)) is { } date)
            {
                problems.Add(prefix + "incurredOn", $"Cost line {i + 1}: date {date}");
            }
            if (line.Amount is null) problems.Add(prefix + "amount", $"Cost line {i + 1}: amount is required.");
            Money(problems, prefix + "amount", $"Cost line {i + 1}: amount", line.Amount);
        }
    }

    private static void Money(Problems problems, string field, string label, decimal? value)
    {
        if (value is < 0 or > MaxMoney) problems.Add(field, $"{label} must be between 0 and 10,000,000 dollars.");
        else if (value is { } amount && decimal.Round(amount, 2) != amount) problems.Add(field, $"{label} has at most two decimals (cents).");
    }

    // ---- Targets ----

    public async Task<CampaignTargetsResult> AddTargetsAsync(int campaignId, CampaignTargetsInput input, CancellationToken cancellationToken = default)
    {
        var campaign = await db.Campaigns.Include(c => c.Targets).Include(c => c.Clinics).FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw new NotFoundException($"Campaign {campaignId}");
        var refused = new List<CampaignTargetRefusal>();
        var created = new List<int>();
        var wanted = new List<int>();
        var ids = (input.SourceIds ?? []).Distinct().ToList();
        var known = await db.Sources.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        refused.AddRange(ids.Except(known).Select(id => new CampaignTargetRefusal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Source {id} does not exist.")));
        wanted.AddRange(known);
        var npis = (input.Npis ?? []).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (npis.Count > 0)
        {
            var existing = await db.Sources.Where(s => s.Npi != null && npis.Contains(s.Npi)).Select(s => new { s.Id, s.Npi }).ToListAsync(cancellationToken);
            wanted.AddRange(existing.Select(s => s.Id));
            var clinicId = input.ClinicId ?? campaign.Clinics.Select(k => (int?)k.ClinicId).Min()
                ?? await db.Clinics.OrderBy(c => c.Id).Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken);
            foreach (var npi in npis.Where(n => existing.All(s => s.Npi != n)))
            {
                if (clinicId is null)
                {
                    refused.Add(new CampaignTargetRefusal(npi, "The practice has no clinic to add the prospect to."));
                    continue;
                }
                try
                {
                    // The one door that turns a registry physician into a source: status Prospect, filled from the registry.
                    var source = await prospects.AddAsync(new ProspectAddInput { Npi = npi, ClinicId = clinicId.Value, OwnerUserId = campaign.OwnerUserId },
                        cancellationToken);
                    created.Add(source.Id);
                    wanted.Add(source.Id);
                }
                catch (ValidationException e)
                {
                    db.ChangeTracker.Entries<Sources.ReferralSource>().Where(x => x.State == EntityState.Added).ToList().ForEach(x => x.State = EntityState.Detached);
                    refused.Add(new CampaignTargetRefusal(npi, string.Join(" ", e.Errors.SelectMany(x => x.Value))));
                }
            }
        }
        var already = wanted.Distinct().Where(id => campaign.Targets.Any(t => t.SourceId == id)).ToList();
        var added = wanted.Distinct().Except(already).ToList();
        campaign.Targets.AddRange(added.Select(id => new CampaignTarget { SourceId = id }));
        await db.SaveChangesAsync(cancellationToken);
        return new CampaignTargetsResult(added, already, created, refused);
    }

    public async Task RemoveTargetAsync(int campaignId, int sourceId, CancellationToken cancellationToken = default)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, cancellationToken)) throw new NotFoundException($"Campaign {campaignId}");
        var target = await db.Set<CampaignTarget>().FirstOrDefaultAsync(t => t.CampaignId == campaignId && t.SourceId == sourceId, cancellationToken)
            ?? throw new NotFoundException($"Source {sourceId} as a target of campaign {campaignId}");
        db.Remove(target);
        await db.SaveChangesAsync(cancellationToken);
    }
}
