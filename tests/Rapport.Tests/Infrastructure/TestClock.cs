using System.Globalization;

namespace Rapport.Tests.Infrastructure;

/// <summary>
/// The date every test runs on unless it sets its own: a Wednesday mid-June afternoon in UTC, far
/// from midnight, month ends and daylight-saving changes. The app under test (<see cref="RapportApp"/>)
/// and every `rapport` process a test starts (<see cref="Cli"/>) get this clock through
/// <c>Clock:Now</c>; no test reads the machine's date, so the suite passes on any day.
/// </summary>
public static class TestClock
{
    public static readonly DateTimeOffset Now = new(2026, 6, 17, 15, 0, 0, TimeSpan.Zero);

    public static DateTime UtcNow => Now.UtcDateTime;

    public static DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>The configuration argument that starts a process's clock at <paramref name="now"/>.</summary>
    public static string Argument(DateTimeOffset now) => "--Clock:Now=" + now.ToString("O", CultureInfo.InvariantCulture);
}
