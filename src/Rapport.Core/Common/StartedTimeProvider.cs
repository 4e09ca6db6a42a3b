using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Rapport.Common;

/// <summary>
/// A clock that starts at a chosen instant and runs on at real speed (timers included), set with
/// <c>Clock:Now</c> (e.g. <c>--Clock:Now=2026-12-31T17:30:00-08:00</c>). For back-tests, for
/// showing the demo as of another day, and for tests, which never read the machine's date.
/// </summary>
public sealed class StartedTimeProvider(DateTimeOffset start, TimeProvider real) : TimeProvider
{
    private readonly TimeSpan offset = start - real.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => real.GetUtcNow() + offset;

    public override long GetTimestamp() => real.GetTimestamp();

    /// <summary>The clock configuration asks for: the machine's, or one started at <c>Clock:Now</c>.</summary>
    public static TimeProvider From(IConfiguration configuration, TimeProvider real)
    {
        var value = configuration["Clock:Now"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return real;
        }
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            throw new InvalidOperationException(
                $"Clock:Now '{value}' is not a date and time; write it as ISO 8601, e.g. 2026-12-31T17:30:00-08:00 or 2026-12-31T17:30:00Z.");
        }
        return new StartedTimeProvider(start, real);
    }
}
