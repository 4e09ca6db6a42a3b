using Rapport.Documents;

namespace Rapport.Letters;

/// <summary>One piece of a letter's body: Markdown from the template, the clinician's notes, or the table of scores.</summary>
public abstract record LetterBlock
{
    public sealed record Text(string Markdown) : LetterBlock;
    public sealed record Notes : LetterBlock;
    public sealed record Outcomes : LetterBlock;
}

/// <summary>
/// The practice's text for each letter kind (the shipped default until edited), rendered through
/// <see cref="DocumentTemplates"/> so the placeholders are checked and their values escaped. The two
/// block placeholders are filled with marker words and split out afterwards, so the notes keep their
/// own Markdown and the scores become a real table.
/// </summary>
public sealed class LetterTemplateStore(DocumentTemplates templates)
{
    private const string NotesMarker = "RapportLetterNotesBlock";
    private const string OutcomesMarker = "RapportLetterOutcomesBlock";

    public async Task<IReadOnlyList<LetterBlock>> RenderAsync(LetterKind kind, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        var filled = new Dictionary<string, string?>(values, StringComparer.Ordinal)
        {
            [LetterTemplates.NotesPlaceholder] = NotesMarker,
            [LetterTemplates.OutcomesPlaceholder] = OutcomesMarker,
        };
        var markdown = await templates.RenderAsync(LetterTemplates.TemplateKey(kind), filled, cancellationToken);
        return Split(markdown);
    }

    internal static List<LetterBlock> Split(string markdown)
    {
        var blocks = new List<LetterBlock>();
        var rest = markdown;
        while (rest.Length > 0)
        {
            var notes = rest.IndexOf(NotesMarker, StringComparison.Ordinal);
            var outcomes = rest.IndexOf(OutcomesMarker, StringComparison.Ordinal);
            var next = notes < 0 ? outcomes : outcomes < 0 ? notes : Math.Min(notes, outcomes);
            if (next < 0)
            {
                AddText(blocks, rest);
                break;
            }
            AddText(blocks, rest[..next]);
            blocks.Add(next == notes ? new LetterBlock.Notes() : new LetterBlock.Outcomes());
            rest = rest[(next + (next == notes ? NotesMarker.Length : OutcomesMarker.Length))..];
        }
        return blocks;
    }

    private static void AddText(List<LetterBlock> blocks, string markdown)
    {
        if (!string.IsNullOrWhiteSpace(markdown))
        {
            blocks.Add(new LetterBlock.Text(markdown.Trim('\n', ' ')));
        }
    }
}
