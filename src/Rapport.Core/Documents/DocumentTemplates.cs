using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.Documents;

/// <summary>
/// A practice's own text for one kind of document part (e.g. "report-card-intro", a letter's body),
/// in Markdown with placeholders. Absent means the kind's default text. One row per organization and kind.
/// </summary>
public sealed class DocumentTemplate : IOrganizationOwned
{
    public const int MaxLength = 20_000;

    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public required string Kind { get; set; }
    [Common.MultiLineText]
    public required string Markdown { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>
/// A kind of template: its key (stored in <see cref="DocumentTemplate.Kind"/>), a name for the
/// settings page, the default text that ships, and the placeholders it may use with what each means.
/// Features register their kinds with <see cref="DocumentRegistration.AddDocumentTemplateKind"/>.
/// </summary>
public sealed record DocumentTemplateKind(string Key, string Name, string DefaultMarkdown, IReadOnlyDictionary<string, string> Placeholders);

/// <summary>The text in force for a kind: the practice's own, or the default.</summary>
public sealed record EffectiveTemplate(DocumentTemplateKind Kind, string Markdown, bool IsDefault, DateTime? UpdatedAt, string? UpdatedBy);

public sealed class DocumentTemplates(RapportDbContext db, IEnumerable<DocumentTemplateKind> kinds, PracticeClock time, Users.StaffNames staff)
{
    private readonly Dictionary<string, DocumentTemplateKind> byKey = kinds.ToDictionary(k => k.Key, StringComparer.Ordinal);

    public IReadOnlyList<DocumentTemplateKind> Kinds => [.. byKey.Values.OrderBy(k => k.Name, StringComparer.Ordinal)];

    public DocumentTemplateKind Kind(string key) =>
        byKey.TryGetValue(key ?? "", out var kind) ? kind : throw new NotFoundException($"Template kind '{key}'");

    public async Task<EffectiveTemplate> GetAsync(string kind, CancellationToken cancellationToken = default)
    {
        var known = Kind(kind);
        var saved = await db.Set<DocumentTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Kind == known.Key, cancellationToken);
        return saved is null
            ? new EffectiveTemplate(known, known.DefaultMarkdown, true, null, null)
            : new EffectiveTemplate(known, saved.Markdown, false, saved.UpdatedAt, (await staff.BookAsync(cancellationToken)).Show(saved.UpdatedBy));
    }

    /// <summary>Saves the practice's text after checking its length and placeholders (errors on field "markdown").</summary>
    public async Task<EffectiveTemplate> SaveAsync(string kind, string markdown, CancellationToken cancellationToken = default)
    {
        var known = Kind(kind);
        markdown = (markdown ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (markdown.Length == 0)
        {
            throw new ValidationException("markdown", "The text is empty; use 'Restore default' to go back to the default text.");
        }
        if (markdown.Length > DocumentTemplate.MaxLength)
        {
            throw new ValidationException("markdown", $"The text is {markdown.Length:N0} characters long; the limit is {DocumentTemplate.MaxLength:N0}.");
        }
        TemplateText.Validate(markdown, known.Placeholders.Keys);
        var saved = await db.Set<DocumentTemplate>().FirstOrDefaultAsync(t => t.Kind == known.Key, cancellationToken);
        if (saved is null)
        {
            saved = new DocumentTemplate { Kind = known.Key, Markdown = markdown };
            db.Add(saved);
        }
        saved.Markdown = markdown;
        saved.UpdatedAt = time.GetUtcNow().UtcDateTime;
        saved.UpdatedBy = db.Organization.Actor;
        await db.SaveChangesAsync(cancellationToken);
        return new EffectiveTemplate(known, saved.Markdown, false, saved.UpdatedAt, saved.UpdatedBy);
    }

    /// <summary>Drops the practice's text so the default applies again.</summary>
    public async Task ResetAsync(string kind, CancellationToken cancellationToken = default)
    {
        var known = Kind(kind);
        var saved = await db.Set<DocumentTemplate>().FirstOrDefaultAsync(t => t.Kind == known.Key, cancellationToken);
        if (saved is not null)
        {
            db.Remove(saved);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>The template in force with its placeholders filled, as Markdown ready for <see cref="SafeMarkdown"/>.</summary>
    public async Task<string> RenderAsync(string kind, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        var template = await GetAsync(kind, cancellationToken);
        var complete = template.Kind.Placeholders.Keys.ToDictionary(k => k, k => values.TryGetValue(k, out var v) ? v : null, StringComparer.Ordinal);
        return TemplateText.Fill(template.Markdown, complete);
    }
}

internal sealed class DocumentTemplateConfiguration : IEntityTypeConfiguration<DocumentTemplate>
{
    public void Configure(EntityTypeBuilder<DocumentTemplate> b)
    {
        b.ToTable("DocumentTemplates");
        b.Property(t => t.Kind).HasMaxLength(64);
        b.Property(t => t.Markdown).HasMaxLength(DocumentTemplate.MaxLength);
        b.Property(t => t.UpdatedBy).HasMaxLength(256);
        b.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId);
        b.HasIndex(t => new { t.OrganizationId, t.Kind }).IsUnique();
    }
}

public static class DocumentRegistration
{
    public static IServiceCollection AddRapportDocuments(this IServiceCollection services)
    {
        services.AddScoped<DocumentTemplates>();
        return services;
    }

    /// <summary>Makes a template kind editable by the practice and renderable by <see cref="DocumentTemplates"/>.</summary>
    public static IServiceCollection AddDocumentTemplateKind(this IServiceCollection services, DocumentTemplateKind kind) =>
        services.AddSingleton(kind);
}
