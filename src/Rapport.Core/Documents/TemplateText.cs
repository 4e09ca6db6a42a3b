using System.Text;
using System.Text.RegularExpressions;
using Rapport.Common;

namespace Rapport.Documents;

/// <summary>
/// The placeholder syntax of practice-edited templates: <c>{{name}}</c> or <c>{{group.name}}</c>
/// (letters, digits, underscores; dots between parts), e.g. <c>{{physician.name}}</c>.
/// A placeholder the template's kind does not know is an error naming it and its line, so a typo
/// is caught when the template is saved, not when a physician reads "{{physcian.name}}".
/// Values are inserted as text: Markdown characters in them are escaped and never format.
/// </summary>
public static partial class TemplateText
{
    [GeneratedRegex(@"\{\{(.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")]
    private static partial Regex NamePattern();

    /// <summary>Every problem with the placeholders of a template, each with its line number.</summary>
    public static IReadOnlyList<string> Problems(string markdown, IEnumerable<string> knownPlaceholders)
    {
        var known = knownPlaceholders.ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        var lines = (markdown ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match match in PlaceholderPattern().Matches(lines[i]))
            {
                var name = match.Groups[1].Value.Trim();
                if (!known.Contains(name))
                {
                    problems.Add(NamePattern().IsMatch(name)
                        ? $"line {i + 1}: unknown placeholder {{{{{name}}}}}; known placeholders: {List(known)}."
                        : $"line {i + 1}: '{match.Value}' is not a placeholder name (letters, digits and dots, e.g. {{{{physician.name}}}}).");
                }
            }
            var unclosed = PlaceholderPattern().Replace(lines[i], "");
            if (unclosed.Contains("{{", StringComparison.Ordinal))
            {
                problems.Add($"line {i + 1}: '{{{{' is not closed with '}}}}'.");
            }
        }
        return problems;
    }

    /// <summary>Throws a <see cref="ValidationException"/> on <paramref name="field"/> listing every problem.</summary>
    public static void Validate(string markdown, IEnumerable<string> knownPlaceholders, string field = "markdown")
    {
        var problems = Problems(markdown, knownPlaceholders);
        if (problems.Count > 0)
        {
            throw new ValidationException(new Dictionary<string, string[]> { [field] = [.. problems] });
        }
    }

    /// <summary>
    /// Replaces each placeholder with its value, escaped for Markdown; a missing value prints as
    /// nothing. A placeholder with no entry in <paramref name="values"/> is an error (validate first).
    /// </summary>
    public static string Fill(string markdown, IReadOnlyDictionary<string, string?> values)
    {
        Validate(markdown, values.Keys);
        return PlaceholderPattern().Replace(markdown, match => EscapeMarkdown(values[match.Groups[1].Value.Trim()] ?? ""));
    }

    /// <summary>Backslash-escapes ASCII punctuation (CommonMark §2.4) so a value is never read as Markdown.</summary>
    public static string EscapeMarkdown(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' '))
        {
            if (char.IsAsciiLetterOrDigit(c) || c == ' ' || c > 127 || char.IsControl(c))
            {
                if (!char.IsControl(c))
                {
                    escaped.Append(c);
                }
            }
            else
            {
                escaped.Append('\\').Append(c);
            }
        }
        return escaped.ToString();
    }

    private static string List(IEnumerable<string> names)
    {
        var sorted = names.Order(StringComparer.Ordinal).Select(n => $"{{{{{n}}}}}").ToList();
        return sorted.Count == 0 ? "(none)" : string.Join(", ", sorted);
    }
}
