using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Rapport.Data;
using Rapport.Tenancy;

namespace Rapport.Common;

/// <summary>
/// The one place Rapport reads the time. Instants (created at, sent at, leases) are UTC; calendar
/// dates — today, this month, "not in the future", due dates, <c>--as-of</c> defaults — are the
/// practice's own, read in its IANA time zone (<see cref="Organizations.Organization.TimeZoneId"/>).
/// A practice in Los Angeles at 17:30 on 31 December is still on 31 December, although it is
/// already 1 January in UTC. Scoped: it follows the scope's <see cref="CurrentOrganization"/>; with
/// no organization selected (first-run setup) the calendar is UTC's.
/// </summary>
public sealed class PracticeClock(TimeProvider time, CurrentOrganization organization, PracticeTimeZones zones)
{
    /// <summary>Now, as an instant.</summary>
    public DateTimeOffset GetUtcNow() => time.GetUtcNow();

    /// <summary>Now, as the UTC <see cref="DateTime"/> every stored instant uses.</summary>
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    /// <summary>The practice's IANA time zone id ("UTC" when no practice is selected).</summary>
    public string TimeZoneId => Zone.Id;

    /// <summary>The practice's wall-clock time now.</summary>
    public DateTime LocalNow => PracticeTimeZones.ToLocal(Zone, UtcNow);

    /// <summary>The practice's calendar date today: every window in Rapport ends on it.</summary>
    public DateOnly Today() => DateOnly.FromDateTime(LocalNow);

    /// <summary>The earliest "as of" date a back-test may ask for: windows reach three years before it.</summary>
    public static readonly DateOnly EarliestAsOf = new(1900, 1, 1);

    /// <summary>
    /// The date a report is computed as of: the one asked for, else today. One rule for every door
    /// (API <c>asOf</c>, CLI <c>--as-of</c>): a date whose windows would fall off the calendar
    /// (0001-01-01) or lie beyond next year is a validation problem on <paramref name="field"/>, not an error.
    /// </summary>
    public DateOnly AsOfOrToday(DateOnly? asOf, string field = "asOf")
    {
        var today = Today();
        if (asOf is { } day && (day < EarliestAsOf || day > today.AddYears(1)))
        {
            var problems = new Problems();
            problems.Add(field, $"As-of date must be between {EarliestAsOf:yyyy-MM-dd} and {today.AddYears(1):yyyy-MM-dd}.");
            problems.ThrowIfAny();
        }
        return asOf ?? today;
    }

    /// <summary>The first day of the practice's current (partial) month.</summary>
    public DateOnly FirstOfThisMonth()
    {
        var today = Today();
        return new DateOnly(today.Year, today.Month, 1);
    }

    /// <summary>The practice's calendar date of a stored UTC instant.</summary>
    public DateOnly DateOf(DateTime utcInstant) => DateOnly.FromDateTime(ToLocal(utcInstant));

    /// <summary>A stored UTC instant on the practice's wall clock, for display.</summary>
    public DateTime ToLocal(DateTime utcInstant) => PracticeTimeZones.ToLocal(Zone, utcInstant);

    /// <summary>The UTC instant at which a practice calendar date begins (its local midnight).</summary>
    public DateTime StartOfDayUtc(DateOnly date) => PracticeTimeZones.StartOfDayUtc(Zone, date);

    private DateTimeZone Zone => organization.Id is { } id ? zones.ZoneOf(id) : DateTimeZone.Utc;
}

/// <summary>
/// The practices' time zones, read from the database and cached for a minute (a change in
/// Settings is seen at once on the node that made it, within a minute on the others). Zone rules
/// come from the IANA tz database shipped inside NodaTime, so a clinic server without the
/// operating system's tzdata still gets daylight saving right.
/// </summary>
public sealed class PracticeTimeZones(IServiceScopeFactory scopes, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<int, (DateTimeZone Zone, DateTimeOffset ReadAt)> cache = new();

    /// <summary>Zones offered first in pickers: the United States' own, east to west.</summary>
    public static readonly IReadOnlyList<string> UnitedStates =
    [
        "America/New_York", "America/Detroit", "America/Indiana/Indianapolis", "America/Chicago", "America/Denver",
        "America/Phoenix", "America/Boise", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico",
    ];

    /// <summary>Every canonical IANA zone id, sorted, for the full picker.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. DateTimeZoneProviders.Tzdb.Ids.Where(id => id.Contains('/', StringComparison.Ordinal) || id == "UTC")
            .Where(id => !id.StartsWith("Etc/", StringComparison.Ordinal) && !id.StartsWith("SystemV/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    /// <summary>The canonical spelling of a valid IANA id (case-insensitive), or null.</summary>
    public static string? Normalize(string? id)
    {
        var trimmed = id?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }
        return DateTimeZoneProviders.Tzdb.Ids.FirstOrDefault(z => string.Equals(z, trimmed, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>"America/Chicago (UTC−06:00 now)" — the name with its offset at the given instant.</summary>
    public static string Describe(string id, DateTimeOffset at)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? DateTimeZone.Utc;
        var offset = zone.GetUtcOffset(Instant.FromDateTimeOffset(at)).ToTimeSpan();
        var sign = offset < TimeSpan.Zero ? "−" : "+";
        return $"{id} (UTC{sign}{offset.Duration():hh\\:mm})";
    }

    public DateTimeZone ZoneOf(int organizationId)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(organizationId, out var hit) && now - hit.ReadAt < CacheFor)
        {
            return hit.Zone;
        }
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        var id = db.Organizations.AsNoTracking().Where(o => o.Id == organizationId).Select(o => o.TimeZoneId).FirstOrDefault();
        var zone = (id is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)) ?? DateTimeZone.Utc;
        cache[organizationId] = (zone, now);
        return zone;
    }

    /// <summary>The calendar date in a practice's zone of a UTC instant; for code that serves several practices (workers).</summary>
    public DateOnly DateOf(int organizationId, DateTime utcInstant) => DateOnly.FromDateTime(ToLocal(ZoneOf(organizationId), utcInstant));

    /// <summary>A practice's wall-clock time of a UTC instant; for code that serves several practices (workers).</summary>
    public DateTime LocalTimeOf(int organizationId, DateTime utcInstant) => ToLocal(ZoneOf(organizationId), utcInstant);

    /// <summary>Forgets a practice's cached zone after Settings changed it.</summary>
    public void Forget(int organizationId) => cache.TryRemove(organizationId, out _);

    internal static DateTime ToLocal(DateTimeZone zone, DateTime utcInstant) =>
        Instant.FromDateTimeUtc(DateTime.SpecifyKind(utcInstant, DateTimeKind.Utc)).InZone(zone).LocalDateTime.ToDateTimeUnspecified();

    internal static DateTime StartOfDayUtc(DateTimeZone zone, DateOnly date) =>
        zone.AtStartOfDay(LocalDate.FromDateOnly(date)).ToDateTimeUtc();
}
