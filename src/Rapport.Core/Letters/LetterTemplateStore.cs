namespace Rapport.Letters;

/// <summary>The practice's text for each letter kind; the shipped default until the practice edits it.</summary>
public sealed class LetterTemplateStore
{
    public Task<string> BodyAsync(LetterKind kind, CancellationToken cancellationToken = default) => Task.FromResult(LetterTemplates.Default(kind));
}
