using System.ComponentModel.DataAnnotations;

namespace Rapport.Email;

public enum SmtpTlsMode { None, StartTls, StartTlsWhenAvailable, SslOnConnect }

/// <summary>Outgoing mail, bound from the <c>Email:</c> section (e.g. <c>Email__Host</c>, <c>--Email:Port=587</c>).</summary>
public sealed record EmailOptions
{
    public const string Section = "Email";

    /// <summary>
    /// SMTP server. With none configured, features that e-mail refuse to (see <see cref="MailServer"/>),
    /// and anything already in the outbox waits, untried, until one is.
    /// </summary>
    public string? Host { get; init; }
    [Range(1, 65535)]
    public int Port { get; init; } = 587;
    public SmtpTlsMode Tls { get; init; } = SmtpTlsMode.StartTlsWhenAvailable;
    public string? User { get; init; }
    public string? Password { get; init; }
    [Required]
    public string From { get; init; } = "Rapport <no-reply@rapport.invalid>";
    /// <summary>Whether this process sends queued mail (every web node may; claims keep them from sending twice).</summary>
    public bool SendQueued { get; init; } = true;
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>First retry delay; doubles per failed attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(6);
    [Range(1, 100)]
    public int MaxAttempts { get; init; } = 12;
    /// <summary>How long a node owns a claimed message; a node that dies mid-send frees it when this runs out.</summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether an SMTP server is set: without one no message can leave.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
