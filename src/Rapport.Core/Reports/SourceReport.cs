using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Patients;
using Rapport.Referrals;

namespace Rapport.Reports;

/// <summary>The columns a referral source report sorts on, by the names the API, the page and the CLI use.</summary>
public enum SourceReportColumn
{
    Name, Referrals, Previous, Change, ChangePercent, LastYear, YearChange, YearChangePercent, Conversion, Visits, Revenue,
}

/// <summary>What the report is asked for: the period (see <see cref="SourceReportPeriods.Parse"/>), a clinic, a sort.</summary>
public sealed record SourceReportQuery
{
    public string? Period { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    /// <summary>A clinic's id (or, from the CLI, its name); empty for all clinics.</summary>
    public string? Clinic { get; init; }
    /// <summary>A column name (see <see cref="SourceReportColumn"/>, camelCase), "-" in front for descending; default "-referrals".</summary>
    public string? Sort { get; init; }
}

/// <summary>
/// One line of the report: a referring source, a direct-access channel, or the totals. Percentages are
/// percent (25.0 = 25%), rounded to one decimal; null when there is nothing to divide by.
/// </summary>
public sealed record SourceReportRow
{
    /// <summary>Null for direct access and for the totals.</summary>
    public int? SourceId { get; init; }
    public string? Npi { get; init; }
    public required string Name { get; init; }
    public string? Specialty { get; init; }
    /// <summary>A row of patients who came without a referring physician, one per channel.</summary>
    public bool DirectAccess { get; init; }
    /// <summary>The direct-access channel (null on source rows, totals, and direct access with no channel recorded).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<AcquisitionChannel>))]
    public AcquisitionChannel? Channel { get; init; }
    public bool Total { get; init; }
    public int Referrals { get; init; }
    public int PreviousReferrals { get; init; }
    public int Change => Referrals - PreviousReferrals;
    public double? ChangePercent => PercentChange(Referrals, PreviousReferrals);
    public int LastYearReferrals { get; init; }
    public int YearChange => Referrals - LastYearReferrals;
    public double? YearChangePercent => PercentChange(Referrals, LastYearReferrals);
    /// <summary>This period's referrals that reached an evaluation (whatever happened after).</summary>
    public int Evaluated { get; init; }
    /// <summary>This period's referrals lost before an evaluation.</summary>
    public int Lost { get; init; }
    /// <summary>This period's referrals neither evaluated nor lost yet: not counted either way.</summary>
    public int Pending => Referrals - Evaluated - Lost;
    /// <summary>Evaluated ÷ (evaluated + lost): the share of decided referrals that reached evaluation.</summary>
    public double? ConversionPercent => Evaluated + Lost == 0 ? null : Math.Round(100.0 * Evaluated / (Evaluated + Lost), 1);
    /// <summary>The visit counts of this period's referrals, summed (all their visits, whenever they took place).</summary>
    public int Visits { get; init; }
    /// <summary>Visits × revenue per visit of each referral's payer category; null when the practice has set no rate.</summary>
    public decimal? EstimatedRevenue { get; init; }
    /// <summary>Visits of referrals whose payer category is not recorded or has no rate: not in <see cref="EstimatedRevenue"/>.</summary>
    public int UnpricedVisits { get; init; }

    private static double? PercentChange(int now, int before) =>
        before == 0 ? null : Math.Round(100.0 * (now - before) / before, 1);

    /// <summary>The sum of several rows (totals, "all other sources"); rates recomputed from the sums.</summary>
    public static SourceReportRow Sum(string name, IReadOnlyCollection<SourceReportRow> rows, bool total, bool revenueSet) => new()
    {
        Name = name,
        Total = total,
        Referrals = rows.Sum(r => r.Referrals),
        PreviousReferrals = rows.Sum(r => r.PreviousReferrals),
        LastYearReferrals = rows.Sum(r => r.LastYearReferrals),
        Evaluated = rows.Sum(r => r.Evaluated),
        Lost = rows.Sum(r => r.Lost),
        Visits = rows.Sum(r => r.Visits),
        EstimatedRevenue = revenueSet ? rows.Sum(r => r.EstimatedRevenue ?? 0) : null,
        UnpricedVisits = rows.Sum(r => r.UnpricedVisits),
    };
}

public sealed record ReportWindow(DateOnly From, DateOnly Through);

/// <summary>The referral source report: each source's referrals this period against the previous period and last year, conversion, visits, revenue.</summary>
public sealed record SourceReport
{
    [JsonConverter(typeof(JsonStringEnumConverter<ReportPeriodKind>))]
    public required ReportPeriodKind PeriodKind { get; init; }
    /// <summary>The period normalized: "2026-05", "2026-Q2", "2026", "2026-01-01..2026-03-15".</summary>
    public required string Period { get; init; }
    public required string PeriodLabel { get; init; }
    /// <summary>The days counted (the period, or its days up to today when it has not ended).</summary>
    public required ReportWindow Current { get; init; }
    public required ReportWindow Previous { get; init; }
    public required ReportWindow LastYear { get; init; }
    public required bool Partial { get; init; }
    public string? PartialNote { get; init; }
    public int? ClinicId { get; init; }
    public string? ClinicName { get; init; }
    /// <summary>The sort applied, e.g. "-referrals".</summary>
    public required string Sort { get; init; }
    /// <summary>Whether any revenue per visit is set (Settings → Revenue); without one, estimatedRevenue is null.</summary>
    public required bool RevenueRatesSet { get; init; }
    public string? RevenueNote { get; init; }
    public required IReadOnlyList<SourceReportRow> Rows { get; init; }
    public required SourceReportRow Totals { get; init; }
    public required string PracticeName { get; init; }
    public required DateOnly GeneratedOn { get; init; }
}

/// <summary>
/// Builds the referral source report from the referrals received in three windows (<see cref="SourceReportPeriod"/>).
/// Definitions (docs/reports.md): a referral belongs to the window holding its received date; conversion is
/// evaluated ÷ (evaluated + lost before evaluation), referrals still pending counted neither way; visits are the
/// referrals' recorded visit counts (Rapport has no visit dates, so all of a referral's visits count in the period it
/// was received); estimated revenue is visits × the practice's revenue per visit for the referral's payer category.
/// </summary>
public sealed class SourceReportService(RapportDbContext db, PracticeClock clock, RevenueRates revenueRates)
{
    public const string DefaultSort = "-referrals";
    public const string RevenueNotSet = "Set revenue per visit by payer category in Settings → Revenue to estimate revenue.";

    public async Task<SourceReport> BuildAsync(SourceReportQuery query, CancellationToken cancellationToken = default)
    {
        var today = clock.Today();
        var problems = new Problems();
        SourceReportPeriod? period = null;
        try
        {
            period = SourceReportPeriods.Parse(query.Period, query.From, query.To, today);
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                foreach (var message in messages)
                {
                    problems.Add(field, message);
                }
            }
        }
        var (column, descending) = ParseSort(query.Sort, problems);
        var clinic = await ResolveClinicAsync(query.Clinic, problems, cancellationToken);
        problems.ThrowIfAny();

        var rates = await revenueRates.GetAsync(cancellationToken);
        var revenueSet = rates.Count > 0;
        var clinicId = clinic?.Id;
        var current = await CurrentAsync(period!.Current, clinicId, cancellationToken);
        var previous = await CountsAsync(period.Previous, clinicId, cancellationToken);
        var lastYear = await CountsAsync(period.LastYear, clinicId, cancellationToken);

        var keys = current.Select(c => c.Key).Concat(previous.Keys).Concat(lastYear.Keys).Distinct().ToList();
        var sourceIds = keys.Where(k => k.SourceId is not null).Select(k => k.SourceId!.Value).ToList();
        var sources = await db.Sources.AsNoTracking().Where(s => sourceIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Npi, s.FirstName, s.LastName, s.Credential, s.Specialty })
            .ToDictionaryAsync(s => s.Id, cancellationToken);

        var rows = new List<SourceReportRow>();
        foreach (var key in keys)
        {
            var groups = current.Where(c => c.Key == key).ToList();
            var visits = groups.Sum(g => g.Visits);
            var priced = groups.Where(g => g.Payer is { } p && rates.ContainsKey(p)).ToList();
            var source = key.SourceId is { } id ? sources.GetValueOrDefault(id) : null;
            rows.Add(new SourceReportRow
            {
                SourceId = key.SourceId,
                Npi = source?.Npi,
                Name = source is not null ? Sources.SourceNames.Display(source.FirstName, source.LastName, source.Credential)
                    : key.SourceId is not null ? $"Source {key.SourceId}" : DirectAccessLabel(key.Channel),
                Specialty = source?.Specialty,
                DirectAccess = key.SourceId is null,
                Channel = key.SourceId is null ? key.Channel : null,
                Referrals = groups.Sum(g => g.Referrals),
                PreviousReferrals = previous.GetValueOrDefault(key),
                LastYearReferrals = lastYear.GetValueOrDefault(key),
                Evaluated = groups.Sum(g => g.Evaluated),
                Lost = groups.Sum(g => g.Lost),
                Visits = visits,
                EstimatedRevenue = revenueSet ? priced.Sum(g => g.Visits * rates[g.Payer!.Value]) : null,
                UnpricedVisits = revenueSet ? visits - priced.Sum(g => g.Visits) : visits,
            });
        }
        var sorted = Sorted(rows, column, descending);
        // Organizations carry no tenant filter: pick this practice's row by id.
        var organizationId = db.Organization.RequiredId;
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == organizationId).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken) ?? "";
        return new SourceReport
        {
            PeriodKind = period.Kind,
            Period = period.Text,
            PeriodLabel = period.Label,
            Current = Window(period.Current),
            Previous = Window(period.Previous),
            LastYear = Window(period.LastYear),
            Partial = period.Partial,
            PartialNote = period.PartialNote,
            ClinicId = clinic?.Id,
            ClinicName = clinic?.Name,
            Sort = SortText(column, descending),
            RevenueRatesSet = revenueSet,
            RevenueNote = revenueSet ? null : RevenueNotSet,
            Rows = sorted,
            Totals = SourceReportRow.Sum("Total", rows, total: true, revenueSet),
            PracticeName = organization,
            GeneratedOn = today,
        };
    }

    /// <summary>"-referrals" → (Referrals, descending); a name not in <see cref="SourceReportColumn"/> is a problem on "sort".</summary>
    public static (SourceReportColumn Column, bool Descending) ParseSort(string? text, Problems problems)
    {
        var value = string.IsNullOrWhiteSpace(text) ? DefaultSort : text.Trim();
        var descending = value.StartsWith('-');
        var name = value.TrimStart('-', '+');
        if (Enum.TryParse<SourceReportColumn>(name, ignoreCase: true, out var column) && !int.TryParse(name, out _))
        {
            return (column, descending);
        }
        problems.Add("sort", $"'{value}' is not a column; use one of {string.Join(", ", Enum.GetValues<SourceReportColumn>().Select(ColumnName))}, with - in front for descending.");
        return (SourceReportColumn.Referrals, true);
    }

    public static string ColumnName(SourceReportColumn column)
    {
        var name = column.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static string SortText(SourceReportColumn column, bool descending) => (descending ? "-" : "") + ColumnName(column);

    /// <summary>Rows in the order asked for; a row without a value (no % change) goes last either way, ties by name.</summary>
    public static IReadOnlyList<SourceReportRow> Sorted(IEnumerable<SourceReportRow> rows, SourceReportColumn column, bool descending)
    {
        if (column == SourceReportColumn.Name)
        {
            var byName = rows.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.SourceId);
            return descending ? [.. byName.Reverse()] : [.. byName];
        }
        Func<SourceReportRow, double?> value = column switch
        {
            SourceReportColumn.Referrals => r => r.Referrals,
            SourceReportColumn.Previous => r => r.PreviousReferrals,
            SourceReportColumn.Change => r => r.Change,
            SourceReportColumn.ChangePercent => r => r.ChangePercent,
            SourceReportColumn.LastYear => r => r.LastYearReferrals,
            SourceReportColumn.YearChange => r => r.YearChange,
            SourceReportColumn.YearChangePercent => r => r.YearChangePercent,
            SourceReportColumn.Conversion => r => r.ConversionPercent,
            SourceReportColumn.Visits => r => r.Visits,
            _ => r => r.EstimatedRevenue is { } revenue ? (double)revenue : null,
        };
        var withValue = rows.Where(r => value(r) is not null);
        var ordered = descending ? withValue.OrderByDescending(value) : withValue.OrderBy(value);
        return [.. ordered.ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.SourceId),
            .. rows.Where(r => value(r) is null).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public static string DirectAccessLabel(AcquisitionChannel? channel) => "Direct access: " + channel switch
    {
        null or AcquisitionChannel.DirectAccess => "channel not recorded",
        AcquisitionChannel.Physician => "physician not recorded",
        AcquisitionChannel.WebSearch => "Google/search",
        AcquisitionChannel.Website => "website",
        AcquisitionChannel.FriendOrFamily => "friend or family",
        AcquisitionChannel.PastPatient => "past patient",
        AcquisitionChannel.Event => "event",
        AcquisitionChannel.SocialMedia => "social media",
        AcquisitionChannel.Employer => "employer",
        AcquisitionChannel.Insurer => "insurer",
        _ => "other",
    };

    private static ReportWindow Window(DateSpan span) => new(span.From, span.Through);

    private async Task<(int Id, string Name)?> ResolveClinicAsync(string? text, Problems problems, CancellationToken cancellationToken)
    {
        if (Formats.Clean(text) is not { } clinic)
        {
            return null;
        }
        var found = int.TryParse(clinic, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await db.Clinics.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Id, c.Name }).FirstOrDefaultAsync(cancellationToken)
            : await db.Clinics.AsNoTracking().Where(c => c.Name.ToLower() == clinic.ToLower()).Select(c => new { c.Id, c.Name }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            problems.Add("clinic", $"No clinic of this practice has id or name '{clinic}'.");
            return null;
        }
        return (found.Id, found.Name);
    }

    private sealed record RowKey(int? SourceId, AcquisitionChannel? Channel);

    private sealed record CurrentGroup(RowKey Key, PayerCategory? Payer, int Referrals, int Evaluated, int Lost, int Visits);

    private IQueryable<Referral> Received(DateSpan span, int? clinicId)
    {
        var referrals = db.Referrals.AsNoTracking().Where(r => r.ReceivedOn >= span.From && r.ReceivedOn <= span.Through);
        return clinicId is { } id ? referrals.Where(r => r.ClinicId == id) : referrals;
    }

    /// <summary>A source's referrals form one row whatever channel they were entered with; direct access splits by channel.</summary>
    private static RowKey KeyOf(int? sourceId, AcquisitionChannel? channel) => new(sourceId, sourceId is null ? channel : null);

    private async Task<List<CurrentGroup>> CurrentAsync(DateSpan span, int? clinicId, CancellationToken cancellationToken)
    {
        var groups = await Received(span, clinicId)
            .GroupBy(r => new { r.SourceId, r.AcquisitionChannel, r.PayerCategory })
            .Select(g => new
            {
                g.Key.SourceId, g.Key.AcquisitionChannel, g.Key.PayerCategory,
                Referrals = g.Count(),
                Evaluated = g.Count(r => r.EvaluatedOn != null),
                Lost = g.Count(r => r.EvaluatedOn == null && r.LostOn != null),
                Visits = g.Sum(r => r.VisitCount),
            })
            .ToListAsync(cancellationToken);
        return [.. groups.Select(g => new CurrentGroup(KeyOf(g.SourceId, g.AcquisitionChannel), g.PayerCategory, g.Referrals, g.Evaluated, g.Lost, g.Visits))];
    }

    private async Task<Dictionary<RowKey, int>> CountsAsync(DateSpan span, int? clinicId, CancellationToken cancellationToken)
    {
        var groups = await Received(span, clinicId)
            .GroupBy(r => new { r.SourceId, r.AcquisitionChannel })
            .Select(g => new { g.Key.SourceId, g.Key.AcquisitionChannel, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return groups.GroupBy(g => KeyOf(g.SourceId, g.AcquisitionChannel)).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
    }
}
