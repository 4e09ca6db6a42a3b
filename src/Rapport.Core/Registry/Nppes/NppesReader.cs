using System.Buffers;
using System.Text;

namespace Rapport.Registry.Nppes;

/// <summary>What <see cref="NppesReader.Read"/> found.</summary>
public enum NppesRecordStatus { End, Record, Malformed }

/// <summary>
/// Reads the NPPES dissemination file record by record straight from UTF-8 bytes in one pooled buffer:
/// no string per line, no string per field; a field is a (start, end) pair into the buffer until
/// someone asks for its text. The format (../shared/REFERENCES.md "NPPES NPI data dissemination file"):
/// every field double-quoted, a quote inside a field doubled, CRLF or LF line ends, and a quoted field
/// may hold a line break. Line numbers are physical lines, as an editor counts them.
/// </summary>
/// <remarks>
/// A record whose quoting is broken (text after a closing quote, a quote inside an unquoted field, a
/// quote never closed) is reported as malformed and the reader resynchronises at the next physical line
/// that starts with a quote and a digit: in a well-formed file only a record's first line can (inside a
/// quoted field a quote at the start of a line either closes the field, and a comma must follow, or is
/// doubled), so one bad quote never swallows the rows after it.
/// </remarks>
public sealed class NppesReader : IDisposable
{
    /// <summary>More fields than any layout has: a longer row is reported, not stored.</summary>
    public const int MaxFields = 400;
    /// <summary>A record (real ones are 1–4 KB) longer than this is malformed: a quote that never closes.</summary>
    public const int MaxRecordBytes = 1 << 20;

    private static readonly SearchValues<byte> UnquotedStops = SearchValues.Create(",\n\r\""u8);

    private readonly Stream stream;
    private byte[] buffer;
    private int start;
    private int end;
    private bool eof;
    private long bufferOffset;
    private readonly int[] fieldStart = new int[MaxFields];
    private readonly int[] fieldEnd = new int[MaxFields];
    private readonly bool[] fieldEscaped = new bool[MaxFields];

    public NppesReader(Stream stream, int bufferSize = 1 << 20)
    {
        this.stream = stream;
        buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, bufferSize));
        NextLine = 1;
    }

    /// <summary>Fields of the current record (may exceed <see cref="MaxFields"/> for a long row; only the first ones are kept).</summary>
    public int FieldCount { get; private set; }
    /// <summary>The physical line the current record starts on (1-based).</summary>
    public long RecordLine { get; private set; }
    /// <summary>File offset of the current record's first byte.</summary>
    public long RecordOffset { get; private set; }
    /// <summary>File offset just after the current record (its line end included): where a resume starts.</summary>
    public long NextOffset => bufferOffset + start;
    /// <summary>The physical line the next record starts on.</summary>
    public long NextLine { get; private set; }
    /// <summary>Why the current record is malformed.</summary>
    public string? Problem { get; private set; }
    /// <summary>The 0-based field a malformed record's problem is in, or -1.</summary>
    public int ProblemField { get; private set; }

    /// <summary>Continues reading at a record boundary returned earlier by <see cref="NextOffset"/> and <see cref="NextLine"/>.</summary>
    public void Seek(long offset, long line)
    {
        stream.Seek(offset, SeekOrigin.Begin);
        bufferOffset = offset;
        start = end = 0;
        eof = false;
        NextLine = line;
    }

    public ReadOnlySpan<byte> Field(int index) =>
        index < Math.Min(FieldCount, MaxFields) ? buffer.AsSpan(fieldStart[index], fieldEnd[index] - fieldStart[index]) : default;

    /// <summary>The field as text, doubled quotes undone; null when empty.</summary>
    public string? Text(int index)
    {
        var bytes = Field(index);
        if (bytes.IsEmpty)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(bytes);
        return fieldEscaped[index] ? text.Replace("\"\"", "\"", StringComparison.Ordinal) : text;
    }

    public NppesRecordStatus Read()
    {
        while (true)
        {
            var span = buffer.AsSpan(start, end - start);
            var outcome = TryParse(span, eof, out var consumed);
            switch (outcome)
            {
                case Outcome.NeedMore:
                    if (!Fill())
                    {
                        // The buffer holds MaxRecordBytes and still no record end: a quote never closed.
                        Problem = $"a record longer than {MaxRecordBytes:N0} bytes (a quote that never closes?)";
                        ProblemField = -1;
                        return Resynchronise();
                    }
                    continue;
                case Outcome.End:
                    return NppesRecordStatus.End;
                case Outcome.Blank:
                    start += consumed;
                    NextLine++;
                    continue;
                case Outcome.Record:
                    RecordOffset = bufferOffset + start;
                    RecordLine = NextLine;
                    NextLine += span[..consumed].Count((byte)'\n');
                    start += consumed;
                    return NppesRecordStatus.Record;
                default:
                    return Resynchronise();
            }
        }
    }

    private enum Outcome { NeedMore, End, Blank, Record, BadQuote }

    /// <summary>Parses one record at the start of <paramref name="span"/>; needs the whole record in the span.</summary>
    private Outcome TryParse(ReadOnlySpan<byte> span, bool final, out int consumed)
    {
        consumed = 0;
        if (span.IsEmpty)
        {
            return final ? Outcome.End : Outcome.NeedMore;
        }
        if (span[0] == (byte)'\n' || (span[0] == (byte)'\r' && span.Length > 1 && span[1] == (byte)'\n'))
        {
            consumed = span[0] == (byte)'\n' ? 1 : 2;
            return Outcome.Blank;
        }
        var i = 0;
        var field = 0;
        while (true)
        {
            if (i >= span.Length)
            {
                if (!final)
                {
                    return Outcome.NeedMore;
                }
                // The last record has no line end; a trailing comma left one empty field.
                Store(field++, i, i, false);
                FieldCount = field;
                consumed = i;
                return Outcome.Record;
            }
            if (span[i] == (byte)'"')
            {
                // Most of a record's 330 fields are empty: "", then a comma.
                if (i + 2 < span.Length && span[i + 1] == (byte)'"' && span[i + 2] == (byte)',')
                {
                    Store(field++, i + 1, i + 1, false);
                    i += 3;
                    continue;
                }
                var j = i + 1;
                var escaped = false;
                while (true)
                {
                    var k = span[j..].IndexOf((byte)'"');
                    if (k < 0)
                    {
                        if (!final)
                        {
                            return Outcome.NeedMore;
                        }
                        return Bad(field, "a quote that never closes", out consumed);
                    }
                    var quote = j + k;
                    if (quote + 1 >= span.Length)
                    {
                        if (!final)
                        {
                            return Outcome.NeedMore;
                        }
                        Store(field++, i + 1, quote, escaped);
                        FieldCount = field;
                        consumed = quote + 1;
                        return Outcome.Record;
                    }
                    var next = span[quote + 1];
                    if (next == (byte)'"')
                    {
                        escaped = true;
                        j = quote + 2;
                        continue;
                    }
                    Store(field++, i + 1, quote, escaped);
                    if (next == (byte)',')
                    {
                        i = quote + 2;
                        break;
                    }
                    if (next == (byte)'\n' || next == (byte)'\r')
                    {
                        return LineEnd(span, quote + 1, field, final, out consumed);
                    }
                    // A quote opening a line and followed by a digit starts the next record: this field's quote never closed.
                    return quote > 0 && span[quote - 1] == (byte)'\n' && char.IsAsciiDigit((char)next)
                        ? Bad(field - 1, "a quote that never closes (the next record starts on the following line)", out consumed)
                        : Bad(field - 1, "text after a closing quote", out consumed);
                }
                continue;
            }
            var rest = span[i..];
            var stop = rest.IndexOfAny(UnquotedStops);
            if (stop < 0)
            {
                if (!final)
                {
                    return Outcome.NeedMore;
                }
                stop = rest.Length;
            }
            if (stop < rest.Length && rest[stop] == (byte)'"')
            {
                return Bad(field, "a quote inside an unquoted field", out consumed);
            }
            Store(field++, i, i + stop, false);
            if (stop == rest.Length)
            {
                FieldCount = field;
                consumed = span.Length;
                return Outcome.Record;
            }
            if (rest[stop] == (byte)',')
            {
                i += stop + 1;
                continue;
            }
            return LineEnd(span, i + stop, field, final, out consumed);
        }
    }

    private Outcome LineEnd(ReadOnlySpan<byte> span, int at, int fields, bool final, out int consumed)
    {
        FieldCount = fields;
        if (span[at] == (byte)'\r')
        {
            if (at + 1 >= span.Length && !final)
            {
                consumed = 0;
                return Outcome.NeedMore;
            }
            consumed = at + 1 < span.Length && span[at + 1] == (byte)'\n' ? at + 2 : at + 1;
            return Outcome.Record;
        }
        consumed = at + 1;
        return Outcome.Record;
    }

    private Outcome Bad(int field, string problem, out int consumed)
    {
        Problem = problem;
        ProblemField = field;
        consumed = 0;
        return Outcome.BadQuote;
    }

    private void Store(int field, int from, int to, bool escaped)
    {
        if (field < MaxFields)
        {
            fieldStart[field] = start + from;
            fieldEnd[field] = start + to;
            fieldEscaped[field] = escaped;
        }
    }

    /// <summary>
    /// Skips the malformed record: on to the next physical line that starts with a quote and a digit
    /// (or the end of the file), counting the lines passed.
    /// </summary>
    private NppesRecordStatus Resynchronise()
    {
        RecordOffset = bufferOffset + start;
        RecordLine = NextLine;
        FieldCount = 0;
        var scanFrom = 0;
        while (true)
        {
            var span = buffer.AsSpan(start, end - start);
            var newline = span[scanFrom..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (eof)
                {
                    start = end;
                    return NppesRecordStatus.Malformed;
                }
                // Keep nothing of the skipped text but the counted lines.
                start = end;
                FillRaw();
                scanFrom = 0;
                continue;
            }
            var at = scanFrom + newline;
            if (at + 2 >= span.Length && !eof)
            {
                start += at;
                FillRaw();
                // The newline is now the first byte; it was not counted yet.
                scanFrom = 0;
                continue;
            }
            NextLine++;
            if (at + 2 >= span.Length || (span[at + 1] == (byte)'"' && char.IsAsciiDigit((char)span[at + 2])))
            {
                start += Math.Min(at + 1, span.Length);
                return NppesRecordStatus.Malformed;
            }
            scanFrom = at + 1;
        }
    }

    /// <summary>Moves the unread bytes to the front and reads more; grows the buffer up to <see cref="MaxRecordBytes"/>.</summary>
    private bool Fill()
    {
        if (start == 0 && end == buffer.Length)
        {
            if (buffer.Length >= MaxRecordBytes)
            {
                return false;
            }
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxRecordBytes, buffer.Length * 2));
            buffer.AsSpan(0, end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
        }
        FillRaw();
        return true;
    }

    private void FillRaw()
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            bufferOffset += start;
            end -= start;
            start = 0;
        }
        while (end < buffer.Length)
        {
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                eof = true;
                return;
            }
            end += read;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }
}
