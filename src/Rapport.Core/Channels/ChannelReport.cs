using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Patients;
using Rapport.Referrals;

namespace Rapport.Channels;

/// <summary>Physician referral, direct access (any of its sub-channels, or how not recorded), or no channel recorded at all.</summary>
public enum ChannelLevel { Physician, DirectAccess, NotRecorded }

public sealed record ChannelReportQuery
{
    /// <summary>One clinic, or the whole practice when null.</summary>
    public int? ClinicId { get; init; }
    /// <summary>12 or 24: the months ending with the practice's current month (which is partial, "to date").</summary>
    public int Months { get; init; } = 12;

    public static readonly int[] MonthChoices = [12, 24];
}

/// <summary>
/// One line of the two-level channel list: <see cref="Channel"/> is the acquisition channel's name (Physician, WebSearch, …;
/// DirectAccess is direct access whose "how" was not recorded) or <see cref="ChannelReport.NotRecorded"/> for a referral
/// with no channel at all. <see cref="Referrals"/> and <see cref="Shares"/> follow <see cref="ChannelReport.Months"/>.
/// </summary>
public sealed record ChannelLine(string Channel, string Label, ChannelLevel Level, IReadOnlyList<int> Referrals, IReadOnlyList<double?> Shares,
    int Total, double? Share);

/// <summary>A month's referrals by level; the share is of all the month's referrals.</summary>
public sealed record ChannelMonth(MonthPeriod Period, int Referrals, int Physician, int DirectAccess, int NotRecorded, double? DirectAccessShare);

/// <summary>The direct-access share over <see cref="From"/>–<see cref="Through"/>, with its counts.</summary>
public sealed record ChannelQuarter(string Label, DateOnly From, DateOnly Through, int Referrals, int DirectAccess, double? DirectAccessShare);

/// <summary>
/// This quarter so far against the previous quarter and the same quarter a year before, each over the same number of
/// days from the quarter's start (a quarter to date is never compared with a whole one).
/// </summary>
public sealed record ChannelTrend(ChannelQuarter ThisQuarter, ChannelQuarter PreviousQuarter, ChannelQuarter SameQuarterLastYear);

public sealed record ChannelCount(string Channel, int Referrals, double? Share);

public sealed record ClinicChannelMix(int ClinicId, string ClinicName, int Referrals, double? DirectAccessShare, IReadOnlyList<ChannelCount> Channels);

/// <summary>A payer category (its name, or NotRecorded) among direct-access referrals.</summary>
public sealed record PayerCount(string Payer, string Label, int Referrals, double? Share);

/// <summary>
/// Direct-access conversion: evaluated (or later) ÷ decided, where decided = evaluated + lost before an evaluation; referrals still
/// received or scheduled are open and counted apart. Low/High: Wilson's 95% interval (<see cref="WilsonInterval"/>).
/// </summary>
public sealed record ChannelConversion(int Evaluated, int LostBeforeEvaluation, int Decided, int Open, double? Rate, double? Low, double? High, string Text);

/// <summary>Direct-access referrals whose patient named this campaign at intake.</summary>
public sealed record CampaignNamedCount(int CampaignId, string Campaign, int Referrals, int Evaluated);

public sealed record DirectAccessMix(int Referrals, IReadOnlyList<PayerCount> PayerMix, ChannelConversion Conversion, IReadOnlyList<CampaignNamedCount> Campaigns);

public sealed record ChannelReport(int? ClinicId, string? ClinicName, int MonthCount, DateOnly From, DateOnly Through, int Referrals,
    IReadOnlyList<MonthPeriod> Months, IReadOnlyList<ChannelMonth> ByMonth, IReadOnlyList<ChannelLine> Channels, ChannelTrend Trend,
    IReadOnlyList<ClinicChannelMix> Clinics, DirectAccessMix DirectAccess)
{
    /// <summary>The channel key of a referral with no channel recorded (older rows).</summary>
    public const string NotRecorded = "NotRecorded";

    /// <summary>"Jan 2026 – Dec 2026 (to 3rd)".</summary>
    public string RangeLabel => Months.Count == 0 ? "" : $"{Months[0].Label} – {Months[^1].Label}";

    public MonthPeriod? PartialMonth => Months.FirstOrDefault(m => m.Partial);
}

/// <summary>
/// Where patients come from, by month and clinic: the intake's two-level acquisition channel (<see cref="ReferralChannels"/>)
/// counted over the practice's months, the direct-access trend, and what direct-access patients pay with and how many start care.
/// Aggregates only: no patient is named, so reading it is not a patient-data read.
/// </summary>
public sealed class ChannelReportService(RapportDbContext db, PracticeClock time)
{
    /// <summary>The report's lines in order: physician, the direct-access sub-channels as intake offers them, then the unrecorded ones.</summary>
    public static IReadOnlyList<(string Channel, string Label, ChannelLevel Level)> Lines { get; } =
    [
        (nameof(AcquisitionChannel.Physician), ReferralChannels.Label(AcquisitionChannel.Physician), ChannelLevel.Physician),
        .. ReferralChannels.DirectAccess.Select(c => (c.ToString(), ReferralChannels.Label(c), ChannelLevel.DirectAccess)),
        (nameof(AcquisitionChannel.DirectAccess), ReferralChannels.Label(AcquisitionChannel.DirectAccess), ChannelLevel.DirectAccess),
        (ChannelReport.NotRecorded, "Channel not recorded", ChannelLevel.NotRecorded),
    ];

    public static string KeyOf(AcquisitionChannel? channel) => channel?.ToString() ?? ChannelReport.NotRecorded;

    public static ChannelLevel LevelOf(AcquisitionChannel? channel) =>
        channel is null ? ChannelLevel.NotRecorded : ReferralChannels.IsDirectAccess(channel.Value) ? ChannelLevel.DirectAccess : ChannelLevel.Physician;

    public static void Check(ChannelReportQuery query)
    {
        if (!ChannelReportQuery.MonthChoices.Contains(query.Months))
        {
            throw new ValidationException("months", $"Months must be 12 or 24, not {query.Months}.");
        }
    }

    public async Task<ChannelReport> BuildAsync(ChannelReportQuery query, CancellationToken cancellationToken = default)
    {
        Check(query);
        var clinics = await db.Clinics.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Id, c.Name, Archived = c.ArchivedAt != null })
            .ToListAsync(cancellationToken);
        string? clinicName = null;
        if (query.ClinicId is { } clinicId)
        {
            // Through the filtered set: another practice's clinic reads as missing.
            clinicName = clinics.FirstOrDefault(c => c.Id == clinicId)?.Name ?? throw new ValidationException("clinicId", $"Clinic {clinicId} does not exist.");
        }

        var today = time.Today();
        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(1 - query.Months);
        var months = Enumerable.Range(0, query.Months).Select(i => MonthPeriod.Of(firstMonth.AddMonths(i), today)).ToList();
        var trendWindows = TrendWindows(today);
        var from = trendWindows.SameQuarterLastYear.From < firstMonth ? trendWindows.SameQuarterLastYear.From : firstMonth;

        var referrals = db.Referrals.AsNoTracking().Where(r => r.ReceivedOn >= from && r.ReceivedOn <= today);
        if (query.ClinicId is { } only) referrals = referrals.Where(r => r.ClinicId == only);
        var rows = await referrals
            .Select(r => new Row(r.ClinicId, r.ReceivedOn, r.AcquisitionChannel, r.PayerCategory, r.EvaluatedOn != null, r.LostOn != null, r.CampaignId))
            .ToListAsync(cancellationToken);
        var inWindow = rows.Where(r => r.ReceivedOn >= firstMonth).ToList();

        var monthIndex = months.Select((m, i) => (m.Month, i)).ToDictionary(x => x.Month, x => x.i);
        int MonthOf(Row r) => monthIndex[new DateOnly(r.ReceivedOn.Year, r.ReceivedOn.Month, 1)];
        var monthTotals = new int[months.Count];
        foreach (var row in inWindow) monthTotals[MonthOf(row)]++;

        var lines = Lines.Select(line =>
        {
            var counts = new int[months.Count];
            foreach (var row in inWindow.Where(r => KeyOf(r.Channel) == line.Channel)) counts[MonthOf(row)]++;
            var shares = counts.Select((count, i) => Share(count, monthTotals[i])).ToList();
            return new ChannelLine(line.Channel, line.Label, line.Level, counts, shares, counts.Sum(), Share(counts.Sum(), inWindow.Count));
        }).ToList();

        var byMonth = months.Select((period, i) =>
        {
            var level = lines.GroupBy(l => l.Level).ToDictionary(g => g.Key, g => g.Sum(l => l.Referrals[i]));
            var direct = level.GetValueOrDefault(ChannelLevel.DirectAccess);
            return new ChannelMonth(period, monthTotals[i], level.GetValueOrDefault(ChannelLevel.Physician), direct,
                level.GetValueOrDefault(ChannelLevel.NotRecorded), Share(direct, monthTotals[i]));
        }).ToList();

        var trend = new ChannelTrend(Quarter(trendWindows.ThisQuarter, rows), Quarter(trendWindows.PreviousQuarter, rows),
            Quarter(trendWindows.SameQuarterLastYear, rows));

        var clinicMix = clinics
            .Where(c => query.ClinicId is { } id ? c.Id == id : !c.Archived || inWindow.Any(r => r.ClinicId == c.Id))
            .Select(c =>
            {
                var own = inWindow.Where(r => r.ClinicId == c.Id).ToList();
                var counts = Lines.Select(line => new ChannelCount(line.Channel, own.Count(r => KeyOf(r.Channel) == line.Channel),
                    Share(own.Count(r => KeyOf(r.Channel) == line.Channel), own.Count))).ToList();
                return new ClinicChannelMix(c.Id, c.Name, own.Count, Share(own.Count(r => LevelOf(r.Channel) == ChannelLevel.DirectAccess), own.Count), counts);
            }).ToList();

        return new ChannelReport(query.ClinicId, clinicName, query.Months, firstMonth, today, inWindow.Count, months, byMonth, lines, trend, clinicMix,
            await DirectAccessAsync(inWindow.Where(r => LevelOf(r.Channel) == ChannelLevel.DirectAccess).ToList(), cancellationToken));
    }

    private async Task<DirectAccessMix> DirectAccessAsync(List<Row> direct, CancellationToken cancellationToken)
    {
        var payers = Enum.GetValues<PayerCategory>().Select(p => ((PayerCategory?)p, p.ToString(), Reports.PayerLabels.Label(p)))
            .Append(((PayerCategory?)null, ChannelReport.NotRecorded, "Payer not recorded"))
            .Select(p => new PayerCount(p.Item2, p.Item3, direct.Count(r => r.Payer == p.Item1), Share(direct.Count(r => r.Payer == p.Item1), direct.Count)))
            .ToList();

        var evaluated = direct.Count(r => r.Evaluated);
        var lost = direct.Count(r => !r.Evaluated && r.Lost);
        var open = direct.Count - evaluated - lost;
        var interval = WilsonInterval.Of(evaluated, evaluated + lost);
        var conversion = new ChannelConversion(evaluated, lost, evaluated + lost, open, interval.Rate, interval.Low, interval.High, interval.Text);

        var named = direct.Where(r => r.CampaignId is not null).GroupBy(r => r.CampaignId!.Value).ToList();
        var ids = named.Select(g => g.Key).ToList();
        var names = await db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var campaigns = named.Select(g => new CampaignNamedCount(g.Key, names.GetValueOrDefault(g.Key) ?? $"Campaign {g.Key}", g.Count(), g.Count(r => r.Evaluated)))
            .OrderByDescending(c => c.Referrals).ThenBy(c => c.Campaign, StringComparer.OrdinalIgnoreCase).ToList();
        return new DirectAccessMix(direct.Count, payers, conversion, campaigns);
    }

    private sealed record Row(int ClinicId, DateOnly ReceivedOn, AcquisitionChannel? Channel, PayerCategory? Payer, bool Evaluated, bool Lost, int? CampaignId);

    private sealed record Window(string Label, DateOnly From, DateOnly Through);

    private sealed record TrendWindowSet(Window ThisQuarter, Window PreviousQuarter, Window SameQuarterLastYear);

    /// <summary>This calendar quarter to today, and the previous quarter and last year's same quarter over as many days from their start.</summary>
    private static TrendWindowSet TrendWindows(DateOnly today)
    {
        var start = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        var days = today.DayNumber - start.DayNumber;
        Window Same(DateOnly quarterStart)
        {
            var quarterEnd = quarterStart.AddMonths(3).AddDays(-1);
            var through = quarterStart.AddDays(days) < quarterEnd ? quarterStart.AddDays(days) : quarterEnd;
            return new Window(QuarterLabel(quarterStart, through), quarterStart, through);
        }
        return new TrendWindowSet(new Window(QuarterLabel(start, today), start, today), Same(start.AddMonths(-3)), Same(start.AddYears(-1)));
    }

    private static string QuarterLabel(DateOnly start, DateOnly through) =>
        string.Create(CultureInfo.InvariantCulture, $"Q{(start.Month - 1) / 3 + 1} {start.Year} ({start:MMM d}–{through:MMM d})");

    private static ChannelQuarter Quarter(Window window, List<Row> rows)
    {
        var own = rows.Where(r => r.ReceivedOn >= window.From && r.ReceivedOn <= window.Through).ToList();
        var direct = own.Count(r => LevelOf(r.Channel) == ChannelLevel.DirectAccess);
        return new ChannelQuarter(window.Label, window.From, window.Through, own.Count, direct, Share(direct, own.Count));
    }

    private static double? Share(int count, int total) => total == 0 ? null : (double)count / total;
}

public static class ChannelServices
{
    public static IServiceCollection AddRapportChannels(this IServiceCollection services)
    {
        services.AddScoped<ChannelReportService>();
        services.AddScoped<Exports.IListExport, ChannelsExport>();
        return services;
    }
}
