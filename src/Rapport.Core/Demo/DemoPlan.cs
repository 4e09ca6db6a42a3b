using Rapport.Common;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Demo;

/// <summary>How big the demo is. Everything else follows from these numbers and the seed.</summary>
internal sealed record DemoShape(
    string OrganizationName,
    string Slug,
    int Clinics,
    int Sources,
    int Months,
    long TargetReferrals,
    int Liaisons,
    bool RebuildIndexesAfterLoad)
{
    public static DemoShape For(DemoScale scale) => scale switch
    {
        DemoScale.Large => new("Riverside Rehab Network", "riverside-network", 100, 20_000, 120, 2_000_000, 12, true),
        _ => new("Riverside Physical Therapy", "riverside", 3, DemoVocabulary.SourceKinds.Sum(k => k.SmallCount), 36, 6_800, 2, false),
    };
}

internal sealed record DemoClinic(int Index, int Id, string Name, Metro Metro, string[] Therapists);

internal sealed record DemoStaff(string UserId, string Name);

/// <summary>One referrer with everything needed to write its row and to generate its history.</summary>
internal sealed class SourcePlan
{
    public required int Id { get; init; }
    public required int Index { get; init; }
    public required SourceKind Kind { get; init; }
    public required string Specialty { get; init; }
    public required string? FirstName { get; init; }
    public required string LastName { get; init; }
    public required string? Credential { get; init; }
    public required string Npi { get; init; }
    public required string PracticeName { get; init; }
    public required string AddressLine { get; init; }
    public required Metro Metro { get; init; }
    public required string Zip { get; init; }
    public required string Phone { get; init; }
    public required string Fax { get; init; }
    public required string? Email { get; init; }
    public required TouchMethod? PreferredContactMethod { get; init; }
    public required DemoStaff Owner { get; init; }
    public required DemoClinic Clinic { get; init; }
    public required SourceStatus Status { get; set; }
    public required int? TouchCadenceDays { get; init; }
    public required string? Tags { get; init; }
    public required DateOnly ActiveFrom { get; set; }
    public required DateOnly? ActiveUntil { get; init; }
    /// <summary>Mean referrals a month before seasonality and growth; scaled so the practice hits its target volume.</summary>
    public double MonthlyRate { get; set; }
    public required double TrendPerYear { get; set; }
    /// <summary>A first referral that happens whatever the dice say (a campaign's recruit, see <see cref="DemoCampaigns"/>).</summary>
    public DateOnly? FirstReferralOn { get; set; }
    /// <summary>0 = the practice's closest partners (touched often) … 2 = the long tail.</summary>
    public int Tier { get; set; }
    public required bool IsHouse { get; init; }
    public required DateTime CreatedAt { get; set; }
}

/// <summary>A patient row, written once with the patient's first episode.</summary>
internal sealed record DemoPatient(int Id, string FirstName, string LastName, DateOnly BirthDate, string Sex, string Zip, string Payer,
    PayerCategory PayerCategory, AcquisitionChannel Channel, DateTime CreatedAt);

internal sealed record DemoReferBack(int ToSourceId, DateOnly SentOn, string Reason);

/// <summary>One referral (episode of care), with its patient when new, and the refer-back it led to, if any.</summary>
internal sealed class DemoEpisode
{
    public required int ReferralId { get; init; }
    public required int PatientId { get; init; }
    public required DemoPatient? NewPatient { get; init; }
    public required int? SourceId { get; init; }
    public required int ClinicId { get; init; }
    public required string Therapist { get; init; }
    public required DateOnly ReceivedOn { get; init; }
    public DateOnly? ScheduledOn { get; init; }
    public DateOnly? EvaluatedOn { get; init; }
    public DateOnly? DischargedOn { get; init; }
    public DateOnly? LostOn { get; init; }
    public string? LostReason { get; init; }
    public required Condition Condition { get; init; }
    public required PayerCategory PayerCategory { get; init; }
    public required AcquisitionChannel Channel { get; init; }
    public required int VisitCount { get; init; }
    public DemoReferBack? ReferBack { get; set; }
    /// <summary>For a direct-access episode, the campaign the patient named at intake.</summary>
    public int? CampaignId { get; set; }
    public ReferralStatus Status => ReferralTimeline.StatusOf(ScheduledOn, EvaluatedOn, DischargedOn, LostOn);
}

internal sealed record DemoTouch(int SourceId, DateOnly OccurredOn, TouchMethod Method, string Purpose, string? Notes, DemoStaff By, int? CampaignId, DateOnly? FollowUpOn, decimal? Cost);

/// <summary>
/// The whole demo as a pure function of (seed, shape, today): the same inputs always yield the
/// same rows in the same order. Sources are held in memory (tens of thousands at most); episodes
/// and touches are produced lazily and can be enumerated again, identically, for each table, so
/// a 2-million-referral load never holds more than one source's month at a time.
/// </summary>
internal sealed class DemoPlan
{
    /// <summary>Outside the range the other sources draw from (100,000,000–189,999,999), so it never collides.</summary>
    public const string HouseNpiDigits = "198765432";
    private const double DirectAccessShare = 0.22;
    private const int RecentReuseWindow = 4096;

    private readonly int seed;
    private readonly DemoShape shape;
    private readonly DateOnly today;
    private readonly DateTime now;
    private readonly IReadOnlyList<DemoClinic> clinics;
    private readonly Dictionary<string, Condition> conditionsByKey = DemoVocabulary.Conditions.ToDictionary(c => c.Key, StringComparer.Ordinal);
    private readonly int firstPatientId;
    private readonly int firstReferralId;
    private double directAccessRate;

    private DemoPlan(int seed, DemoShape shape, DateOnly today, DateTime now, IReadOnlyList<DemoClinic> clinics, int firstPatientId, int firstReferralId)
    {
        this.seed = seed;
        this.shape = shape;
        this.today = today;
        this.now = now;
        this.clinics = clinics;
        this.firstPatientId = firstPatientId;
        this.firstReferralId = firstReferralId;
        WindowStart = new DateOnly(today.Year, today.Month, 1).AddMonths(-(shape.Months - 1));
        Sources = [];
    }

    public DateOnly WindowStart { get; }
    public List<SourcePlan> Sources { get; }
    public double ExpectedReferrals { get; private set; }
    public DemoCampaigns Campaigns { get; private set; } = null!;

    public static DemoPlan Create(int seed, DemoShape shape, DateOnly today, DateTime now, IReadOnlyList<DemoClinic> clinics,
        IReadOnlyList<DemoStaff> liaisons, int firstSourceId, int firstPatientId, int firstReferralId)
    {
        var plan = new DemoPlan(seed, shape, today, now, clinics, firstPatientId, firstReferralId);
        plan.PlanSources(liaisons, firstSourceId);
        plan.Campaigns = DemoCampaigns.Plan(plan, clinics, today, large: shape.Clinics > 3);
        return plan;
    }

    public static int Mix(int seed, int a, int b)
    {
        unchecked
        {
            var h = (uint)seed * 0x9E3779B1u;
            h ^= (uint)a * 0x85EBCA6Bu + 0x7F4A7C15u + (h << 6) + (h >> 2);
            h ^= (uint)b * 0xC2B2AE35u + 0x165667B1u + (h << 6) + (h >> 2);
            h ^= h >> 16;
            h *= 0x7FEB352Du;
            h ^= h >> 15;
            h *= 0x846CA68Bu;
            h ^= h >> 16;
            return (int)(h & 0x7FFFFFFF);
        }
    }

    // ---------------------------------------------------------------- sources

    private void PlanSources(IReadOnlyList<DemoStaff> liaisons, int firstSourceId)
    {
        var random = new Random(Mix(seed, 1, 0));
        var kinds = new List<SourceKind>(shape.Sources);
        if (shape.Sources == DemoVocabulary.SourceKinds.Sum(k => k.SmallCount))
        {
            foreach (var kind in DemoVocabulary.SourceKinds)
            {
                kinds.AddRange(Enumerable.Repeat(kind, kind.SmallCount));
            }
        }
        else
        {
            var weights = DemoVocabulary.SourceKinds.Select(k => k.Weight).ToArray();
            kinds.Add(DemoVocabulary.SourceKinds[0]);
            while (kinds.Count < shape.Sources)
            {
                kinds.Add(DemoVocabulary.SourceKinds[PickWeighted(random, weights)]);
            }
        }

        // Statuses as exact shares, shuffled, so every seed has a few prospects, dormant and do-not-contact sources.
        var statuses = new SourceStatus[kinds.Count];
        var prospects = (int)Math.Round(kinds.Count * 0.11);
        var dormant = (int)Math.Round(kinds.Count * 0.085);
        var doNotContact = Math.Max(2, (int)Math.Round(kinds.Count * 0.013));
        for (var i = 1; i < statuses.Length; i++)
        {
            statuses[i] = i <= prospects ? SourceStatus.Prospect
                : i <= prospects + dormant ? SourceStatus.Dormant
                : i <= prospects + dormant + doNotContact ? SourceStatus.DoNotContact
                : SourceStatus.Active;
        }
        Shuffle(random, statuses, from: 1);

        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        var npiStride = Math.Max(11, 90_000_000 / Math.Max(1, kinds.Count));
        for (var index = 0; index < kinds.Count; index++)
        {
            var source = index == 0
                ? House(random, firstSourceId, liaisons)
                : NewSource(random, index, firstSourceId + index, kinds[index], statuses[index], liaisons, usedNames, 100_000_000 + index * npiStride + random.Next(npiStride));
            usedNames.Add($"{source.FirstName} {source.LastName}");
            Sources.Add(source);
        }

        // Tiers by planned volume: the top tenth are the partners a liaison sees every few weeks.
        var ranked = Sources.Where(s => s.Status is SourceStatus.Active).OrderByDescending(s => s.MonthlyRate).ThenBy(s => s.Id).ToList();
        for (var i = 0; i < ranked.Count; i++)
        {
            ranked[i].Tier = i < ranked.Count / 10 ? 0 : i < ranked.Count * 4 / 10 ? 1 : 2;
        }
        foreach (var source in Sources.Where(s => s.Status is not SourceStatus.Active))
        {
            source.Tier = 2;
        }
        Sources[0].Tier = 0;

        // Scale the relative rates so the whole practice receives about the target number of referrals.
        var house = HouseWindows(new Random(Mix(seed, 3, 0))).Sum(w => w.Count);
        var physicianTarget = shape.TargetReferrals * (1 - DirectAccessShare) - house;
        var unscaled = Sources.Skip(1).Sum(s => ExpectedCount(s.MonthlyRate, s.TrendPerYear, s.ActiveFrom, s.ActiveUntil));
        var scale = physicianTarget / Math.Max(1, unscaled);
        foreach (var source in Sources.Skip(1))
        {
            source.MonthlyRate *= scale;
        }
        var directUnscaled = ExpectedCount(1, 0.07, WindowStart, null);
        directAccessRate = shape.TargetReferrals * DirectAccessShare / clinics.Count / directUnscaled;
        ExpectedReferrals = shape.TargetReferrals;
    }

    private SourcePlan House(Random random, int id, IReadOnlyList<DemoStaff> liaisons)
    {
        var metro = clinics[0].Metro;
        var specialty = SpecialtyCatalog.Find("207X00000X")!;
        return new SourcePlan
        {
            Id = id, Index = 0, Kind = DemoVocabulary.SourceKinds[0], Specialty = specialty.Category,
            FirstName = "Gregory", LastName = "House", Credential = "MD", Npi = Formats.NpiWithCheckDigit(HouseNpiDigits),
            PracticeName = "Plainsboro Orthopaedic & Joint Center", AddressLine = "1200 Magnolia Ave, Suite 300", Metro = metro, Zip = metro.Zips[0],
            Phone = Formats.NormalizePhone($"{metro.AreaCode}5550142")!, Fax = Formats.NormalizePhone($"{metro.AreaCode}5550143")!,
            Email = "ghouse@plainsboro-ortho.test", PreferredContactMethod = TouchMethod.InPerson, Owner = liaisons[0], Clinic = clinics[0],
            Status = SourceStatus.Active, TouchCadenceDays = 30, Tags = "joint replacement, knee, top referrer",
            ActiveFrom = today.AddMonths(-30), ActiveUntil = null, MonthlyRate = HouseSteadyMonthly, TrendPerYear = 0, IsHouse = true,
            CreatedAt = Timestamp(today.AddMonths(-30).AddDays(-45), random),
        };
    }

    private SourcePlan NewSource(Random random, int index, int id, SourceKind kind, SourceStatus status, IReadOnlyList<DemoStaff> liaisons,
        HashSet<string> usedNames, int npiDigits)
    {
        var specialty = SpecialtyCatalog.Find(kind.TaxonomyCode) ?? throw new InvalidOperationException($"Taxonomy {kind.TaxonomyCode} is not in the catalog.");
        var clinic = clinics[random.Next(clinics.Count)];
        var metro = clinic.Metro;
        string firstName, lastName;
        do
        {
            firstName = random.Next(2) == 0 ? Pick(random, DemoVocabulary.FemaleFirstNames) : Pick(random, DemoVocabulary.MaleFirstNames);
            lastName = Pick(random, DemoVocabulary.LastNames);
        }
        while (usedNames.Contains($"{firstName} {lastName}") && usedNames.Count < 5_000);
        var practice = Pick(random, kind.PracticeTemplates).Replace("{City}", metro.City, StringComparison.Ordinal).Replace("{Last}", lastName, StringComparison.Ordinal);
        var domain = new string(practice.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(24).ToArray()) + ".test";
        var exchange = 200 + random.Next(700);
        var line = random.Next(10_000);
        var monthsBack = shape.Months + 24;
        // Most relationships predate the window; some start inside it and ramp up from there.
        var activeFrom = random.NextDouble() < 0.7 ? WindowStart.AddMonths(-random.Next(1, 24)) : today.AddDays(-random.Next(60, shape.Months * 30));
        DateOnly? activeUntil = status switch
        {
            SourceStatus.Dormant => today.AddDays(-random.Next(150, 540)),
            SourceStatus.DoNotContact => today.AddDays(-random.Next(240, 720)),
            _ => null,
        };
        if (activeUntil is { } until && until <= activeFrom)
        {
            activeFrom = until.AddDays(-random.Next(200, 700));
        }
        if (status == SourceStatus.Prospect)
        {
            activeFrom = today.AddDays(-random.Next(20, 360));
        }
        // Log-normal volumes: a handful of heavy referrers and a long tail.
        var rate = status == SourceStatus.Prospect ? 0 : kind.VolumeFactor * Math.Exp(Normal(random) * 0.95);
        var cadence = random.NextDouble() switch { < 0.25 => (int?)null, < 0.45 => 30, < 0.75 => 60, < 0.9 => 90, _ => 45 };
        return new SourcePlan
        {
            Id = id, Index = index, Kind = kind, Specialty = specialty.Category,
            FirstName = kind.IsPerson ? firstName : null, LastName = lastName, Credential = Pick(random, kind.Credentials),
            Npi = Formats.NpiWithCheckDigit(npiDigits.ToString("D9", System.Globalization.CultureInfo.InvariantCulture)),
            PracticeName = practice, AddressLine = $"{100 + random.Next(9800)} {Pick(random, metro.Streets)}{(random.Next(3) == 0 ? $", Suite {100 + random.Next(400)}" : "")}",
            Metro = metro, Zip = Pick(random, metro.Zips),
            Phone = Formats.NormalizePhone($"{metro.AreaCode}{exchange}{line:D4}")!,
            Fax = Formats.NormalizePhone($"{metro.AreaCode}{exchange}{(line + 1) % 10_000:D4}")!,
            Email = random.NextDouble() < 0.8 ? $"{firstName[0]}{lastName}@{domain}".ToLowerInvariant() : null,
            PreferredContactMethod = random.NextDouble() switch { < 0.35 => TouchMethod.InPerson, < 0.6 => TouchMethod.Email, < 0.8 => TouchMethod.Phone, < 0.9 => TouchMethod.Fax, _ => null },
            Owner = liaisons[random.Next(liaisons.Count)], Clinic = clinic, Status = status,
            TouchCadenceDays = status == SourceStatus.DoNotContact ? null : cadence,
            Tags = random.NextDouble() < 0.3 ? Pick(random, ["surgeon", "hospital-affiliated", "lunch-and-learn", "newsletter", "high potential", "med group"]) : null,
            ActiveFrom = activeFrom, ActiveUntil = activeUntil, MonthlyRate = rate, TrendPerYear = Normal(random) * 0.12,
            IsHouse = false,
            CreatedAt = Timestamp(Max(today.AddMonths(-monthsBack), activeFrom.AddDays(-random.Next(10, 90))), random),
        };
    }

    // ---------------------------------------------------------------- referrals

    /// <summary>
    /// Dr. House's usual referrals a month: a busy joint-replacement surgeon's (most of his
    /// post-operative knees). At the 4 a month of a general orthopaedist, a halving over four months
    /// is 16 → 8 referrals, which month-to-month scatter produces by chance often enough that no sound
    /// test can call it on every day of the year; at 12 it still fell short on a few days of some
    /// seeds; at 20 the halving (80 → 40) is beyond chance on every day of a year for seeds 1–20
    /// (bench/demo-story.sh).
    /// </summary>
    public const int HouseSteadyMonthly = 20;

    /// <summary>Dr. House's referral counts, by month-long windows back from today: steady (with the season), then halved for the last four.</summary>
    private List<(DateOnly From, DateOnly To, int Count)> HouseWindows(Random random)
    {
        var windows = new List<(DateOnly, DateOnly, int)>();
        for (var k = 0; k < 30; k++)
        {
            // The practice's season, as every other source follows it, and a referral either way at random.
            var middle = today.AddMonths(-k).AddDays(-15);
            var usual = HouseSteadyMonthly * DemoVocabulary.Seasonality[middle.Month - 1] * (k < 4 ? 0.5 : 1);
            var count = Math.Max(1, (int)Math.Round(usual) - 1 + random.Next(3));
            windows.Add((today.AddMonths(-(k + 1)).AddDays(1), today.AddMonths(-k), count));
        }
        windows.Reverse();
        return windows;
    }

    /// <summary>Every referral of the demo, in a fixed order: each source's history, then direct access by clinic.</summary>
    public IEnumerable<DemoEpisode> Episodes()
    {
        var ids = new IdCounters(firstPatientId, firstReferralId);
        var pastPatients = new RecentPatients(RecentReuseWindow);
        foreach (var source in Sources)
        {
            var random = new Random(Mix(seed, 2, source.Index));
            var recent = new RecentPatients(64);
            if (source.IsHouse)
            {
                foreach (var episode in HouseEpisodes(source, ids, recent, pastPatients))
                {
                    yield return episode;
                }
                continue;
            }
            if (source.MonthlyRate <= 0)
            {
                continue;
            }
            if (source.FirstReferralOn is { } first && first <= today)
            {
                yield return NewEpisode(random, ids, source, source.Clinic, first, conditionsByKey[Pick(random, source.Kind.Conditions)], recent, pastPatients,
                    AcquisitionChannel.Physician, allowLost: false);
            }
            foreach (var (from, to, expected) in Months(source.MonthlyRate, source.TrendPerYear, source.ActiveFrom, source.ActiveUntil))
            {
                var count = Poisson(random, expected);
                foreach (var received in Days(random, from, to, count))
                {
                    var episode = NewEpisode(random, ids, source, source.Clinic, received, conditionsByKey[Pick(random, source.Kind.Conditions)], recent, pastPatients,
                        AcquisitionChannel.Physician, allowLost: true);
                    yield return episode;
                }
            }
        }
        var targets = ReferOnTargets();
        foreach (var clinic in clinics)
        {
            var random = new Random(Mix(seed, 4, clinic.Id));
            var recent = new RecentPatients(64);
            foreach (var (from, to, expected) in Months(directAccessRate, 0.07, WindowStart, null))
            {
                foreach (var received in Days(random, from, to, Poisson(random, expected)))
                {
                    var channel = DirectChannel(random);
                    var episode = NewEpisode(random, ids, null, clinic, received, PickDirectCondition(random), recent,
                        channel == AcquisitionChannel.PastPatient ? pastPatients : null, channel, allowLost: true);
                    episode.CampaignId = Campaigns.CampaignOf(channel, received);
                    // Networking by referral: now and then a direct-access patient is sent on to a physician.
                    if (episode.EvaluatedOn is { } evaluated && targets.Length > 0 && random.NextDouble() < 0.05)
                    {
                        episode.ReferBack = new DemoReferBack(targets[random.Next(targets.Length)], Min(today, evaluated.AddDays(random.Next(0, 21))),
                            Pick(random, ["Referred for medical evaluation", "Imaging recommended", "Surgical consult recommended", "Medication review"]));
                    }
                    yield return episode;
                }
            }
        }
    }

    private int[] ReferOnTargets() => Sources
        .Where(s => !s.IsHouse && s.Status is SourceStatus.Active or SourceStatus.Prospect && s.Kind.TaxonomyCode is "207X00000X" or "207QS0010X" or "213E00000X" or "208100000X" or "204C00000X")
        .Select(s => s.Id).ToArray();

    private IEnumerable<DemoEpisode> HouseEpisodes(SourcePlan house, IdCounters ids, RecentPatients recent, RecentPatients pastPatients)
    {
        var random = new Random(Mix(seed, 3, 0));
        var windows = HouseWindows(random);
        var tka = conditionsByKey["tka"];
        var episodes = new List<DemoEpisode>();
        var recentCutoff = today.AddMonths(-4);
        foreach (var (from, to, count) in windows)
        {
            foreach (var received in Days(random, from, Min(to, today.AddDays(-9)) < from ? to : Min(to, today.AddDays(-9)), count))
            {
                episodes.Add(NewEpisode(random, ids, house, house.Clinic, received, tka, recent, pastPatients, AcquisitionChannel.Physician,
                    allowLost: received <= recentCutoff));
            }
        }
        // Refer-backs: regular until a little over two months ago, then none.
        var lastReferBack = today.AddDays(-random.Next(65, 71));
        foreach (var episode in episodes)
        {
            if (episode.ReferBack is { } referBack && referBack.SentOn >= lastReferBack)
            {
                episode.ReferBack = null;
            }
        }
        var carrier = episodes.Where(e => e.EvaluatedOn is { } evaluated && evaluated <= lastReferBack.AddDays(-3) && e.LostOn is null)
            .OrderByDescending(e => e.EvaluatedOn).ThenByDescending(e => e.ReferralId).First();
        carrier.ReferBack = new DemoReferBack(house.Id, lastReferBack, "Post-op follow-up: knee flexion plateau");
        return episodes;
    }

    private DemoEpisode NewEpisode(Random random, IdCounters ids, SourcePlan? source, DemoClinic homeClinic, DateOnly received, Condition chosen,
        RecentPatients recent, RecentPatients? pastPatients, AcquisitionChannel channel, bool allowLost)
    {
        var clinic = random.NextDouble() < 0.85 ? homeClinic : clinics[(homeClinic.Index + 1 + random.Next(Math.Min(3, clinics.Count))) % clinics.Count];
        if (clinics.Count > 3 && clinic.Metro != homeClinic.Metro)
        {
            clinic = homeClinic;
        }

        // A returning patient keeps their record: a second episode from the same physician, or a past patient coming back on their own.
        var returning = (channel == AcquisitionChannel.PastPatient ? pastPatients?.Find(random, received) : null)
            ?? (random.NextDouble() < 0.05 ? recent.Find(random, received) : null);
        DemoPatient? newPatient = null;
        int patientId;
        PayerCategory payerCategory;
        if (returning is { } known)
        {
            patientId = known.Id;
            payerCategory = known.PayerCategory;
        }
        else
        {
            newPatient = NewPatient(random, ids.NextPatient(), chosen, clinic.Metro, received, channel);
            patientId = newPatient.Id;
            payerCategory = newPatient.PayerCategory;
        }

        // Timeline: scheduled within days, evaluated a few days later, discharged after a plan of care; about one in ten lost.
        var lost = allowLost && random.NextDouble() < 0.10;
        DateOnly? scheduled = received.AddDays(random.Next(10) switch { < 3 => 0, < 6 => 1, < 8 => 2, 8 => 3, _ => 5 });
        DateOnly? evaluated = scheduled.Value.AddDays(1 + random.Next(7));
        DateOnly? discharged = null;
        DateOnly? lostOn = null;
        string? lostReason = null;
        var plannedVisits = random.Next(chosen.VisitsMin, chosen.VisitsMax + 1);
        var plannedDays = random.Next(chosen.WeeksMin * 7, chosen.WeeksMax * 7 + 1);
        if (random.NextDouble() < 0.08)
        {
            // Stopped coming: a short episode, discharged by the clinic.
            plannedVisits = Math.Min(plannedVisits, 2 + random.Next(4));
            plannedDays = Math.Min(plannedDays, 10 + random.Next(20));
        }
        if (lost)
        {
            var beforeScheduling = random.NextDouble() < 0.55;
            var lostDate = beforeScheduling ? received.AddDays(2 + random.Next(13)) : scheduled.Value.AddDays(1 + random.Next(10));
            if (lostDate <= today)
            {
                lostOn = lostDate;
                lostReason = beforeScheduling ? Pick(random, DemoVocabulary.LostReasons[..^1]) : random.Next(2) == 0 ? "No-show to evaluation" : Pick(random, DemoVocabulary.LostReasons);
                if (beforeScheduling)
                {
                    scheduled = null;
                }
                evaluated = null;
            }
        }
        if (scheduled > today)
        {
            scheduled = null;
            evaluated = null;
        }
        if (evaluated > today)
        {
            evaluated = null;
        }
        var visits = 0;
        if (evaluated is { } evaluatedOn)
        {
            var end = evaluatedOn.AddDays(plannedDays);
            if (end <= today)
            {
                discharged = end;
                visits = plannedVisits;
            }
            else
            {
                var elapsed = today.DayNumber - evaluatedOn.DayNumber;
                visits = Math.Max(1, (int)Math.Round(plannedVisits * (double)elapsed / plannedDays));
            }
        }
        var episode = new DemoEpisode
        {
            ReferralId = ids.NextReferral(), PatientId = patientId, NewPatient = newPatient, SourceId = source?.Id, ClinicId = clinic.Id,
            Therapist = Pick(random, clinic.Therapists), ReceivedOn = received, ScheduledOn = scheduled, EvaluatedOn = evaluated,
            DischargedOn = discharged, LostOn = lostOn, LostReason = lostReason, Condition = chosen, PayerCategory = payerCategory,
            Channel = channel, VisitCount = visits,
        };
        if (discharged is { } dischargedOn)
        {
            var seen = new SeenPatient(patientId, dischargedOn, payerCategory);
            recent.Add(seen);
            pastPatients?.Add(seen);
        }
        if (source is not null && evaluated is { } start && random.NextDouble() < source.Kind.ReferBackShare * (source.IsHouse ? 2 : 1))
        {
            var sent = start.AddDays(7 + random.Next(Math.Max(1, plannedDays - 7)));
            episode.ReferBack = new DemoReferBack(source.Id, Min(sent, Min(discharged ?? today, today)), DemoVocabulary.ReferBackReason(chosen, random.Next(12)));
        }
        return episode;
    }

    private DemoPatient NewPatient(Random random, int id, Condition condition, Metro metro, DateOnly received, AcquisitionChannel channel)
    {
        var female = condition.Key == "pelvic" || random.NextDouble() < 0.56;
        var age = condition.AgeMin + (int)((condition.AgeMax - condition.AgeMin + 1) * Math.Pow(random.NextDouble(), condition.AgeMin >= 55 ? 1.3 : 1));
        var birth = received.AddYears(-age).AddDays(-random.Next(365));
        var payers = age >= 65 ? DemoVocabulary.SeniorPayers : DemoVocabulary.AdultPayers;
        var payer = payers[PickWeighted(random, payers.Select(p => p.Weight).ToArray())];
        if (condition.Key == "whiplash" && random.NextDouble() < 0.6)
        {
            payer = new PayerChoice("Auto insurance (MedPay)", PayerCategory.Auto, 1);
        }
        return new DemoPatient(id,
            female ? Pick(random, DemoVocabulary.FemaleFirstNames) : Pick(random, DemoVocabulary.MaleFirstNames),
            Pick(random, DemoVocabulary.LastNames), birth, female ? "F" : "M", Pick(random, metro.Zips), payer.Name, payer.Category, channel,
            Timestamp(received, random));
    }

    private static AcquisitionChannel DirectChannel(Random random) => random.NextDouble() switch
    {
        < 0.27 => AcquisitionChannel.WebSearch,
        < 0.49 => AcquisitionChannel.FriendOrFamily,
        < 0.66 => AcquisitionChannel.PastPatient,
        < 0.74 => AcquisitionChannel.Website,
        < 0.81 => AcquisitionChannel.SocialMedia,
        < 0.88 => AcquisitionChannel.Event,
        < 0.93 => AcquisitionChannel.Employer,
        < 0.96 => AcquisitionChannel.Insurer,
        _ => AcquisitionChannel.Other,
    };

    /// <summary>Direct access is for conservative care: post-surgical rehab comes through the surgeon, so those draws become back pain.</summary>
    private Condition PickDirectCondition(Random random) =>
        DemoVocabulary.Conditions[random.Next(DemoVocabulary.Conditions.Length)] is { Procedure: null } condition ? condition : conditionsByKey["lbp"];

    /// <summary>Calendar months of the window (clipped to the active period and to today) with their expected referral counts.</summary>
    private IEnumerable<(DateOnly From, DateOnly To, double Expected)> Months(double rate, double trendPerYear, DateOnly activeFrom, DateOnly? activeUntil)
    {
        for (var month = WindowStart; month <= today; month = month.AddMonths(1))
        {
            var monthEnd = month.AddMonths(1).AddDays(-1);
            var from = Max(month, activeFrom);
            var to = Min(Min(monthEnd, today), activeUntil ?? today);
            if (to < from)
            {
                continue;
            }
            var share = (to.DayNumber - from.DayNumber + 1) / (double)(monthEnd.DayNumber - month.DayNumber + 1);
            var yearsAgo = (today.DayNumber - month.DayNumber) / 365.25;
            // The practice grows about 6% a year; each source drifts on its own trend.
            var expected = rate * share * DemoVocabulary.Seasonality[month.Month - 1] * Math.Pow(1.06, -yearsAgo) * Math.Exp(-trendPerYear * yearsAgo);
            yield return (from, to, expected);
        }
    }

    private double ExpectedCount(double rate, double trendPerYear, DateOnly activeFrom, DateOnly? activeUntil) =>
        Months(rate, trendPerYear, activeFrom, activeUntil).Sum(m => m.Expected);

    /// <summary><paramref name="count"/> dates in [from, to], mostly weekdays, in order.</summary>
    private static List<DateOnly> Days(Random random, DateOnly from, DateOnly to, int count)
    {
        var days = new List<DateOnly>(count);
        var span = to.DayNumber - from.DayNumber + 1;
        for (var i = 0; i < count; i++)
        {
            var day = from.AddDays(random.Next(span));
            day = day.DayOfWeek switch { DayOfWeek.Saturday => day.AddDays(-1), DayOfWeek.Sunday => day.AddDays(1), _ => day };
            days.Add(Min(Max(day, from), to));
        }
        days.Sort();
        return days;
    }

    // ---------------------------------------------------------------- touchpoints

    /// <summary>Every touchpoint, source by source: more for close partners, none for some of the tail.</summary>
    public IEnumerable<DemoTouch> Touches(IReadOnlyList<DemoStaff> staff)
    {
        var methodWeights = DemoVocabulary.TouchMethods.Select(m => m.Weight).ToArray();
        foreach (var source in Sources)
        {
            var random = new Random(Mix(seed, 5, source.Index));
            var dates = TouchDates(random, source);
            for (var i = 0; i < dates.Count; i++)
            {
                var date = dates[i];
                var last = i == dates.Count - 1;
                var method = source.IsHouse && last ? TouchMethod.InPerson : DemoVocabulary.TouchMethods[PickWeighted(random, methodWeights)].Method;
                var purpose = DemoVocabulary.TouchPurpose(method, random.Next(12));
                string? notes = null;
                if (source.Status == SourceStatus.DoNotContact && last)
                {
                    method = TouchMethod.Phone;
                    purpose = "Office asked us to stop contacting";
                    notes = "Practice manager asked for no further marketing contact. Keep sending plans of care only.";
                }
                else if (source.IsHouse && last)
                {
                    purpose = "Office drop-in with clinic update";
                    notes = "Brief; Dr. House was in surgery. Left outcome summaries for his TKA patients with the office manager.";
                }
                else if (random.NextDouble() < 0.2)
                {
                    notes = Pick(random, ["Receptive; asked for outcome data.", "Left brochures with front desk.", "Wants faster evaluation slots for post-op patients.",
                        "Mentioned patients complain about parking.", "Interested in our vestibular program.", "Asked about Saturday hours."]);
                }
                var by = random.NextDouble() < 0.12 ? staff[random.Next(staff.Count)] : source.Owner;
                DateOnly? followUp = random.NextDouble() < 0.15 && date.AddDays(14) <= today ? date.AddDays(14) : null;
                yield return new DemoTouch(source.Id, date, method, purpose, notes, by, Campaigns.CampaignOf(source.Id, method, date), followUp,
                    DemoCampaigns.CostOf(method, Mix(seed, source.Index, i)));
            }
        }
        var owners = Sources.ToDictionary(s => s.Id, s => s.Owner);
        foreach (var campaign in Campaigns.All)
        {
            foreach (var t in Campaigns.TouchesOf(campaign))
            {
                yield return new DemoTouch(t.SourceId, t.OccurredOn, t.Method, t.Purpose, t.Notes, owners[t.SourceId], campaign.Id, null, null);
            }
        }
    }

    private List<DateOnly> TouchDates(Random random, SourcePlan source)
    {
        var dates = new List<DateOnly>();
        if (source.IsHouse)
        {
            var houseRandom = new Random(Mix(seed, 6, 0));
            var last = today.AddDays(-houseRandom.Next(120, 126));
            for (var day = last; day >= source.ActiveFrom.AddDays(-60); day = day.AddDays(-(24 + houseRandom.Next(12))))
            {
                dates.Add(day);
            }
            dates.Reverse();
            return dates;
        }
        if (source.Status == SourceStatus.Prospect)
        {
            var touches = random.Next(4);
            for (var i = 0; i < touches; i++)
            {
                dates.Add(Min(today, source.ActiveFrom.AddDays(random.Next(Math.Max(1, today.DayNumber - source.ActiveFrom.DayNumber + 1)))));
            }
            dates.Sort();
            return dates;
        }
        if (source.Tier == 2 && random.NextDouble() < 0.22)
        {
            return dates;
        }
        var (gapMin, gapMax) = source.Tier switch { 0 => (18, 35), 1 => (30, 65), _ => (55, 150) };
        var start = Max(WindowStart.AddMonths(-2), source.ActiveFrom.AddDays(-random.Next(0, 60)));
        var end = source.ActiveUntil is { } until ? Min(today, until.AddDays(random.Next(0, 90))) : today;
        // Some relationships have quietly lapsed: no touch for months, an overdue alert to find.
        if (source.Status == SourceStatus.Active && random.NextDouble() < 0.12)
        {
            end = today.AddDays(-random.Next(90, 240));
        }
        for (var day = start.AddDays(random.Next(gapMax)); day <= end; day = day.AddDays(random.Next(gapMin, gapMax + 1)))
        {
            dates.Add(day.DayOfWeek switch { DayOfWeek.Saturday => day.AddDays(-1), DayOfWeek.Sunday => day.AddDays(-2), _ => day });
        }
        return dates;
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>A working-hours time on <paramref name="date"/> chosen by <paramref name="salt"/>, never after now.</summary>
    public DateTime At(DateOnly date, int salt)
    {
        var at = date.ToDateTime(new TimeOnly(15, 0), DateTimeKind.Utc).AddMinutes(unchecked((uint)salt * 2654435761u) % 540);
        return at > now ? now : at;
    }

    public DateTime Timestamp(DateOnly date, Random random)
    {
        var at = date.ToDateTime(new TimeOnly(15, 0), DateTimeKind.Utc).AddMinutes(random.Next(9 * 60));
        return at > now ? now : at;
    }

    private static double Normal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static int Poisson(Random random, double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }
        if (lambda > 40)
        {
            return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * Normal(random)));
        }
        var limit = Math.Exp(-lambda);
        var count = 0;
        for (var product = random.NextDouble(); product > limit; product *= random.NextDouble())
        {
            count++;
        }
        return count;
    }

    public static int PickWeighted(Random random, double[] weights)
    {
        var roll = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static void Shuffle<T>(Random random, T[] items, int from)
    {
        for (var i = items.Length - 1; i > from; i--)
        {
            var j = from + random.Next(i - from + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private sealed class IdCounters(int firstPatientId, int firstReferralId)
    {
        private int patient = firstPatientId;
        private int referral = firstReferralId;

        public int NextPatient() => patient++;

        public int NextReferral() => referral++;
    }

    private sealed record SeenPatient(int Id, DateOnly DischargedOn, PayerCategory PayerCategory);

    /// <summary>A bounded memory of recently discharged patients, so repeat episodes reuse real patient rows.</summary>
    private sealed class RecentPatients(int capacity)
    {
        private readonly SeenPatient[] items = new SeenPatient[capacity];
        private int count;
        private int next;

        public void Add(SeenPatient patient)
        {
            items[next] = patient;
            next = (next + 1) % items.Length;
            count = Math.Min(count + 1, items.Length);
        }

        public SeenPatient? Find(Random random, DateOnly received)
        {
            if (count == 0)
            {
                return null;
            }
            var candidate = items[random.Next(count)];
            return candidate.DischargedOn.AddDays(30) < received ? candidate : null;
        }
    }
}
