using Microsoft.EntityFrameworkCore;
using Rapport.Campaigns;
using Rapport.Data;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Demo;

internal sealed record DemoCostLine(string Description, decimal Amount, DateOnly IncurredOn);

internal sealed record DemoCampaignTouch(int SourceId, DateOnly OccurredOn, TouchMethod Method, string Purpose, string? Notes);

internal sealed class DemoCampaign
{
    public int Id { get; set; }
    public required string Name { get; init; }
    public required CampaignKind Kind { get; init; }
    public required DateOnly StartsOn { get; init; }
    public DateOnly? EndsOn { get; init; }
    public decimal? Budget { get; init; }
    public string? TargetSpecialties { get; init; }
    public string? Notes { get; init; }
    public int? ClinicId { get; init; }
    public List<DemoCostLine> Costs { get; } = [];
    public List<DemoCampaignTouch> Touches { get; } = [];
    /// <summary>Sources the campaign set out to reach (written after the sources are loaded).</summary>
    public List<int> Targets { get; } = [];
}

/// <summary>
/// A year of the practice's networking and outreach, each with the outcome the source text's advice leads one to expect:
/// the spring health fair where two physicians who had never referred were met and started referring; a conference booth that
/// cost the most and brought nothing; a monthly newsletter to the regular referrers (whose last-touch credit the comparison group
/// puts in its place); a referral-first outreach to three prospects, one of whom started referring; and the year's lunch-and-learns.
/// Dates follow the demo's "today", so the story reads the same on any day. Chosen sources are taken out of every other
/// campaign so one campaign's touch never takes another's credit by accident.
/// </summary>
internal sealed class DemoCampaigns
{
    private readonly HashSet<int> engineered = [];
    private readonly DateOnly today;
    private readonly DemoCampaign? lunches;
    private readonly DemoCampaign fair;

    public IReadOnlyList<DemoCampaign> All { get; }

    private DemoCampaigns(DemoPlan plan, IReadOnlyList<DemoClinic> clinics, DateOnly today, bool large)
    {
        this.today = today;
        var sources = plan.Sources;
        var prospects = new Queue<SourcePlan>(sources.Where(s => s.Status == SourceStatus.Prospect && !s.IsHouse)
            .OrderBy(s => s.Clinic.Index == 0 ? 0 : 1).ThenBy(s => s.Index));
        SourcePlan? NextProspect()
        {
            var next = prospects.Count > 0 ? prospects.Dequeue() : null;
            if (next is not null) engineered.Add(next.Id);
            return next;
        }

        // The spring (or that season's) health fair, eight months ago, on a Saturday.
        var fairDay = LastOn(today.AddMonths(-8), DayOfWeek.Saturday);
        fair = new DemoCampaign
        {
            Name = $"{Season(fairDay)} Community Health Fair {fairDay.Year}", Kind = CampaignKind.HealthFair, StartsOn = fairDay, EndsOn = fairDay,
            Budget = 1_200m, ClinicId = clinics[0].Id, TargetSpecialties = "Orthopaedic surgery, Sports medicine, Family medicine / general practice",
            Notes = "Booth beside the hospital's screening tent. Free balance screens and posture checks; physicians invited by letter a month before.",
        };
        fair.Costs.AddRange([
            new("Booth fee", 350m, fairDay.AddDays(-30)), new("Printed brochures and banner", 185.40m, fairDay.AddDays(-10)),
            new("Giveaways (resistance bands, water bottles)", 240m, fairDay.AddDays(-7)), new("Staff time (2 therapists, 6 hours)", 420m, fairDay),
        ]);
        // Two physicians met there had never sent a patient; both started referring within weeks.
        var recruitDelays = new[] { 24, 38 };
        foreach (var delay in recruitDelays)
        {
            if (NextProspect() is not { } recruit) break;
            BecomesReferrer(recruit, fairDay, fairDay.AddDays(delay), monthly: 1.1);
            fair.Touches.Add(new(recruit.Id, fairDay, TouchMethod.Event, "Met at the health fair", "Stopped by the booth; asked for our post-op protocols."));
            fair.Targets.Add(recruit.Id);
        }
        if (NextProspect() is { } stillProspect)
        {
            fair.Touches.Add(new(stillProspect.Id, fairDay, TouchMethod.Event, "Met at the health fair", null));
            fair.Targets.Add(stillProspect.Id);
        }
        foreach (var regular in sources.Where(s => s is { Status: SourceStatus.Active, Tier: 2, IsHouse: false, ActiveUntil: null } && s.MonthlyRate > 0.3
                     && s.ActiveFrom < fairDay.AddMonths(-6) && s.Clinic.Index == 0 && !engineered.Contains(s.Id)).OrderBy(s => s.Index).Take(5))
        {
            engineered.Add(regular.Id);
            fair.Touches.Add(new(regular.Id, fairDay, TouchMethod.Event, "Said hello at the health fair", null));
        }

        // A physicians' conference five months ago: the biggest spend, and nobody met there referred.
        var boothDay = LastOn(today.AddMonths(-5), DayOfWeek.Thursday);
        var booth = new DemoCampaign
        {
            Name = $"Orthopaedic conference exhibit {boothDay.Year}", Kind = CampaignKind.ConferenceExhibit, StartsOn = boothDay, EndsOn = boothDay.AddDays(2),
            Budget = 2_000m, TargetSpecialties = "Orthopaedic surgery",
            Notes = "Regional orthopaedic society meeting. Quiet hall; most visitors were device reps.",
        };
        booth.Costs.AddRange([
            new("Exhibitor fee", 1_500m, boothDay.AddDays(-45)), new("Travel and hotel", 612.80m, boothDay.AddDays(2)),
            new("Display and printing", 275m, boothDay.AddDays(-14)),
        ]);
        for (var i = 0; i < 2 && NextProspect() is { } met; i++)
        {
            booth.Touches.Add(new(met.Id, boothDay.AddDays(i), TouchMethod.Event, "Visited our booth at the conference", null));
            booth.Targets.Add(met.Id);
        }
        foreach (var lapsed in sources.Where(s => s.Status == SourceStatus.Dormant && s.ActiveUntil < boothDay.AddMonths(-3) && !engineered.Contains(s.Id))
                     .OrderBy(s => s.Index).Take(3))
        {
            engineered.Add(lapsed.Id);
            booth.Touches.Add(new(lapsed.Id, boothDay.AddDays(1), TouchMethod.Event, "Caught up at the conference", "Friendly; no patients for us at the moment."));
            booth.Targets.Add(lapsed.Id);
        }

        // The monthly physician newsletter, a year of it, to the regular referrers with an e-mail (never Dr. House, whose
        // story is that nobody has been in touch for four months).
        var firstIssueMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        var newsletter = new DemoCampaign
        {
            Name = "Physician newsletter", Kind = CampaignKind.Newsletter, StartsOn = FirstOn(firstIssueMonth, DayOfWeek.Tuesday), Budget = 750m,
            Notes = "Monthly e-mail: one outcome chart, one case, clinic news. Sent the first Tuesday of the month.",
        };
        newsletter.Costs.Add(new("Template design", 250m, newsletter.StartsOn.AddDays(-7)));
        // Regulars who were referring well before the first issue, so the newsletter's "new referring sources" are not sources that were starting anyway.
        var readers = sources.Where(s => s is { Status: SourceStatus.Active, Tier: 1, IsHouse: false, ActiveUntil: null } && s.Email is not null
                && s.ActiveFrom < firstIssueMonth.AddMonths(-6) && !engineered.Contains(s.Id)).OrderBy(s => s.Index).Take(large ? 250 : 15).ToList();
        for (var month = firstIssueMonth; ; month = month.AddMonths(1))
        {
            var issue = FirstOn(month, DayOfWeek.Tuesday);
            if (issue > today) break;
            newsletter.Costs.Add(new($"E-mail service, {issue:MMMM yyyy}", 39m, issue));
            foreach (var reader in readers)
            {
                newsletter.Touches.Add(new(reader.Id, issue, TouchMethod.Email, $"Physician newsletter, {issue:MMMM} issue", null));
            }
        }
        foreach (var reader in readers) engineered.Add(reader.Id);

        // Networking by referring first: three prospects were each sent a patient who needed a physician, then thanked by phone.
        var outreachStart = today.AddDays(-110);
        var outreach = new DemoCampaign
        {
            Name = "Referral-first outreach", Kind = CampaignKind.ReferralFirstOutreach, StartsOn = outreachStart, EndsOn = outreachStart.AddDays(50),
            TargetSpecialties = "Family medicine / general practice, Sports medicine", ClinicId = clinics[0].Id,
            Notes = "Sent each physician a patient of ours who needed a medical evaluation, with a short note; followed up by phone.",
        };
        outreach.Costs.Add(new("Liaison time (notes, calls; 3 hours)", 120m, outreachStart.AddDays(40)));
        for (var i = 0; i < 3 && NextProspect() is { } prospect; i++)
        {
            var sent = Weekday(outreachStart.AddDays(i * 14));
            outreach.Touches.Add(new(prospect.Id, sent, TouchMethod.Fax, "Referred a shared patient for a medical evaluation (our referral first)", null));
            outreach.Touches.Add(new(prospect.Id, Weekday(sent.AddDays(10)), TouchMethod.Phone, "Thanked them for seeing our patient",
                i == 0 ? "Glad to hear about our vestibular program; will send patients." : null));
            outreach.Targets.Add(prospect.Id);
            if (i == 0)
            {
                BecomesReferrer(prospect, outreachStart.AddDays(-30), Weekday(sent.AddDays(31)), monthly: 0.9);
            }
        }

        // The year's lunch-and-learns: the lunches already in the touch log, each with its catering cost.
        if (!large)
        {
            lunches = new DemoCampaign
            {
                Name = "Lunch-and-learn series", Kind = CampaignKind.LunchAndLearn, StartsOn = today.AddDays(-364), Budget = 3_000m,
                Notes = "Thirty-minute talks over lunch at referring offices: post-op knee rehab, low back pain pathways, fall prevention.",
            };
        }
        All = lunches is null ? [fair, booth, newsletter, outreach] : [fair, booth, newsletter, outreach, lunches];
    }

    public static DemoCampaigns Plan(DemoPlan plan, IReadOnlyList<DemoClinic> clinics, DateOnly today, bool large) => new(plan, clinics, today, large);

    /// <summary>The campaign a generated everyday touch belongs to: a lunch in the last year is one of the series.</summary>
    public int? CampaignOf(int sourceId, TouchMethod method, DateOnly date) =>
        lunches is not null && method == TouchMethod.Lunch && date >= lunches.StartsOn && !engineered.Contains(sourceId) ? lunches.Id : null;

    /// <summary>A catered lunch costs what lunches for an office cost, $85 to $135.</summary>
    public static decimal? CostOf(TouchMethod method, int salt) => method == TouchMethod.Lunch ? 85m + Math.Abs(salt % 6) * 10m : null;

    /// <summary>Direct-access patients who came because they saw the practice at the fair say so at intake.</summary>
    public int? CampaignOf(AcquisitionChannel channel, DateOnly received) =>
        channel == AcquisitionChannel.Event && received >= fair.StartsOn && received <= fair.StartsOn.AddDays(75) ? fair.Id : null;

    /// <summary>Writes the campaigns and their cost lines (before the history, whose touches and referrals name them) and sets their ids.</summary>
    public async Task SaveCampaignsAsync(RapportDbContext db, string ownerUserId, CancellationToken cancellationToken)
    {
        var rows = All.Select(c => (Plan: c, Row: new Campaign
        {
            Name = c.Name, Kind = c.Kind, StartsOn = c.StartsOn, EndsOn = c.EndsOn, Budget = c.Budget, TargetSpecialties = c.TargetSpecialties,
            Notes = c.Notes, OwnerUserId = ownerUserId,
            Clinics = c.ClinicId is { } clinicId ? [new CampaignClinic { ClinicId = clinicId }] : [],
            Costs = [.. c.Costs.Select(k => new CampaignCost { Description = k.Description, Amount = k.Amount, IncurredOn = k.IncurredOn })],
        })).ToList();
        db.Campaigns.AddRange(rows.Select(r => r.Row));
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (plan, row) in rows) plan.Id = row.Id;
    }

    /// <summary>Writes the campaigns' target sources, once the sources are loaded.</summary>
    public async Task SaveTargetsAsync(RapportDbContext db, CancellationToken cancellationToken)
    {
        db.Set<CampaignTarget>().AddRange(All.SelectMany(c => c.Targets.Distinct().Select(sourceId => new CampaignTarget { CampaignId = c.Id, SourceId = sourceId })));
        await db.SaveChangesAsync(cancellationToken);
    }

    private void BecomesReferrer(SourcePlan source, DateOnly addedBy, DateOnly firstReferral, double monthly)
    {
        source.Status = SourceStatus.Active;
        source.ActiveFrom = firstReferral;
        source.FirstReferralOn = firstReferral;
        source.MonthlyRate = monthly;
        source.TrendPerYear = 0;
        var added = addedBy.AddDays(-35).ToDateTime(new TimeOnly(16, 0), DateTimeKind.Utc);
        if (source.CreatedAt > added) source.CreatedAt = added;
    }

    private static string Season(DateOnly day) => day.Month switch { 3 or 4 or 5 => "Spring", 6 or 7 or 8 => "Summer", 9 or 10 or 11 => "Fall", _ => "Winter" };

    private static DateOnly LastOn(DateOnly onOrBefore, DayOfWeek day) => onOrBefore.AddDays(-(((int)onOrBefore.DayOfWeek - (int)day + 7) % 7));

    private static DateOnly FirstOn(DateOnly month, DayOfWeek day) => month.AddDays(((int)day - (int)month.DayOfWeek + 7) % 7);

    private static DateOnly Weekday(DateOnly day) => day.DayOfWeek switch { DayOfWeek.Saturday => day.AddDays(2), DayOfWeek.Sunday => day.AddDays(1), _ => day };

    /// <summary>Every campaign touch not already in the everyday log.</summary>
    public IEnumerable<DemoCampaignTouch> TouchesOf(DemoCampaign campaign) => campaign.Touches.Where(t => t.OccurredOn <= today);
}
