using System.Globalization;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Health;

public static class AlertKinds
{
    public const string Declining = "declining";
    public const string Lapsed = "lapsed";
    public const string TouchOverdue = "touch_overdue";
    public const string ReciprocityGap = "reciprocity_gap";
    public const string NewReferrer = "new_referrer";
    public const string Rising = "rising";
    public const string Concentration = "concentration";

    public static readonly IReadOnlyList<string> All = [Declining, Lapsed, TouchOverdue, ReciprocityGap, NewReferrer, Rising, Concentration];
}

/// <summary>
/// How strong an alert's evidence is. <see cref="Alert"/>: strong evidence (for the statistical
/// kinds, declining and lapsed, past the false-discovery control) or a plain fact (a touch overdue,
/// a refer-back gap). <see cref="Watch"/>: "probably down, not yet certain" — a large drop that is not
/// yet conclusive, or a drop together with an overdue touch and a refer-back gap.
/// </summary>
public static class AlertTiers
{
    public const string Alert = "alert";
    public const string Watch = "watch";

    public static readonly IReadOnlyList<string> All = [Alert, Watch];
}

/// <summary>The thresholds the signals use; an organization's <see cref="HealthSettings"/> supply them.</summary>
public sealed record HealthRules
{
    public int RecentMonths { get; init; } = 4;
    public double DeclineThresholdPercent { get; init; } = 30;
    public double FalseDiscoveryRate { get; init; } = 0.175;
    public int LapsedMinimumDays { get; init; } = 30;
    public int ReciprocityGapDays { get; init; } = 60;
    public int TopReferrerCadenceDays { get; init; } = 30;
    public int OtherCadenceDays { get; init; } = 60;
    public int ProspectCadenceDays { get; init; } = 90;
    /// <summary>Top referrers are the top this-percent of sources that referred in the last 12 months, by count.</summary>
    public double TopReferrerPercent { get; init; } = 20;
    public double ConcentrationPercent { get; init; } = 25;
    public int NewReferrerDays { get; init; } = 30;
    /// <summary>A source "refers regularly" when it referred in at least this many of the last 12 calendar months.</summary>
    public int RegularReferrerMonths { get; init; } = 6;

    public TrendOptions TrendOptions => new()
    {
        RecentMonths = RecentMonths,
        ChangeThresholdPercent = DeclineThresholdPercent,
        FalseDiscoveryRate = FalseDiscoveryRate,
        LapsedMinimumDays = LapsedMinimumDays,
    };
}

/// <summary>What the signals need to know about one source, read as of a date.</summary>
public sealed record SourceFacts
{
    public required int Id { get; init; }
    public string? Npi { get; init; }
    public required string Name { get; init; }
    public SourceStatus Status { get; init; } = SourceStatus.Active;
    public int? TouchCadenceDays { get; init; }
    public required DateOnly CreatedOn { get; init; }
    public string? OwnerUserId { get; init; }
    public required ReferralHistory Referrals { get; init; }
    /// <summary>Over all time, not only the snapshot's months.</summary>
    public DateOnly? FirstReferralOn { get; init; }
    /// <summary>
    /// The last referral on or before the as-of date, for the silence test; null when the snapshot did
    /// not read it, and then taken from <see cref="ReferralHistory.Dates"/>.
    /// </summary>
    public DateOnly? LastReferralOn { get; init; }
    public DateOnly? LastTouchOn { get; init; }
    public TouchMethod? LastTouchMethod { get; init; }
    public DateOnly? LastReferBackOn { get; init; }
    /// <summary>
    /// Whether the practice could refer this source's patients back (the source's own setting, else
    /// its specialty's): the refer-back gap is only raised where a refer-back is possible.
    /// </summary>
    public bool ExpectsReferBacks { get; init; } = true;
}

/// <summary>
/// A source's referrals within the snapshot's months: counts per month for everything that works on
/// months, and the received dates only where a signal needs the day (<see cref="HealthEvaluator.NeedsReferralDates"/>),
/// so a snapshot of 20,000 sources can be read from monthly rollup rows rather than every referral.
/// </summary>
public sealed record ReferralHistory
{
    /// <summary>Referrals received in each month of the snapshot's axis; the current month up to the as-of date.</summary>
    public required int[] Monthly { get; init; }
    /// <summary>Received after as-of − 12 months, as-of included: a day boundary, not a month one.</summary>
    public required int Last12Months { get; init; }
    /// <summary>
    /// Of <see cref="Last12Months"/>, how many each clinic of the snapshot's <see cref="HealthSnapshot.Clinics"/>
    /// received (clinic id → count; clinics without any left out).
    /// </summary>
    public IReadOnlyDictionary<int, int> Last12MonthsByClinic { get; init; } = new Dictionary<int, int>();
    /// <summary>Received dates within the snapshot's months, ascending; null when the snapshot did not read them.</summary>
    public IReadOnlyList<DateOnly>? Dates { get; init; }

    /// <param name="dates">Received dates within the axis months, none after <paramref name="asOf"/>, ascending.</param>
    public static ReferralHistory FromDates(IReadOnlyList<DateOnly> dates, MonthAxis axis, DateOnly asOf)
    {
        var monthly = new int[axis.Count];
        var since12m = asOf.AddMonths(-12);
        var last12Months = 0;
        foreach (var date in dates)
        {
            var i = axis.IndexOf(date);
            if (i >= 0 && i < axis.Count) monthly[i]++;
            if (date > since12m) last12Months++;
        }
        return new ReferralHistory { Monthly = monthly, Last12Months = last12Months, Dates = dates };
    }
}

/// <param name="Total">Referrals the clinic received over the last 12 months, from sources and not (a source's share is in <see cref="ReferralHistory.Last12MonthsByClinic"/>).</param>
public sealed record ClinicReferrals(int ClinicId, string ClinicName, int Total);

/// <summary>Everything the signals read, as of one date. Built from the database or, in tests, by hand.</summary>
public sealed record HealthSnapshot(
    DateOnly AsOf,
    HealthRules Rules,
    MonthAxis Axis,
    int[] PracticeMonthly,
    IReadOnlyList<SourceFacts> Sources,
    IReadOnlyList<ClinicReferrals> Clinics)
{
    /// <summary>Three years: two complete years for the seasonal index plus the recent window.</summary>
    public const int Months = 36;

    /// <summary>
    /// Whether the practice has recorded any refer-back on or before the as-of date: until it does,
    /// a missing refer-back says nothing about the relationship, only about what is recorded.
    /// </summary>
    public bool RecordsReferBacks { get; init; } = true;
}

public sealed record AlertSource(int Id, string? Npi, string Name);

/// <summary>The numbers behind an alert's reasons; only those of its kind are filled.</summary>
public sealed record AlertNumbers
{
    public int? RecentCount { get; init; }
    public int? RecentMonths { get; init; }
    public int? BaselineCount { get; init; }
    public int? BaselineMonths { get; init; }
    public int? PreviousWindowCount { get; init; }
    public double? ExpectedCount { get; init; }
    public double? ChangePercent { get; init; }
    public double? PValue { get; init; }
    public double? AdjustedPValue { get; init; }
    public double? Dispersion { get; init; }
    public DateOnly? LastTouchOn { get; init; }
    public string? LastTouchMethod { get; init; }
    public int? DaysSinceLastTouch { get; init; }
    public int? CadenceDays { get; init; }
    public DateOnly? LastReferBackOn { get; init; }
    public int? DaysSinceLastReferBack { get; init; }
    public int? ReciprocityGapDays { get; init; }
    public DateOnly? LastReferralOn { get; init; }
    public int? DaysSinceLastReferral { get; init; }
    public DateOnly? FirstReferralOn { get; init; }
    public int? Referrals12m { get; init; }
    public double? SharePercent { get; init; }
    public int? ScopeReferrals12m { get; init; }
    public string? Scope { get; init; }
    /// <summary>
    /// The source's usual referrals a month (<see cref="SourceRates.ExpectedMonthly"/>): its baseline
    /// rate, seasonally adjusted for the recent window's months. On every alert.
    /// </summary>
    public double? ExpectedMonthly { get; init; }
    /// <summary>Referrals a month the source sent over the recent window (<see cref="SourceRates.RecentMonthly"/>). On every alert.</summary>
    public double? RecentMonthly { get; init; }
}

/// <summary>
/// A source's referrals a month, usual and recent: the two figures the call list's "referrals a
/// month at risk" and the trend sentences are made of.
/// </summary>
/// <param name="ExpectedMonthly">
/// What the source would send a month over the recent window at its baseline rate (up to the 24
/// months before the window), allowing for the season: the trend test's expected count over the
/// window's elapsed months. A source with less than the baseline's minimum history: its referrals
/// of the last 12 months / 12.
/// </param>
/// <param name="RecentMonthly">What it sent over the recent window, per elapsed month.</param>
/// <remarks>Both to one decimal (<see cref="Of"/>).</remarks>
public sealed record SourceRates(double ExpectedMonthly, double RecentMonthly)
{
    /// <summary>
    /// Months elapsed in the recent window: the whole months before the current one, plus the share
    /// of the current month that has passed, so 20 referrals by the 26th of the window's last month
    /// are 20 over 3.87 months, not over 4.
    /// </summary>
    public static double ElapsedMonths(MonthAxis axis, int recentMonths)
    {
        double months = 0;
        for (var i = Math.Max(0, axis.Count - recentMonths); i < axis.Count; i++) months += axis.Fraction(i);
        return months;
    }

    /// <summary>
    /// Both rates to one decimal, as every door shows them: rounded once here, the sentence, the
    /// numbers and the call list's difference of the two (4.0 − 1.8 = 2.2) agree to the digit.
    /// </summary>
    public static SourceRates Of(TrendResult trend, int referrals12m, MonthAxis axis)
    {
        var elapsed = ElapsedMonths(axis, trend.RecentMonths);
        var expected = trend.BaselineMonths > 0 && elapsed > 0 ? trend.ExpectedCount / elapsed : referrals12m / 12.0;
        var recent = elapsed > 0 ? trend.RecentCount / elapsed : 0;
        return new SourceRates(OneDecimal(expected), OneDecimal(recent));
    }

    public static double OneDecimal(double perMonth) => Math.Round(perMonth, 1, MidpointRounding.AwayFromZero);
}

/// <param name="Fingerprint">The evidence an acknowledgement holds for: when it changes (a new touch, a new month), the alert is new.</param>
public sealed record HealthAlert(string Kind, AlertSource Source, IReadOnlyList<string> Reasons, DateOnly FirstRaisedAt, AlertNumbers Numbers,
    string Fingerprint, string? OwnerUserId)
{
    /// <summary><see cref="AlertTiers.Alert"/> or <see cref="AlertTiers.Watch"/>.</summary>
    public string Tier { get; init; } = AlertTiers.Alert;
}

/// <summary>
/// Computes every signal of every source from a <see cref="HealthSnapshot"/>. Pure: the same snapshot
/// always gives the same alerts, so scenarios and simulations need no database.
/// </summary>
public static class HealthEvaluator
{
    public static IReadOnlyList<HealthAlert> Evaluate(HealthSnapshot snapshot)
    {
        var asOf = snapshot.AsOf;
        var rules = snapshot.Rules;
        var axis = snapshot.Axis;
        var since12m = asOf.AddMonths(-12);
        var alerts = new List<HealthAlert>();

        var monthly = snapshot.Sources.Select(s => MonthlyCounts(s, axis) with { LastReferralOn = SilenceTestable(s, axis, rules, asOf) }).ToList();
        var complete = snapshot.PracticeMonthly.Take(axis.Count - 1).ToList();
        var seasonal = SeasonalIndex.Estimate(complete, axis.FirstMonth.Month);
        var options = rules.TrendOptions;
        var cooling = TrendTest.Evaluate(monthly, axis, seasonal, options);
        var trends = cooling.Trends.ToDictionary(t => t.SourceId);
        var lapses = cooling.Lapses.ToDictionary(l => l.SourceId);

        var referrals12m = snapshot.Sources.ToDictionary(s => s.Id, s => s.Referrals.Last12Months);
        var topThreshold = TopReferrerThreshold(referrals12m.Values, rules.TopReferrerPercent);
        var practice12m = snapshot.PracticeMonthly.Length == 0 ? 0 : Last12Months(snapshot.PracticeMonthly, axis);
        // A source's clinic alerts come in the snapshot's clinic order.
        var clinicOrder = snapshot.Clinics.Select((clinic, i) => (clinic.ClinicId, i)).ToDictionary(c => c.ClinicId, c => c.i);

        foreach (var source in snapshot.Sources)
        {
            var firstOfSource = alerts.Count;
            var reference = new AlertSource(source.Id, source.Npi, source.Name);
            var count12m = referrals12m[source.Id];
            var trend = trends[source.Id];
            var rates = SourceRates.Of(trend, count12m, axis);
            var touchSentence = TouchSentence(source, asOf);
            var referBackSentence = ReferBackSentence(source, asOf);
            var context = new[] { touchSentence, referBackSentence }.OfType<string>().ToList();
            var recentStart = axis.Month(axis.Count - rules.RecentMonths);
            var pickedUp = source.Status is SourceStatus.Active or SourceStatus.Prospect;
            var cadence = CadenceDays(source, count12m, topThreshold, rules);
            var touchedOn = source.LastTouchOn ?? source.CreatedOn;
            var daysSinceTouch = asOf.DayNumber - touchedOn.DayNumber;
            // A prospect nobody has contacted yet is due at once: its first touch (added from the registry or by hand).
            var firstTouch = source.Status == SourceStatus.Prospect && source.LastTouchOn is null && daysSinceTouch <= cadence;
            var touchOverdue = pickedUp && (daysSinceTouch > cadence || firstTouch);
            var daysSinceReferBack = source.LastReferBackOn is { } lastReferBack ? asOf.DayNumber - lastReferBack.DayNumber : (int?)null;
            var referBackGap = snapshot.RecordsReferBacks && source.ExpectsReferBacks && RefersRegularly(source, axis, rules)
                && (daysSinceReferBack is null || daysSinceReferBack > rules.ReciprocityGapDays);

            if (pickedUp && DeclineTier(trend, options, touchOverdue && referBackGap) is { } declineTier)
            {
                var watch = declineTier == AlertTiers.Watch;
                alerts.Add(new HealthAlert(AlertKinds.Declining, reference,
                    [TrendSentence("fell", trend, rates, watch), .. watch && touchOverdue && referBackGap ? [CoolingPatternSentence] : Array.Empty<string>(), .. context],
                    recentStart, TrendNumbers(trend), $"{(watch ? "watch:" : "")}window:{recentStart:yyyy-MM}", source.OwnerUserId) { Tier = declineTier });
            }
            if (trend.Rising && pickedUp)
            {
                alerts.Add(new HealthAlert(AlertKinds.Rising, reference, [TrendSentence("rose", trend, rates, watch: false)], recentStart,
                    TrendNumbers(trend), $"window:{recentStart:yyyy-MM}", source.OwnerUserId));
            }

            if (source.Status == SourceStatus.Active && lapses.TryGetValue(source.Id, out var lapse)
                && (lapse.Lapsed || lapse.AdjustedPValue <= options.WatchLevel))
            {
                var watch = !lapse.Lapsed;
                var usual = lapse.BaselineCount / lapse.BaselineMonths;
                alerts.Add(new HealthAlert(AlertKinds.Lapsed, reference,
                    [LapseSentence(lapse, usual, watch), .. context],
                    LapseRaisedOn(lapse, rules),
                    new AlertNumbers
                    {
                        LastReferralOn = lapse.LastReferralOn, DaysSinceLastReferral = lapse.DaysSilent, Referrals12m = count12m,
                        BaselineCount = lapse.BaselineCount, ExpectedCount = Math.Round(lapse.ExpectedInSilence, 2),
                        PValue = lapse.PValue, AdjustedPValue = lapse.AdjustedPValue,
                    },
                    $"{(watch ? "watch:" : "")}referral:{lapse.LastReferralOn:yyyy-MM-dd}", source.OwnerUserId) { Tier = watch ? AlertTiers.Watch : AlertTiers.Alert });
            }

            if (touchOverdue)
            {
                var sentence = firstTouch
                    ? $"{FirstTouchReason}, added {DaysAgo(daysSinceTouch)} (cadence {cadence} after it)."
                    : source.LastTouchOn is null
                    ? $"Never touched since added {daysSinceTouch} days ago (cadence {cadence})."
                    : $"Last touch {DaysAgo(daysSinceTouch)} {MethodPhrase(source.LastTouchMethod)} (cadence {cadence}).";
                alerts.Add(new HealthAlert(AlertKinds.TouchOverdue, reference, [sentence], firstTouch ? touchedOn : touchedOn.AddDays(cadence + 1),
                    new AlertNumbers { LastTouchOn = source.LastTouchOn, LastTouchMethod = source.LastTouchMethod?.ToString(), DaysSinceLastTouch = daysSinceTouch, CadenceDays = cadence, Referrals12m = count12m },
                    $"touch:{source.LastTouchOn:yyyy-MM-dd}", source.OwnerUserId));
            }

            if (referBackGap)
            {
                var raised = (source.LastReferBackOn ?? DatesOf(source).First(d => d > since12m)).AddDays(rules.ReciprocityGapDays + 1);
                alerts.Add(new HealthAlert(AlertKinds.ReciprocityGap, reference,
                    [referBackSentence ?? "No refer-back on record.", $"{count12m} referrals from this source in the last 12 months (limit {rules.ReciprocityGapDays} days without a refer-back)."],
                    raised,
                    new AlertNumbers { LastReferBackOn = source.LastReferBackOn, DaysSinceLastReferBack = daysSinceReferBack, ReciprocityGapDays = rules.ReciprocityGapDays, Referrals12m = count12m },
                    $"referback:{source.LastReferBackOn:yyyy-MM-dd}", source.OwnerUserId));
            }

            if (source.FirstReferralOn is { } first && asOf.DayNumber - first.DayNumber <= rules.NewReferrerDays
                && (source.LastTouchOn is null || source.LastTouchOn < first))
            {
                alerts.Add(new HealthAlert(AlertKinds.NewReferrer, reference,
                    [$"First referral on {first:yyyy-MM-dd}: a thank-you is due."], first,
                    new AlertNumbers { FirstReferralOn = first, Referrals12m = count12m },
                    $"first:{first:yyyy-MM-dd}", source.OwnerUserId));
            }

            var concentrationMonth = new DateOnly(asOf.Year, asOf.Month, 1);
            if (Concentrated(count12m, practice12m, rules) is { } share)
            {
                alerts.Add(new HealthAlert(AlertKinds.Concentration, reference,
                    [$"Supplies {share:0}% of the practice's referrals over 12 months ({count12m} of {practice12m}; limit {rules.ConcentrationPercent:0}%)."],
                    concentrationMonth,
                    new AlertNumbers { SharePercent = Math.Round(share, 1), Referrals12m = count12m, ScopeReferrals12m = practice12m, Scope = "practice" },
                    $"practice:{concentrationMonth:yyyy-MM}", source.OwnerUserId));
            }
            foreach (var (clinicId, fromSource) in source.Referrals.Last12MonthsByClinic.Where(c => clinicOrder.ContainsKey(c.Key)).OrderBy(c => clinicOrder[c.Key]))
            {
                var clinic = snapshot.Clinics[clinicOrder[clinicId]];
                if (Concentrated(fromSource, clinic.Total, rules) is { } clinicShare)
                {
                    alerts.Add(new HealthAlert(AlertKinds.Concentration, reference,
                        [$"Supplies {clinicShare:0}% of {clinic.ClinicName}'s referrals over 12 months ({fromSource} of {clinic.Total}; limit {rules.ConcentrationPercent:0}%)."],
                        concentrationMonth,
                        new AlertNumbers { SharePercent = Math.Round(clinicShare, 1), Referrals12m = fromSource, ScopeReferrals12m = clinic.Total, Scope = clinic.ClinicName },
                        $"clinic{clinic.ClinicId}:{concentrationMonth:yyyy-MM}", source.OwnerUserId));
                }
            }
            // Every alert carries the last touch and the source's rates: the call list and the pages show them whatever the kind.
            for (var i = firstOfSource; i < alerts.Count; i++)
            {
                alerts[i] = alerts[i] with
                {
                    Numbers = alerts[i].Numbers with
                    {
                        LastTouchOn = source.LastTouchOn, LastTouchMethod = source.LastTouchMethod?.ToString(),
                        ExpectedMonthly = rates.ExpectedMonthly, RecentMonthly = rates.RecentMonthly,
                    },
                };
            }
        }
        return alerts;
    }

    /// <summary>Below 20 referrals a year any one source is "a large share" by arithmetic alone.</summary>
    private const int ConcentrationMinimumTotal = 20;

    private static double? Concentrated(int fromSource, int total, HealthRules rules)
    {
        if (total < ConcentrationMinimumTotal || fromSource == 0) return null;
        var share = 100.0 * fromSource / total;
        return share > rules.ConcentrationPercent ? share : null;
    }

    public static SourceMonthlyCounts MonthlyCounts(SourceFacts source, MonthAxis axis)
    {
        // History starts with the first whole month the source could refer in: a month it joined
        // half-way through would read as a low month.
        var start = source.FirstReferralOn is { } first && first < source.CreatedOn ? first : source.CreatedOn;
        var firstCounted = axis.IndexOf(start) + (start.Day == 1 ? 0 : 1);
        return new SourceMonthlyCounts(source.Id, source.Referrals.Monthly, firstCounted);
    }

    private static int Last12Months(int[] monthly, MonthAxis axis) => monthly.Skip(Math.Max(0, axis.Count - 12)).Sum();

    /// <summary>
    /// Whether a signal needs the day of this source's referrals, which monthly counts cannot give:
    /// the reciprocity gap's start (the first referral of the last 12 months) for a regular referrer
    /// without a refer-back on record. A snapshot read from monthly counts must supply
    /// <see cref="ReferralHistory.Dates"/> for these sources; they are few. (The silence test needs only
    /// <see cref="SourceFacts.LastReferralOn"/>.)
    /// </summary>
    public static bool NeedsReferralDates(SourceFacts source, MonthAxis axis, HealthRules rules, DateOnly asOf) =>
        source.ExpectsReferBacks && source.LastReferBackOn is null && RefersRegularly(source, axis, rules);

    private static bool RefersRegularly(SourceFacts source, MonthAxis axis, HealthRules rules) =>
        source.Status != SourceStatus.DoNotContact && MonthsWithReferrals(source, axis) >= rules.RegularReferrerMonths;

    /// <summary>
    /// Months from the last 12 calendar months (the current one included) with a referral. Every day of
    /// them lies after as-of − 12 months, which is in the month before.
    /// </summary>
    private static int MonthsWithReferrals(SourceFacts source, MonthAxis axis)
    {
        var monthly = source.Referrals.Monthly;
        var months = 0;
        for (var i = Math.Max(0, axis.Count - 12); i < axis.Count; i++)
        {
            if (monthly[i] > 0) months++;
        }
        return months;
    }

    /// <summary>
    /// Whether the source can be silent for longer than the lapsed minimum, judged from its months:
    /// it is Active, has the four referrals the gaps need, and its last month with a referral is not
    /// after the month of the last day that is more than the minimum ago.
    /// </summary>
    private static bool MayHaveLapsed(SourceFacts source, MonthAxis axis, HealthRules rules, DateOnly asOf)
    {
        if (source.Status != SourceStatus.Active) return false;
        var monthly = source.Referrals.Monthly;
        var last = Array.FindLastIndex(monthly, c => c > 0);
        return monthly.Sum() >= 3 && last <= axis.IndexOf(asOf.AddDays(-rules.LapsedMinimumDays - 1));
    }

    private static IReadOnlyList<DateOnly> DatesOf(SourceFacts source) => source.Referrals.Dates
        ?? throw new InvalidOperationException($"The health snapshot lacks the referral dates of source {source.Id}, which a signal needs (see NeedsReferralDates).");

    /// <summary>The smallest 12-month count that makes a source a top referrer (ties included); int.MaxValue when nobody referred.</summary>
    public static int TopReferrerThreshold(IEnumerable<int> counts12m, double topPercent)
    {
        var referred = counts12m.Where(c => c > 0).OrderByDescending(c => c).ToList();
        if (referred.Count == 0) return int.MaxValue;
        var k = Math.Max(1, (int)Math.Ceiling(referred.Count * topPercent / 100));
        return referred[k - 1];
    }

    /// <summary>The reason a never-touched prospect is on the call list before its cadence runs out.</summary>
    public const string FirstTouchReason = "First touch: new prospect";

    public static int CadenceDays(SourceFacts source, int count12m, int topThreshold, HealthRules rules) =>
        source.TouchCadenceDays is > 0 and var own ? own
        : source.Status == SourceStatus.Prospect ? rules.ProspectCadenceDays
        : count12m >= topThreshold ? rules.TopReferrerCadenceDays
        : rules.OtherCadenceDays;

    /// <summary>
    /// The last referral of an Active source that may have been silent longer than the lapsed
    /// minimum, for the silence test (<see cref="TrendTest"/>); null = not tested.
    /// </summary>
    private static DateOnly? SilenceTestable(SourceFacts source, MonthAxis axis, HealthRules rules, DateOnly asOf) =>
        !MayHaveLapsed(source, axis, rules, asOf) ? null
        : source.LastReferralOn ?? (source.Referrals.Dates is { Count: > 0 } dates ? dates[^1]
            : throw new InvalidOperationException($"The health snapshot lacks the last referral of source {source.Id}, which the silence test needs."));

    /// <summary>
    /// A fall is in the alert tier when the family's adjusted p is within the false discovery rate;
    /// in the watch tier when the drop is as large but not yet conclusive (adjusted p within the
    /// watch level), or when a smaller body of evidence (one-sided p ≤ 0.10 for this source) comes
    /// with an overdue touch and a refer-back gap — the source text's cooling pattern.
    /// </summary>
    private static string? DeclineTier(TrendResult trend, TrendOptions options, bool coolingPattern)
    {
        if (trend.Declining) return AlertTiers.Alert;
        if (!trend.Tested || trend.ChangePercent > -options.ChangeThresholdPercent) return null;
        return trend.AdjustedPDecline <= options.WatchLevel || (coolingPattern && trend.PDecline <= CoolingPatternP) ? AlertTiers.Watch : null;
    }

    /// <summary>The one-sided p at which a drop joins the watch tier when it comes with the cooling pattern.</summary>
    public const double CoolingPatternP = 0.10;

    private const string CoolingPatternSentence = "With the touch overdue and no recent refer-back, this is how a relationship cools.";

    /// <summary>
    /// "No referral for 97 days; at the usual 4.1 a month, 13 were expected in that time (adjusted p &lt; 0.001)."
    /// </summary>
    private static string LapseSentence(LapseResult lapse, double usualMonthly, bool watch) => string.Create(CultureInfo.InvariantCulture,
        $"No referral for {lapse.DaysSilent} days; at the usual {SourceRates.OneDecimal(usualMonthly):0.0} a month, {lapse.ExpectedInSilence:0.#} were expected in that time ({PValueText.Adjusted(lapse.AdjustedPValue)}){(watch ? " — probably lapsed, not yet certain" : "")}.");

    /// <summary>
    /// The first day the silence was both past the minimum and long enough to test: when the
    /// expected count in it reached the minimum, at the usual rate.
    /// </summary>
    private static DateOnly LapseRaisedOn(LapseResult lapse, HealthRules rules)
    {
        var perDay = lapse.ExpectedInSilence / Math.Max(1, lapse.DaysSilent);
        var untilExpected = perDay > 0 ? (int)Math.Ceiling(rules.TrendOptions.MinimumExpectedInSilence / perDay) : lapse.DaysSilent;
        return lapse.LastReferralOn.AddDays(Math.Min(lapse.DaysSilent, Math.Max(rules.LapsedMinimumDays + 1, untilExpected)));
    }

    /// <summary>
    /// "Referrals fell from 4.0 to 1.8 a month over the last 4 months (−55%, adjusted p = 0.13),
    /// compared with the 24 months before and allowing for the season." The rates are
    /// <see cref="SourceRates"/>, so the call list's "at risk" (4.0 − 1.8) can be read off the sentence.
    /// </summary>
    private static string TrendSentence(string verb, TrendResult trend, SourceRates rates, bool watch) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Referrals {(watch ? "may have " + (verb == "fell" ? "fallen" : "risen") : verb)} from {rates.ExpectedMonthly:0.0} to {rates.RecentMonthly:0.0} a month over the last {trend.RecentMonths} months ({(trend.ChangePercent < 0 ? "−" : "+")}{Math.Abs(trend.ChangePercent):0}%, {PValueText.Adjusted(verb == "fell" ? trend.AdjustedPDecline : trend.AdjustedPRise)}), compared with the {trend.BaselineMonths} months before and allowing for the season{(watch ? " — probably down, not yet certain" : "")}.");

    private static AlertNumbers TrendNumbers(TrendResult t) => new()
    {
        RecentCount = t.RecentCount,
        RecentMonths = t.RecentMonths,
        BaselineCount = t.BaselineCount,
        BaselineMonths = t.BaselineMonths,
        PreviousWindowCount = t.PreviousWindowCount,
        ExpectedCount = Math.Round(t.ExpectedCount, 2),
        ChangePercent = Math.Round(t.ChangePercent, 1),
        PValue = t.ChangePercent < 0 ? t.PDecline : t.PRise,
        AdjustedPValue = t.ChangePercent < 0 ? t.AdjustedPDecline : t.AdjustedPRise,
        Dispersion = Math.Round(t.Dispersion, 2),
    };

    private static string? TouchSentence(SourceFacts source, DateOnly asOf) => source.LastTouchOn is { } last
        ? $"Last touch {DaysAgo(asOf.DayNumber - last.DayNumber)} {MethodPhrase(source.LastTouchMethod)}."
        : null;

    private static string? ReferBackSentence(SourceFacts source, DateOnly asOf) => source.LastReferBackOn is { } last
        ? $"Last refer-back {DaysAgo(asOf.DayNumber - last.DayNumber)}."
        : null;

    private static string DaysAgo(int days) => days switch { 0 => "today", 1 => "yesterday", _ => $"{days} days ago" };

    public static string MethodPhrase(TouchMethod? method) => method switch
    {
        TouchMethod.Phone => "by phone",
        TouchMethod.Email => "by e-mail",
        TouchMethod.InPerson => "in person",
        TouchMethod.Lunch => "at a lunch",
        TouchMethod.Event => "at an event",
        TouchMethod.Fax => "by fax",
        TouchMethod.Letter => "by letter",
        TouchMethod.Video => "by video",
        TouchMethod.Text => "by text",
        TouchMethod.Social => "on social media",
        TouchMethod.Report => "with a report",
        _ => "",
    };
}
