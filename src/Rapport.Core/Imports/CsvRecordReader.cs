using System.Text;

namespace Rapport.Imports;

/// <summary>One CSV record and the physical line it starts on (header = line 1); for XLSX, one spreadsheet row and its row number.</summary>
public sealed record CsvRecord(int Line, string[] Fields);

/// <summary>The records of an import file, whatever its format (CSV, XLSX), in file order; blank records skipped.</summary>
public interface IImportRecords
{
    CsvRecord? Read();
}

public sealed class CsvFormatException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}

/// <summary>
/// RFC 4180 reader that tracks physical line numbers, so errors can say "file.csv:1234" even when
/// quoted fields span lines. (Sylvan's reader only exposes record numbers, which drift from line
/// numbers on multi-line notes and blank lines, and it treats a leading '#' as a comment.)
/// Lenient where spreadsheets are sloppy: CR, LF or CRLF endings, a stray quote inside an unquoted
/// field is kept literally, and blank records (empty lines, or only commas) are skipped.
/// </summary>
public sealed class CsvRecordReader(TextReader reader) : IImportRecords
{
    private readonly StringBuilder field = new();
    private int line = 1;

    public CsvRecord? Read()
    {
        while (true)
        {
            var startLine = line;
            var fields = new List<string>();
            field.Clear();
            var inQuotes = false;
            var sawAnything = false;
            int c;
            while ((c = reader.Read()) != -1)
            {
                sawAnything = true;
                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            reader.Read();
                            field.Append('"');
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                    else
                    {
                        field.Append((char)c);
                        if (c == '\n' || (c == '\r' && reader.Peek() != '\n'))
                        {
                            line++;
                        }
                    }
                    continue;
                }
                if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '\r' || c == '\n')
                {
                    if (c == '\r' && reader.Peek() == '\n')
                    {
                        reader.Read();
                    }
                    line++;
                    break;
                }
                else if (c == '"' && field.Length == 0)
                {
                    inQuotes = true;
                }
                else
                {
                    field.Append((char)c);
                }
            }
            if (inQuotes)
            {
                throw new CsvFormatException(startLine, "A quoted field starting on this line is never closed.");
            }
            if (!sawAnything)
            {
                return null;
            }
            fields.Add(field.ToString());
            if (fields.TrueForAll(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            return new CsvRecord(startLine, [.. fields]);
        }
    }
}
