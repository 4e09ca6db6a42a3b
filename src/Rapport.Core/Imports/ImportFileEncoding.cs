using System.Text;

namespace Rapport.Imports;

/// <summary>How to decode an import file's bytes (<c>rapport import ... --encoding</c>).</summary>
public enum ImportEncoding
{
    /// <summary>A byte-order mark decides; otherwise UTF-8 when the bytes are valid UTF-8, else Windows-1252 (said in the result).</summary>
    Auto,
    Utf8,
    /// <summary>What Excel's "CSV (Comma delimited)" writes on a Windows PC in the US and western Europe.</summary>
    Windows1252,
    /// <summary>ISO-8859-1; bytes 0x80–0x9F are control characters there, so such a file is better read as Windows-1252.</summary>
    Latin1,
    /// <summary>UTF-16, little-endian unless a byte-order mark says big-endian (Excel's "Unicode text").</summary>
    Utf16,
}

/// <summary>The decoding chosen for one file, where its text starts, and what the person importing should be told.</summary>
/// <param name="Note">Said with the result when the choice was not the plain one (UTF-8), e.g. a Windows-1252 fallback.</param>
/// <param name="Problem">Set when the file cannot be read in any faithful way; the import is refused with it.</param>
internal sealed record DetectedEncoding(Encoding Encoding, int Start, string? Note, ImportError? Problem = null);

/// <summary>
/// Decides how to read an import file so that no character is silently replaced (U+FFFD) or
/// misread ("JÃ¼rgen"). Office staff export CSV from Excel, whose plain "CSV" format on Windows is
/// Windows-1252, not UTF-8; refusing such a file would only send them looking for a setting, so a
/// file that is not valid UTF-8 is read as Windows-1252 and the result says so. What is refused is
/// what cannot be read faithfully: a file that mixes valid UTF-8 letters with non-UTF-8 bytes (two
/// exports pasted together: either reading garbles half of it), and a file that claims UTF-8 (a
/// byte-order mark, or --encoding utf-8) but is not. Decoders never substitute U+FFFD: a byte
/// that is not valid becomes <see cref="Undecodable"/>, a problem of its row and column.
/// </summary>
internal static class ImportFileEncoding
{
    /// <summary>
    /// Put by the decoder where bytes are not valid in the file's encoding: a noncharacter no text
    /// file holds, which the row check (<see cref="ImportRow.CharacterProblem"/>) reports with its line
    /// and column. (Throwing instead would name no line: the reader decodes ahead of the parser.)
    /// </summary>
    public const char Undecodable = '\uFFFF';

    public static readonly Encoding StrictUtf8 = Marking(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>Part of the shared framework (System.Text.Encoding.CodePages); taken from the provider without registering it process-wide.</summary>
    public static Encoding Windows1252 => CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    public static string NameOf(ImportEncoding encoding) => encoding switch
    {
        ImportEncoding.Utf8 => "utf-8",
        ImportEncoding.Windows1252 => "windows-1252",
        ImportEncoding.Latin1 => "latin1",
        ImportEncoding.Utf16 => "utf-16",
        _ => "auto",
    };

    /// <summary>Reads the stream (from its start) to choose the decoding; the caller rewinds to <see cref="DetectedEncoding.Start"/>.</summary>
    public static async Task<DetectedEncoding> DetectAsync(Stream stream, ImportEncoding wanted, CancellationToken cancellationToken)
    {
        var head = new byte[4];
        stream.Position = 0;
        var headLength = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var bom = head.AsSpan(0, headLength) switch
        {
            [0xEF, 0xBB, 0xBF, ..] => ImportEncoding.Utf8,
            [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] => ImportEncoding.Utf16,
            _ => ImportEncoding.Auto,
        };
        var bigEndian = head[0] == 0xFE;
        switch (wanted)
        {
            case ImportEncoding.Windows1252:
                return new DetectedEncoding(Windows1252, 0, null);
            case ImportEncoding.Latin1:
                return new DetectedEncoding(Encoding.Latin1, 0, null);
            case ImportEncoding.Utf16:
                return new DetectedEncoding(Utf16(bigEndian), bom == ImportEncoding.Utf16 ? 2 : 0, null);
        }
        if (wanted == ImportEncoding.Auto && bom == ImportEncoding.Utf16)
        {
            return new DetectedEncoding(Utf16(bigEndian), 2, null);
        }
        // A header of ASCII column names in UTF-16 without a byte-order mark: every other byte is zero.
        if (wanted == ImportEncoding.Auto && bom == ImportEncoding.Auto && headLength == 4)
        {
            if (head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0)
            {
                return new DetectedEncoding(Utf16(bigEndian: false), 0, "read as UTF-16 (little-endian): the file has no byte-order mark, but its bytes are UTF-16");
            }
            if (head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0)
            {
                return new DetectedEncoding(Utf16(bigEndian: true), 0, "read as UTF-16 (big-endian): the file has no byte-order mark, but its bytes are UTF-16");
            }
        }

        var start = bom == ImportEncoding.Utf8 ? 3 : 0;
        stream.Position = start;
        var scan = await Utf8Scan.RunAsync(stream, cancellationToken);
        if (scan.FirstInvalidLine is not { } badLine)
        {
            return new DetectedEncoding(StrictUtf8, start, null);
        }
        var badByte = $"byte 0x{scan.FirstInvalidByte:X2}";
        if (wanted == ImportEncoding.Utf8 || bom == ImportEncoding.Utf8)
        {
            var claim = wanted == ImportEncoding.Utf8 ? "--encoding utf-8 was given" : "the file starts with a UTF-8 byte-order mark";
            return new DetectedEncoding(StrictUtf8, start, null, new ImportError(badLine, "file",
                $"{badByte} is not UTF-8, though {claim}. Save the file again as \"CSV UTF-8\", or name its encoding, e.g. --encoding windows-1252."));
        }
        if (scan.FirstMultiByteLine is { } utf8Line)
        {
            return new DetectedEncoding(StrictUtf8, start, null, new ImportError(badLine, "file",
                $"{badByte} is not UTF-8, but line {utf8Line} has UTF-8 letters: the file mixes two encodings, and either reading would garble some names. " +
                "Save it again as \"CSV UTF-8\" from one program, or name the encoding with --encoding if you are sure."));
        }
        return new DetectedEncoding(Windows1252, start,
            $"read as Windows-1252 because the file is not valid UTF-8 (line {badLine}: {badByte}); if names look wrong, name the encoding with --encoding");
    }

    private static Encoding Utf16(bool bigEndian) => Marking(new UnicodeEncoding(bigEndian, byteOrderMark: false));

    private static Encoding Marking(Encoding encoding)
    {
        var marking = (Encoding)encoding.Clone();
        marking.DecoderFallback = new DecoderReplacementFallback(Undecodable.ToString());
        return marking;
    }

    /// <summary>
    /// One pass over the bytes checking UTF-8 well-formedness (RFC 3629: no overlongs, surrogates or
    /// values past U+10FFFF), noting the line of the first invalid byte and of the first valid
    /// multi-byte character. ASCII runs are skipped with vectorized searches, so a 150 MB file takes
    /// a fraction of a second.
    /// </summary>
    private sealed class Utf8Scan
    {
        public int? FirstInvalidLine { get; private set; }
        public byte FirstInvalidByte { get; private set; }
        public int? FirstMultiByteLine { get; private set; }

        private int line = 1;
        private int pending;
        private byte low = 0x80, high = 0xBF;
        private byte lead;

        public static async Task<Utf8Scan> RunAsync(Stream stream, CancellationToken cancellationToken)
        {
            var scan = new Utf8Scan();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                scan.Feed(buffer.AsSpan(0, read));
                if (scan.FirstInvalidLine is not null && scan.FirstMultiByteLine is not null)
                {
                    return scan; // Both facts known: nothing later changes the decision.
                }
            }
            if (scan.pending > 0)
            {
                scan.Invalid(scan.lead); // The file ends inside a character.
            }
            return scan;
        }

        private void Feed(ReadOnlySpan<byte> bytes)
        {
            var i = 0;
            while (i < bytes.Length)
            {
                if (pending == 0)
                {
                    var rest = bytes[i..];
                    var nonAscii = rest.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
                    var ascii = nonAscii < 0 ? rest : rest[..nonAscii];
                    line += ascii.Count((byte)'\n');
                    if (nonAscii < 0)
                    {
                        return;
                    }
                    i += nonAscii;
                    var b = bytes[i++];
                    lead = b;
                    (pending, low, high) = b switch
                    {
                        >= 0xC2 and <= 0xDF => (1, (byte)0x80, (byte)0xBF),
                        0xE0 => (2, (byte)0xA0, (byte)0xBF),
                        0xED => (2, (byte)0x80, (byte)0x9F),
                        >= 0xE1 and <= 0xEF => (2, (byte)0x80, (byte)0xBF),
                        0xF0 => (3, (byte)0x90, (byte)0xBF),
                        >= 0xF1 and <= 0xF3 => (3, (byte)0x80, (byte)0xBF),
                        0xF4 => (3, (byte)0x80, (byte)0x8F),
                        _ => (0, (byte)0x80, (byte)0xBF),
                    };
                    if (pending == 0)
                    {
                        Invalid(b);
                    }
                    continue;
                }
                var next = bytes[i];
                if (next < low || next > high)
                {
                    // Not a continuation: the sequence is broken; read this byte afresh.
                    pending = 0;
                    Invalid(lead);
                    continue;
                }
                i++;
                (low, high) = ((byte)0x80, (byte)0xBF);
                if (--pending == 0)
                {
                    FirstMultiByteLine ??= line;
                }
            }
        }

        private void Invalid(byte b)
        {
            if (FirstInvalidLine is null)
            {
                FirstInvalidLine = line;
                FirstInvalidByte = b;
            }
        }
    }
}
