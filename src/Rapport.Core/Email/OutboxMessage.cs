using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rapport.Email;

/// <summary>A message to send, written in the same transaction as the change that caused it.</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody, string? HtmlBody = null)
{
    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];
}

/// <summary>A file sent with a message, e.g. a letter as PDF.</summary>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

public enum OutboxStatus { Queued, Sent, Failed }

/// <summary>
/// One queued e-mail. Not organization-owned on purpose: the sender works for every practice, and
/// reads no business data, only the message it was given. <see cref="OrganizationId"/> records the
/// practice for support and for features that show their own messages' delivery state.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public int? OrganizationId { get; set; }
    public required string To { get; set; }
    public required string Subject { get; set; }
    public required string TextBody { get; set; }
    public string? HtmlBody { get; set; }
    public OutboxStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>Which node holds the message, and until when; see <see cref="OutboxDispatcher"/>.</summary>
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public List<OutboxAttachment> Attachments { get; set; } = [];
}

/// <summary>
/// A file that goes with an outbox message, kept in its own table so the dispatcher's polling
/// query never reads file bodies; deleted with its message.
/// </summary>
public sealed class OutboxAttachment
{
    public long Id { get; set; }
    public long OutboxMessageId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.Property(m => m.To).HasMaxLength(320);
        b.Property(m => m.Subject).HasMaxLength(300);
        b.Property(m => m.Status).HasConversion<string>().HasMaxLength(10);
        b.Property(m => m.LastError).HasMaxLength(1000);
        b.Property(m => m.ClaimedBy).HasMaxLength(64);
        b.HasIndex(m => new { m.Status, m.NextAttemptAt });
        b.HasMany(m => m.Attachments).WithOne().HasForeignKey(a => a.OutboxMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxAttachmentConfiguration : IEntityTypeConfiguration<OutboxAttachment>
{
    public void Configure(EntityTypeBuilder<OutboxAttachment> b)
    {
        b.ToTable("OutboxAttachments");
        b.Property(a => a.FileName).HasMaxLength(200);
        b.Property(a => a.ContentType).HasMaxLength(100);
    }
}
