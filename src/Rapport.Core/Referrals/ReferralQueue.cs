using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Patients;

namespace Rapport.Referrals;

/// <summary>
/// Where a referral stands, as the front desk works it. The first four follow the stored status; the
/// status "Evaluated" is split by what the data shows: <b>evaluated</b> when at most the evaluation visit
/// is recorded (visit count 0 or 1), <b>in care</b> once a further visit is (visit count 2 or more), until
/// discharged. Lost stays lost.
/// </summary>
public enum ReferralStage { Received, Scheduled, Evaluated, InCare, Discharged, Lost }

/// <summary>Why a referral was lost: a fixed list so the reasons can be counted; a note may add detail.</summary>
public enum LostReason { CouldNotReach, PatientDeclined, WentElsewhere, InsuranceOrCost, NoShow, NotAppropriate, Other }

/// <summary>A referral in the queue: every field of <see cref="ReferralSummary"/>, then where it stands and how long it has waited.</summary>
public sealed record ReferralQueueRow(int Id, string? ExternalId, int PatientId, string PatientName, int? SourceId, string? SourceName, int ClinicId,
    string ClinicName, string? Therapist, DateOnly ReceivedOn, DateOnly? ScheduledOn, DateOnly? EvaluatedOn, DateOnly? DischargedOn,
    DateOnly? LostOn, string? LostReason, ReferralStatus Status, string? DiagnosisCodes, string? BodyRegion, string? Procedure,
    PayerCategory? PayerCategory, AcquisitionChannel? AcquisitionChannel, int VisitCount,
    ReferralStage Stage,
    /// <summary>Calendar days from received to the practice's today.</summary>
    int AgeDays,
    /// <summary>Business days (Monday–Friday) waited since received; only while the referral is waiting to be scheduled.</summary>
    int? BusinessDaysWaiting,
    /// <summary>Received, not scheduled, and waiting longer than the practice's setting.</summary>
    bool OverdueToSchedule,
    string? PatientPhone,
    /// <summary>Direct access: the campaign the patient named at intake, and its name.</summary>
    int? CampaignId = null, string? Campaign = null);

public sealed record ReferralStageCount(ReferralStage Stage, int Count);

public sealed record ReferralQueuePage(IReadOnlyList<ReferralQueueRow> Items, int Total, int Page, int PageSize,
    /// <summary>Referrals in each stage with the same filters (the tabs' counts).</summary>
    IReadOnlyList<ReferralStageCount> StageCounts,
    /// <summary>Received referrals overdue to schedule, with the same filters.</summary>
    int OverdueCount,
    int ScheduleWithinBusinessDays,
    DateOnly Today)
{
    public int PageCount => PageSize == 0 ? 0 : (Total + PageSize - 1) / PageSize;
}

public sealed record ReferralQueueQuery
{
    public ReferralStage? Stage { get; init; }
    /// <summary>The stored status, as the API has always filtered; <see cref="Stage"/> is the queue's word.</summary>
    public ReferralStatus? Status { get; init; }
    public int? ClinicId { get; init; }
    public int? SourceId { get; init; }
    public int? PatientId { get; init; }
    public AcquisitionChannel? Channel { get; init; }
    public DateOnly? ReceivedFrom { get; init; }
    public DateOnly? ReceivedTo { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;

    /// <summary>
    /// The query from the list page's parameters (stage, clinic, source, channel, receivedFrom, receivedTo, page,
    /// pageSize), as the export and other doors receive them; a malformed value names its parameter.
    /// </summary>
    public static ReferralQueueQuery FromFilters(IReadOnlyDictionary<string, string?> filters)
    {
        var problems = new Problems();
        string? Value(string key) => filters.TryGetValue(key, out var v) ? Formats.Clean(v) : null;
        int? Number(string key)
        {
            if (Value(key) is not { } text)
            {
                return null;
            }
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
            problems.Add(key, $"'{text}' is not a whole number.");
            return null;
        }
        DateOnly? Date(string key)
        {
            if (Value(key) is not { } text)
            {
                return null;
            }
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }
            problems.Add(key, $"'{text}' is not a date (yyyy-MM-dd).");
            return null;
        }
        ReferralStage? stage = null;
        try
        {
            stage = ReferralQueue.ParseStage(Value("stage"));
        }
        catch (ValidationException e)
        {
            problems.Add("stage", e.Errors["stage"][0]);
        }
        AcquisitionChannel? channel = null;
        if (Value("channel") is { } channelText)
        {
            channel = Enum.GetNames<AcquisitionChannel>().FirstOrDefault(n => string.Equals(n, channelText, StringComparison.OrdinalIgnoreCase)) is { } name
                ? Enum.Parse<AcquisitionChannel>(name) : null;
            if (channel is null)
            {
                problems.Add("channel", $"'{channelText}' is not one of {string.Join(", ", Enum.GetNames<AcquisitionChannel>())}.");
            }
        }
        var query = new ReferralQueueQuery
        {
            Stage = stage, ClinicId = Number("clinic"), SourceId = Number("source"), Channel = channel,
            ReceivedFrom = Date("receivedFrom"), ReceivedTo = Date("receivedTo"), Page = Number("page") ?? 1, PageSize = Number("pageSize") ?? 50,
        };
        problems.ThrowIfAny();
        return query;
    }
}

/// <summary>A bulk move of selected referrals to one status on one date; all of them move or none does.</summary>
public sealed record ReferralStatusChange
{
    public IReadOnlyList<int>? ReferralIds { get; init; }
    /// <summary>Scheduled, Evaluated, Discharged or Lost.</summary>
    public ReferralStatus? Status { get; init; }
    /// <summary>The date of the step; the practice's today when left out.</summary>
    public DateOnly? On { get; init; }
    /// <summary>Required when <see cref="Status"/> is Lost.</summary>
    public LostReason? LostReason { get; init; }
    /// <summary>Optional detail to a lost reason.</summary>
    public string? Note { get; init; }
}

public sealed record ReferralStatusChangeResult(IReadOnlyList<int> ReferralIds, ReferralStatus Status, DateOnly On);

/// <summary>
/// The front desk's work queue: referrals by stage with their age, overdue-to-schedule first, and the bulk
/// status change. The list names patients, so it is audited here (<see cref="Audit.PatientDataAudit"/>);
/// changes go through <see cref="ReferralService"/>, which keeps the status, the survey invitations and the
/// change audit as a single referral's edit does.
/// </summary>
public sealed class ReferralQueue(RapportDbContext db, ReferralService referrals, ReferralQueueSettingsService settings, PracticeClock time,
    Audit.PatientDataAudit audit)
{
    public static readonly ReferralStatus[] BulkStatuses = [ReferralStatus.Scheduled, ReferralStatus.Evaluated, ReferralStatus.Discharged, ReferralStatus.Lost];

    /// <summary>A lost reason in words, as stored on the referral.</summary>
    public static string LostReasonLabel(LostReason reason) => reason switch
    {
        LostReason.CouldNotReach => "Could not reach the patient",
        LostReason.PatientDeclined => "Patient declined therapy",
        LostReason.WentElsewhere => "Went to another practice",
        LostReason.InsuranceOrCost => "Insurance or cost",
        LostReason.NoShow => "Did not attend (no-show)",
        LostReason.NotAppropriate => "Not appropriate for therapy",
        _ => "Other",
    };

    /// <summary>"received", "in-care", "InCare", "in care" (any case) → the stage; anything else names the accepted words.</summary>
    public static ReferralStage? ParseStage(string? text)
    {
        if (Formats.Clean(text) is not { } value)
        {
            return null;
        }
        var key = value.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return Enum.GetNames<ReferralStage>().FirstOrDefault(n => string.Equals(n, key, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<ReferralStage>(name)
            : throw new ValidationException("stage", $"'{value}' is not one of received, scheduled, evaluated, in-care, discharged, lost.");
    }

    /// <summary>The stage's word in URLs and the CLI: received, scheduled, evaluated, in-care, discharged, lost.</summary>
    public static string StageSlug(ReferralStage stage) => stage == ReferralStage.InCare ? "in-care" : stage.ToString().ToLowerInvariant();

    public static ReferralStage StageOf(ReferralStatus status, int visitCount) => status switch
    {
        ReferralStatus.Received => ReferralStage.Received,
        ReferralStatus.Scheduled => ReferralStage.Scheduled,
        ReferralStatus.Evaluated => visitCount > 1 ? ReferralStage.InCare : ReferralStage.Evaluated,
        ReferralStatus.Discharged => ReferralStage.Discharged,
        _ => ReferralStage.Lost,
    };

    public async Task<ReferralQueuePage> ListAsync(ReferralQueueQuery query, CancellationToken cancellationToken = default)
    {
        var (page, pageSize) = Paging.Clamp(query.Page, query.PageSize);
        var today = time.Today();
        var allowed = (await settings.GetAsync(cancellationToken)).ScheduleWithinBusinessDays;
        var overdueOn = BusinessDays.LatestOverdueReceivedOn(today, allowed);
        var filtered = Filter(query);
        var byStatus = await filtered.GroupBy(r => new { r.Status, InCare = r.VisitCount > 1 })
            .Select(g => new { g.Key.Status, g.Key.InCare, Count = g.Count() }).ToListAsync(cancellationToken);
        var counts = Enum.GetValues<ReferralStage>().Select(stage => new ReferralStageCount(stage,
            byStatus.Where(s => StageOf(s.Status, s.InCare ? 2 : 1) == stage).Sum(s => s.Count))).ToList();
        var overdue = await filtered.CountAsync(r => r.Status == ReferralStatus.Received && r.ReceivedOn <= overdueOn, cancellationToken);
        var listed = OfStage(filtered, query.Stage);
        var total = await listed.CountAsync(cancellationToken);
        var rows = await Rows(Order(listed, overdueOn).Skip((page - 1) * pageSize).Take(pageSize), today, allowed, cancellationToken);
        await audit.ListedAsync(nameof(Referral), rows.Count, Scope(query, page, pageSize), cancellationToken);
        return new ReferralQueuePage(rows, total, page, pageSize, counts, overdue, allowed, today);
    }

    /// <summary>Every row the filters select, in the list's order, for a download (audited as a list; the export service records the export).</summary>
    public async Task<IReadOnlyList<ReferralQueueRow>> AllAsync(ReferralQueueQuery query, CancellationToken cancellationToken = default)
    {
        var today = time.Today();
        var allowed = (await settings.GetAsync(cancellationToken)).ScheduleWithinBusinessDays;
        var overdueOn = BusinessDays.LatestOverdueReceivedOn(today, allowed);
        var rows = await Rows(Order(OfStage(Filter(query), query.Stage), overdueOn), today, allowed, cancellationToken);
        await audit.ListedAsync(nameof(Referral), rows.Count, Scope(query, null, null), cancellationToken);
        return rows;
    }

    /// <summary>
    /// Moves every selected referral to <see cref="ReferralStatusChange.Status"/> on one date, or none: each row is
    /// checked first with the rules of a single edit (a date before received, a discharge without evaluation, …) and
    /// every problem is reported, naming the referral by id; then all are saved in one transaction.
    /// </summary>
    public async Task<ReferralStatusChangeResult> SetStatusAsync(ReferralStatusChange change, CancellationToken cancellationToken = default)
    {
        var today = time.Today();
        var problems = new Problems();
        var ids = (change.ReferralIds ?? []).Distinct().ToList();
        if (ids.Count == 0)
        {
            problems.Add("referralIds", "Select at least one referral.");
        }
        if (ids.Count > Paging.MaxPageSize)
        {
            problems.Add("referralIds", $"At most {Paging.MaxPageSize} referrals can be changed at once ({ids.Count} were selected).");
        }
        if (change.Status is not { } status || !BulkStatuses.Contains(status))
        {
            problems.Add("status", "Choose Scheduled, Evaluated, Discharged or Lost.");
            status = default;
        }
        if (change.LostReason is { } givenReason && !Enum.IsDefined(givenReason))
        {
            problems.Add("lostReason", $"Lost reason must be one of {string.Join(", ", Enum.GetNames<LostReason>())}.");
        }
        if (status == ReferralStatus.Lost && change.LostReason is null)
        {
            problems.Add("lostReason", "Choose why the referral was lost.");
        }
        if (status != ReferralStatus.Lost && (change.LostReason is not null || Formats.Clean(change.Note) is not null))
        {
            problems.Add("lostReason", "A lost reason and note go only with the status Lost.");
        }
        var on = change.On ?? today;
        FieldRules.Date(problems, "on", on, today);
        var reasonText = change.LostReason is { } chosen && Enum.IsDefined(chosen)
            ? LostReasonLabel(chosen) + (Formats.Clean(change.Note) is { } note ? " — " + note : "")
            : null;
        var reasonLimit = FieldRules.MaxLengthOf<Referral>(nameof(Referral.LostReason));
        if (FieldRules.TextProblem(change.Note, reasonLimit, multiLine: false) is { } noteProblem)
        {
            problems.Add("note", "Note " + noteProblem);
        }
        else if (reasonText is not null && reasonText.Length > reasonLimit)
        {
            problems.Add("note", $"The note is too long: with the reason it must fit in {reasonLimit} characters.");
        }
        problems.ThrowIfAny();

        var found = await db.Referrals.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var inputs = new List<(int Id, ReferralInput Input)>();
        foreach (var id in ids)
        {
            if (!found.TryGetValue(id, out var referral))
            {
                problems.Add("referralIds", $"Referral {id} does not exist.");
                continue;
            }
            var label = $"Referral {id} (received {referral.ReceivedOn:yyyy-MM-dd})";
            if (Refusal(referral, status) is { } refusal)
            {
                problems.Add("referralIds", $"{label} {refusal}");
                continue;
            }
            var input = ReferralService.InputOf(referral);
            input = status switch
            {
                ReferralStatus.Scheduled => input with { ScheduledOn = on },
                ReferralStatus.Evaluated => input with { EvaluatedOn = on, VisitCount = Math.Max(referral.VisitCount, 1) },
                ReferralStatus.Discharged => input with { DischargedOn = on },
                _ => input with { LostOn = on, LostReason = reasonText },
            };
            var rowProblems = new Problems();
            ReferralService.Check(input, today, rowProblems);
            try
            {
                rowProblems.ThrowIfAny();
            }
            catch (ValidationException e)
            {
                foreach (var message in e.Errors.SelectMany(x => x.Value))
                {
                    problems.Add("referralIds", $"{label}: {message}");
                }
                continue;
            }
            inputs.Add((id, input));
        }
        problems.ThrowIfAny();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var (id, input) in inputs)
            {
                await referrals.UpdateAsync(id, input, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            // Nothing of a failed batch may linger in this context as if it had been saved.
            db.ChangeTracker.Clear();
            throw;
        }
        return new ReferralStatusChangeResult(ids, status, on);
    }

    /// <summary>Why a referral cannot take this step, or null: the queue moves referrals forward, never back.</summary>
    private static string? Refusal(Referral referral, ReferralStatus target) => (referral.Status, target) switch
    {
        (ReferralStatus.Lost, _) => "is already lost; open it to change its dates.",
        (ReferralStatus.Discharged, _) => "is already discharged; open it to change its dates.",
        (ReferralStatus.Evaluated, ReferralStatus.Scheduled or ReferralStatus.Evaluated) => "is already evaluated.",
        (ReferralStatus.Received, ReferralStatus.Discharged) or (ReferralStatus.Scheduled, ReferralStatus.Discharged) =>
            "has no evaluation yet: mark it evaluated before discharging it.",
        _ => null,
    };

    private IQueryable<Referral> Filter(ReferralQueueQuery query)
    {
        var referrals = db.Referrals.AsNoTracking();
        if (query.ClinicId is { } clinicId) referrals = referrals.Where(r => r.ClinicId == clinicId);
        if (query.SourceId is { } sourceId) referrals = referrals.Where(r => r.SourceId == sourceId);
        if (query.PatientId is { } patientId) referrals = referrals.Where(r => r.PatientId == patientId);
        if (query.Channel is { } channel) referrals = referrals.Where(r => r.AcquisitionChannel == channel);
        if (query.ReceivedFrom is { } from) referrals = referrals.Where(r => r.ReceivedOn >= from);
        if (query.ReceivedTo is { } to) referrals = referrals.Where(r => r.ReceivedOn <= to);
        if (query.Status is { } status) referrals = referrals.Where(r => r.Status == status);
        return referrals;
    }

    private static IQueryable<Referral> OfStage(IQueryable<Referral> referrals, ReferralStage? stage) => stage switch
    {
        null => referrals,
        ReferralStage.Received => referrals.Where(r => r.Status == ReferralStatus.Received),
        ReferralStage.Scheduled => referrals.Where(r => r.Status == ReferralStatus.Scheduled),
        ReferralStage.Evaluated => referrals.Where(r => r.Status == ReferralStatus.Evaluated && r.VisitCount <= 1),
        ReferralStage.InCare => referrals.Where(r => r.Status == ReferralStatus.Evaluated && r.VisitCount > 1),
        ReferralStage.Discharged => referrals.Where(r => r.Status == ReferralStatus.Discharged),
        _ => referrals.Where(r => r.Status == ReferralStatus.Lost),
    };

    /// <summary>Overdue to schedule first, the longest waiting at the top; then the rest, newest received first.</summary>
    private static IQueryable<Referral> Order(IQueryable<Referral> referrals, DateOnly overdueOn) =>
        referrals.OrderByDescending(r => r.Status == ReferralStatus.Received && r.ReceivedOn <= overdueOn)
            .ThenBy(r => r.Status == ReferralStatus.Received && r.ReceivedOn <= overdueOn ? r.ReceivedOn : DateOnly.MaxValue)
            .ThenByDescending(r => r.ReceivedOn).ThenByDescending(r => r.Id);

    private static async Task<List<ReferralQueueRow>> Rows(IQueryable<Referral> referrals, DateOnly today, int allowed, CancellationToken cancellationToken)
    {
        var rows = await referrals.Select(r => new
        {
            Summary = new ReferralSummary(r.Id, r.ExternalId, r.PatientId, r.Patient!.LastName + ", " + r.Patient.FirstName, r.SourceId,
                r.Source == null ? null : (r.Source.FirstName == null ? r.Source.LastName : r.Source.FirstName + " " + r.Source.LastName)
                    + (r.Source.Credential == null ? "" : ", " + r.Source.Credential),
                r.ClinicId, r.Clinic!.Name, r.Therapist, r.ReceivedOn, r.ScheduledOn, r.EvaluatedOn, r.DischargedOn, r.LostOn, r.LostReason, r.Status,
                r.DiagnosisCodes, r.BodyRegion, r.Procedure, r.PayerCategory, r.AcquisitionChannel, r.VisitCount, r.CampaignId,
                r.Campaign == null ? null : r.Campaign.Name),
            r.Patient.Phone,
        }).ToListAsync(cancellationToken);
        return rows.Select(x =>
        {
            var s = x.Summary;
            var waiting = s.Status == ReferralStatus.Received ? BusinessDays.Between(s.ReceivedOn, today) : (int?)null;
            return new ReferralQueueRow(s.Id, s.ExternalId, s.PatientId, s.PatientName, s.SourceId, s.SourceName, s.ClinicId, s.ClinicName, s.Therapist,
                s.ReceivedOn, s.ScheduledOn, s.EvaluatedOn, s.DischargedOn, s.LostOn, s.LostReason, s.Status, s.DiagnosisCodes, s.BodyRegion, s.Procedure,
                s.PayerCategory, s.AcquisitionChannel, s.VisitCount, StageOf(s.Status, s.VisitCount), Math.Max(0, today.DayNumber - s.ReceivedOn.DayNumber),
                waiting, waiting > allowed, x.Phone, s.CampaignId, s.Campaign);
        }).ToList();
    }

    private static string? Scope(ReferralQueueQuery query, int? page, int? pageSize) => Audit.PatientDataAudit.Scope(page, pageSize,
        ("stage", query.Stage), ("status", query.Status), ("clinicId", query.ClinicId), ("sourceId", query.SourceId), ("patientId", query.PatientId),
        ("channel", query.Channel), ("receivedFrom", query.ReceivedFrom), ("receivedTo", query.ReceivedTo));
}
