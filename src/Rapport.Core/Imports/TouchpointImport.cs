using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Touchpoints;

namespace Rapport.Imports;

/// <summary>
/// Touchpoints keyed by external_id when the file has one; otherwise by what the contact was —
/// source, date, method and purpose — so re-importing a spreadsheet log does not duplicate it.
/// </summary>
internal sealed class TouchpointImport(RapportDbContext db, DateOnly today) : ImportHandler
{
    private readonly record struct NaturalKey(int SourceId, DateOnly OccurredOn, TouchMethod Method, string Purpose);

    private readonly KeyLines seenExternal = new();
    private readonly Dictionary<NaturalKey, int> seenNatural = [];
    private Dictionary<string, Touchpoint> byExternalId = [];
    private Dictionary<NaturalKey, Touchpoint> byNaturalKey = [];
    private Dictionary<string, int> campaignByName = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<int, string> campaignNames = [];
    private readonly ReferenceIds sourceByNpi = new(async (npis, ct) =>
        (await db.Sources.Where(s => npis.Contains(s.Npi!)).Select(s => new { Npi = s.Npi!, s.Id }).ToListAsync(ct))
            .ConvertAll(s => KeyValuePair.Create(s.Npi, s.Id)));

    public override string EntityName => nameof(Touchpoint);

    public override IReadOnlyList<ImportColumn> Columns { get; } =
    [
        new("external_id", false, "Id from the system the log comes from. The key when present.", "CRM-88812", MaxLength: MaxLength<Touchpoint>(db, nameof(Touchpoint.ExternalId))),
        new("source_npi", true, "NPI of the source contacted (imported before).", "1234567893", Field: "sourceId"),
        new("date", true, "Date of the contact; not in the future.", "2024-04-18", Field: "occurredOn"),
        new("method", true, $"{string.Join(", ", Enum.GetNames<TouchMethod>())}.", "In person"),
        new("purpose", false, "Why: outcome report, lunch-and-learn, intro, ...", "Outcome report", MaxLength: MaxLength<Touchpoint>(db, nameof(Touchpoint.Purpose))),
        new("notes", false, "Free notes (no patient details, please).", "Asked for more hip referrals", MaxLength: MaxLength<Touchpoint>(db, nameof(Touchpoint.Notes))),
        new("by", false, "Who made the contact.", "Maria Liaison", Field: "byName", MaxLength: MaxLength<Touchpoint>(db, nameof(Touchpoint.ByName))),
        new("campaign", false, "Name of the campaign the touch was made in (added under Campaigns first); matched ignoring case.", "Spring health fair",
            MaxLength: MaxLength<Campaigns.Campaign>(db, nameof(Campaigns.Campaign.Name))),
        new("follow_up_date", false, "When to follow up; not before the contact.", "2024-05-18", Field: "followUpOn"),
        new("cost", false, "What the touch cost in US dollars (lunch, gift), e.g. 85.50; blank when nothing.", "85.50"),
    ];

    public override IReadOnlyDictionary<string, string> ColumnOfField { get; } = new Dictionary<string, string>
    {
        ["externalId"] = "external_id",
        ["sourceId"] = "source_npi",
        ["occurredOn"] = "date",
        ["byName"] = "by",
        ["followUpOn"] = "follow_up_date",
    };

    /// <summary>
    /// Existing touches by the chunk's external ids, and — for rows without one — the touches of the
    /// chunk's sources on the chunk's dates, from which the natural keys are matched.
    /// </summary>
    public override async Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        await sourceByNpi.LoadAsync(rows, "source_npi", LookupSize, cancellationToken);
        if (campaignNames.Count == 0)
        {
            // A practice has tens of campaigns, not thousands: all of them, once.
            campaignNames = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
            campaignByName = campaignNames.ToDictionary(c => c.Value, c => c.Key, StringComparer.OrdinalIgnoreCase);
        }
        byExternalId = new(StringComparer.Ordinal);
        foreach (var ids in KeysOf(rows, "external_id"))
        {
            foreach (var touch in await db.Touchpoints.AsNoTracking().Where(t => ids.Contains(t.ExternalId!)).ToListAsync(cancellationToken))
            {
                byExternalId[touch.ExternalId!] = touch;
            }
        }
        byNaturalKey = [];
        var sourceIds = new HashSet<int>();
        var dates = new HashSet<DateOnly>();
        foreach (var row in rows)
        {
            if (row.Text("external_id") is null && row.Text("source_npi") is { } npi && sourceByNpi.TryGet(npi, out var sourceId)
                && row.Text("date") is { } text && ImportRow.ParseDate(text) is { } date)
            {
                sourceIds.Add(sourceId);
                dates.Add(date);
            }
        }
        var days = dates.ToArray();
        foreach (var ids in sourceIds.Chunk(LookupSize))
        {
            var touches = await db.Touchpoints.AsNoTracking()
                .Where(t => t.ExternalId == null && ids.Contains(t.SourceId) && days.Contains(t.OccurredOn))
                .OrderBy(t => t.Id).ToListAsync(cancellationToken);
            foreach (var touch in touches)
            {
                byNaturalKey.TryAdd(KeyOf(touch.SourceId, touch.OccurredOn, touch.Method, touch.Purpose), touch);
            }
        }
    }

    public override RowOutcome Stage(ImportRow row)
    {
        var externalId = row.Text("external_id");
        if (externalId is not null && IsRepeat(seenExternal, externalId, row, "external_id", $"Touchpoint id '{externalId}'"))
        {
            return RowOutcome.Invalid;
        }
        int? sourceId = null;
        if (row.Text("source_npi") is { } npi)
        {
            if (sourceByNpi.TryGet(npi, out var id))
            {
                sourceId = id;
            }
            else
            {
                row.Add("source_npi", $"No referral source has NPI {npi} in this practice; import sources first.");
            }
        }
        var occurredOn = row.Date("date");
        var method = row.Enum<TouchMethod>("method");
        var purpose = row.Text("purpose");
        Touchpoint? current = null;
        if (externalId is not null)
        {
            current = byExternalId.GetValueOrDefault(externalId);
        }
        else if (sourceId is { } s && occurredOn is { } d && method is { } m)
        {
            var key = KeyOf(s, d, m, purpose);
            if (IsRepeat(seenNatural, key, row, "date", "A touchpoint with the same source, date, method and purpose (and no external_id)"))
            {
                return RowOutcome.Invalid;
            }
            current = byNaturalKey.GetValueOrDefault(key);
        }
        var input = new TouchpointInput
        {
            ExternalId = externalId,
            SourceId = sourceId,
            OccurredOn = occurredOn,
            Method = method,
            Purpose = purpose,
            Notes = row.Text("notes", current?.Notes),
            ByName = row.Text("by", current?.ByName),
            CampaignId = CampaignOf(row, current),
            FollowUpOn = row.Date("follow_up_date", current?.FollowUpOn),
            Cost = row.Amount("cost", current?.Cost),
        };
        var problems = new Problems();
        TouchpointService.Check(input, today, problems);
        row.AddRuleProblems(problems, ColumnOfField);
        if (!row.IsValid)
        {
            return RowOutcome.Invalid;
        }
        return Apply(row, db, current, () => new Touchpoint(), target => TouchpointService.CopyOnto(target, input));
    }

    /// <summary>The campaign the row names (a missing column keeps the touch's campaign); an unknown name is the row's problem.</summary>
    private int? CampaignOf(ImportRow row, Touchpoint? current)
    {
        var name = row.Text("campaign", current?.CampaignId is { } id ? campaignNames.GetValueOrDefault(id) : null);
        if (name is null) return null;
        if (campaignByName.TryGetValue(name, out var campaignId)) return campaignId;
        row.Add("campaign", Campaigns.CampaignNames.Unknown(name));
        return null;
    }

    private static NaturalKey KeyOf(int sourceId, DateOnly occurredOn, TouchMethod method, string? purpose) =>
        new(sourceId, occurredOn, method, Formats.Clean(purpose)?.ToUpperInvariant() ?? "");
}
