using System.Globalization;
using System.Text;
using Rapport.Common;

namespace Rapport.Imports;

/// <summary>The header of an import file, mapped onto the columns of one kind.</summary>
public sealed class ImportHeader
{
    private readonly Dictionary<string, int> positions;
    private readonly Dictionary<string, string> fileNames;

    private ImportHeader(Dictionary<string, int> positions, IReadOnlyDictionary<string, ImportColumn> columns, Dictionary<string, string> fileNames, int width)
    {
        this.positions = positions;
        this.fileNames = fileNames;
        Columns = columns;
        Width = width;
    }

    public IReadOnlyDictionary<string, ImportColumn> Columns { get; }

    public int Count => positions.Count;

    /// <summary>Fields the header has, ignored columns included: a row with more non-blank fields is an error.</summary>
    public int Width { get; }

    public int PositionOf(string column) => positions.TryGetValue(column, out var position) ? position : -1;

    /// <summary>
    /// The name the file gives a column: a problem is reported under the header the person wrote
    /// ("Date Received"), not the Rapport column it was mapped to, so they can find it in their file.
    /// </summary>
    public string FileNameOf(string column) => fileNames.TryGetValue(column, out var name) ? name : column;

    /// <summary>
    /// Unknown columns are errors rather than warnings: a misspelt "recieved_date" silently ignored
    /// would import every referral without its date. A <paramref name="mapping"/> (the file's header
    /// text → a column, or "" to ignore it on purpose) renames the file's own headers first; a header
    /// the mapping does not name is read as before.
    /// </summary>
    public static ImportHeader Parse(CsvRecord header, IReadOnlyList<ImportColumn> columns, List<ImportError> errors, IReadOnlyDictionary<string, string>? mapping = null)
    {
        var known = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var fileNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        var width = header.Fields.Length;
        for (var i = 0; i < header.Fields.Length; i++)
        {
            var written = header.Fields[i].Trim().Trim('\uFEFF').Trim();
            string name;
            if (mapping is not null && written.Length > 0 && mapping.TryGetValue(written, out var target))
            {
                if (string.IsNullOrEmpty(target))
                {
                    continue; // Ignored on purpose.
                }
                name = target;
                if (!string.Equals(name, written, StringComparison.Ordinal))
                {
                    fileNames.TryAdd(name, written);
                }
            }
            else
            {
                name = Normalize(header.Fields[i]);
            }
            if (name.Length == 0 && i == header.Fields.Length - 1)
            {
                width--;
                continue; // A trailing comma after the last column name.
            }
            if (!known.ContainsKey(name))
            {
                unknown.Add(written);
            }
            else if (!positions.TryAdd(name, i))
            {
                errors.Add(new ImportError(header.Line, fileNames.GetValueOrDefault(name, name), "The column appears more than once in the header."));
            }
        }
        if (unknown.Count > 0)
        {
            errors.Add(new ImportError(header.Line, "header",
                $"Unknown column(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; this import understands: {string.Join(", ", columns.Select(c => c.Name))}."));
        }
        foreach (var missing in columns.Where(c => c.RequiredInHeader && !positions.ContainsKey(c.Name)))
        {
            errors.Add(new ImportError(header.Line, missing.Name, "This column is required in the header."));
        }
        return new ImportHeader(positions, known, fileNames, width);
    }

    /// <summary>Header names are matched case-insensitively, with spaces and hyphens read as underscores.</summary>
    public static string Normalize(string name) => name.Trim().Trim('\uFEFF').ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
}

/// <summary>
/// One data row: typed reads that record a problem under the CSV column name when a value does not
/// parse. Each read takes the current value of an existing row as its fallback, so a column absent
/// from the file leaves that field untouched while a column present but blank clears it.
/// </summary>
public sealed class ImportRow(ImportHeader header, CsvRecord record)
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "M/d/yyyy", "MM/dd/yyyy"];

    private readonly HashSet<string> unreadable = new(StringComparer.Ordinal);
    /// <summary>Columns whose text was refused (control character, too long): read as blank, reported once.</summary>
    private readonly HashSet<string> refused = new(StringComparer.Ordinal);

    public int Line => record.Line;

    public List<ImportError> Errors { get; } = [];

    public bool IsValid => Errors.Count == 0;

    public bool Has(string column) => header.PositionOf(column) >= 0;

    public void Add(string column, string message)
    {
        unreadable.Add(column);
        Errors.Add(new ImportError(Line, column, message));
    }

    /// <summary>
    /// Checks every cell of the row for characters no field may hold (<see cref="CharacterProblem"/>),
    /// before any is read: such a cell is a problem of its row and column, and reads as blank.
    /// </summary>
    public void CheckCharacters()
    {
        foreach (var column in header.Columns.Keys)
        {
            var position = header.PositionOf(column);
            if (position >= 0 && position < record.Fields.Length && CharacterProblem(record.Fields[position]) is { } problem)
            {
                refused.Add(column);
                Add(column, problem);
            }
        }
    }

    /// <summary>
    /// Control characters (C0 except tab and line breaks, DEL, C1) have no place in a name, code or
    /// note: they come from binary or damaged exports, print as nothing, and PostgreSQL refuses NUL
    /// outright. U+FFFD is what an earlier program left where it could not read a character; storing
    /// it would keep "M\uFFFDller" for good, so the row is sent back to be corrected instead.
    /// </summary>
    public static string? CharacterProblem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if ((c < ' ' && c is not ('\t' or '\r' or '\n')) || c is >= '\u007F' and <= '\u009F')
            {
                return $"contains a control character (U+{(int)c:X4}) at character {i + 1}; remove it (it comes from a damaged or binary export).";
            }
            if (c == ImportFileEncoding.Undecodable)
            {
                return $"has bytes at character {i + 1} that are not valid in the file's encoding; the file is damaged or in another encoding (see --encoding).";
            }
            if (c == '\uFFFD')
            {
                return $"contains U+FFFD (\uFFFD) at character {i + 1}, the mark a program leaves where it could not read a letter; type the letter again.";
            }
        }
        return null;
    }

    /// <summary>The problem with a value longer than its database column holds (the EF model's max length).</summary>
    public static string TooLong(int length, int max) => $"The value is {length} characters long; at most {max} fit.";

    /// <summary>Records a value too long for its column, once per column.</summary>
    public void AddTooLong(string column, int length, int max)
    {
        if (refused.Add(column))
        {
            Add(column, TooLong(length, max));
        }
    }

    /// <summary>The trimmed text of a column; null when blank, or the fallback when the file lacks the column.</summary>
    public string? Text(string column, string? fallback = null)
    {
        var position = header.PositionOf(column);
        if (position < 0)
        {
            return fallback;
        }
        if (refused.Contains(column))
        {
            return null;
        }
        var text = position < record.Fields.Length ? Formats.Clean(record.Fields[position]) : null;
        if (text is not null && header.Columns[column].MaxLength is { } max && text.Length > max)
        {
            AddTooLong(column, text.Length, max);
            return null;
        }
        return text;
    }

    public DateOnly? Date(string column, DateOnly? fallback = null)
    {
        if (!Has(column))
        {
            return fallback;
        }
        if (Text(column) is not { } text)
        {
            return null;
        }
        if (ParseDate(text) is { } date)
        {
            return date;
        }
        Add(column, $"'{text}' is not a date (use yyyy-MM-dd or MM/dd/yyyy).");
        return null;
    }

    /// <summary>A date in one of the accepted forms (yyyy-MM-dd, MM/dd/yyyy, M/d/yyyy), or null.</summary>
    public static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public int? WholeNumber(string column, int? fallback = null)
    {
        if (!Has(column))
        {
            return fallback;
        }
        if (Text(column) is not { } text)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        Add(column, $"'{text}' is not a whole number.");
        return null;
    }

    /// <summary>yes/no (also y/n, true/false, 1/0, any case); null when blank, or the fallback when the file lacks the column.</summary>
    public bool? YesNo(string column, bool? fallback = null)
    {
        if (!Has(column))
        {
            return fallback;
        }
        switch (Text(column)?.ToLowerInvariant())
        {
            case null: return null;
            case "yes" or "y" or "true" or "1": return true;
            case "no" or "n" or "false" or "0": return false;
            case var text:
                Add(column, $"'{text}' is not yes or no.");
                return null;
        }
    }

    /// <summary>A money amount such as 85.50 or $1,200 (invariant culture).</summary>
    public decimal? Amount(string column, decimal? fallback = null)
    {
        if (!Has(column))
        {
            return fallback;
        }
        if (Text(column) is not { } text)
        {
            return null;
        }
        if (decimal.TryParse(text.TrimStart('$'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var amount))
        {
            return amount;
        }
        Add(column, $"'{text}' is not an amount (use e.g. 85.50).");
        return null;
    }

    /// <summary>Enum names match ignoring case, spaces, underscores and hyphens ("in person", "workers_comp").</summary>
    public T? Enum<T>(string column, T? fallback = null) where T : struct, Enum
    {
        if (!Has(column))
        {
            return fallback;
        }
        if (Text(column) is not { } text)
        {
            return null;
        }
        var wanted = Squash(text);
        foreach (var value in System.Enum.GetValues<T>())
        {
            if (Squash(value.ToString()) == wanted)
            {
                return value;
            }
        }
        Add(column, $"'{text}' is not one of: {string.Join(", ", System.Enum.GetNames<T>())}.");
        return null;
    }

    /// <summary>
    /// Copies the problems a feature service's rules found onto the CSV columns they concern. A
    /// column that already failed to parse is not reported again (its "is required" would only echo
    /// the parse error).
    /// </summary>
    public void AddRuleProblems(Problems problems, IReadOnlyDictionary<string, string> columnOfField)
    {
        if (!problems.Any)
        {
            return;
        }
        try
        {
            problems.ThrowIfAny();
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                var column = columnOfField.TryGetValue(field, out var mapped) ? mapped : SnakeCase(field);
                if (unreadable.Contains(column))
                {
                    continue;
                }
                foreach (var message in messages)
                {
                    Errors.Add(new ImportError(Line, column, message));
                }
            }
        }
    }

    private static string Squash(string text)
    {
        var squashed = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is not (' ' or '_' or '-'))
            {
                squashed.Append(char.ToLowerInvariant(c));
            }
        }
        return squashed.ToString();
    }

    public static string SnakeCase(string camel)
    {
        var snake = new StringBuilder(camel.Length + 4);
        foreach (var c in camel)
        {
            if (char.IsUpper(c))
            {
                snake.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                snake.Append(c);
            }
        }
        return snake.ToString();
    }
}
