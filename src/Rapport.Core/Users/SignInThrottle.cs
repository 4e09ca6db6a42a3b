using System.Threading.RateLimiting;

namespace Rapport.Users;

/// <summary>
/// Per-account throttling of failed sign-ins (OWASP ASVS 4.0.3 V2.2.1, NIST SP 800-63B §5.2.2): at
/// most <see cref="FailuresPerMinute"/> failed attempts a minute on one account name, whether or not the
/// account exists, so guessing across one account is slow before the lockout (10 failures) even
/// starts, and an unknown name is throttled exactly like a real one. Successful sign-ins are not
/// counted, so staff who sign in from many devices are never held up. The per-client limit (every
/// POST of the sign-in pages, by client address) is the web app's rate-limiter policy.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public const int FailuresPerMinute = 5;

    private readonly PartitionedRateLimiter<string> failures = PartitionedRateLimiter.Create<string, string>(account =>
        RateLimitPartition.GetFixedWindowLimiter(account, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = FailuresPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
        }), StringComparer.Ordinal);

    /// <summary>Whether another attempt on this account name may be tried now.</summary>
    public bool MayTry(string? account) =>
        failures.GetStatistics(Key(account))?.CurrentAvailablePermits is not 0;

    /// <summary>Counts a failed attempt on this account name.</summary>
    public void Failed(string? account)
    {
        using var lease = failures.AttemptAcquire(Key(account));
    }

    private static string Key(string? account) => (account ?? "").Trim().ToUpperInvariant();

    public void Dispose() => failures.Dispose();
}
