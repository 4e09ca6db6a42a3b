using System.Text;
using Rapport.Common;
using Rapport.Registry.Nppes;

namespace Rapport.Tests.Registry;

/// <summary>The byte-level NPPES reader: quoting, line ends, physical line numbers and resynchronising after a bad quote.</summary>
public sealed class NppesReaderTests
{
    private static List<(NppesRecordStatus Status, long Line, string[] Fields, string? Problem)> ReadAll(string text, int bufferSize)
    {
        using var reader = new NppesReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), bufferSize);
        var records = new List<(NppesRecordStatus, long, string[], string?)>();
        while (reader.Read() is var status && status != NppesRecordStatus.End)
        {
            var fields = Enumerable.Range(0, reader.FieldCount).Select(i => reader.Text(i) ?? "").ToArray();
            records.Add((status, reader.RecordLine, fields, status == NppesRecordStatus.Malformed ? reader.Problem : null));
        }
        return records;
    }

    [Theory]
    [InlineData(16)]
    [InlineData(1 << 20)]
    public void Quoted_fields_doubled_quotes_line_breaks_inside_quotes_and_CRLF_read_the_same_with_any_buffer(int bufferSize)
    {
        const string text = "\"NPI\",\"Name\",\"Note\"\r\n" +
            "\"1679576722\",\"WIEBE \"\"DOC\"\"\",\"two\nlines\"\r\n" +
            "\r\n" +
            "\"1588667638\",,plain\n" +
            "\"1497758544\",\"\",\"last, no line end\"";
        var records = ReadAll(text, bufferSize);
        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.Equal(NppesRecordStatus.Record, r.Status));
        Assert.Equal(["NPI", "Name", "Note"], records[0].Fields);
        Assert.Equal(["1679576722", "WIEBE \"DOC\"", "two\nlines"], records[1].Fields);
        Assert.Equal(["1588667638", "", "plain"], records[2].Fields);
        Assert.Equal(["1497758544", "", "last, no line end"], records[3].Fields);
        // Physical lines: the quoted line break and the blank line count, as in an editor.
        Assert.Equal([1L, 2L, 5L, 6L], records.Select(r => r.Line));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(1 << 20)]
    public void A_bad_quote_is_reported_on_its_line_and_the_next_record_is_read(int bufferSize)
    {
        const string text = "\"NPI\",\"Name\"\n" +
            "\"1679576722\",\"WIEBE\"X\"\n" +
            "\"1588667638\",\"PILCHER\"\n" +
            "\"1497758544\",\"NEVER CLOSED\n" +
            "\"1306849450\",\"SMITSON\"\n" +
            "\"1215930367\",\"GRESS\"OT\"\n" +
            "\"1023011178\",\"NAPA\"\n";
        var records = ReadAll(text, bufferSize);
        Assert.Equal(
            [NppesRecordStatus.Record, NppesRecordStatus.Malformed, NppesRecordStatus.Record, NppesRecordStatus.Malformed,
             NppesRecordStatus.Record, NppesRecordStatus.Malformed, NppesRecordStatus.Record],
            records.Select(r => r.Status));
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L], records.Select(r => r.Line));
        Assert.Equal("text after a closing quote", records[1].Problem);
        Assert.StartsWith("a quote that never closes", records[3].Problem, StringComparison.Ordinal);
        Assert.Equal(["1306849450", "SMITSON"], records[4].Fields);
        Assert.Equal(["1023011178", "NAPA"], records[6].Fields);
    }

    [Fact]
    public void Seek_continues_at_a_record_boundary_with_its_line()
    {
        var bytes = Encoding.UTF8.GetBytes("\"A\"\n\"1\"\n\"x\ny\"\n\"3\"\n");
        using var first = new NppesReader(new MemoryStream(bytes), 16);
        first.Read();
        first.Read();
        first.Read();
        var (offset, line) = (first.NextOffset, first.NextLine);
        using var resumed = new NppesReader(new MemoryStream(bytes), 16);
        resumed.Seek(offset, line);
        Assert.Equal(NppesRecordStatus.Record, resumed.Read());
        Assert.Equal("3", resumed.Text(0));
        Assert.Equal(5, resumed.RecordLine);
        Assert.Equal(NppesRecordStatus.End, resumed.Read());
    }

    [Fact]
    public void The_byte_NPI_check_agrees_with_the_string_one()
    {
        var random = new Random(14);
        for (var i = 0; i < 5_000; i++)
        {
            var candidate = random.NextInt64(1_000_000_000, 3_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Formats.IsValidNpi(candidate), NppesRecords.IsValidNpi(Encoding.ASCII.GetBytes(candidate)));
        }
        Assert.True(NppesRecords.IsValidNpi("1679576722"u8));
        Assert.False(NppesRecords.IsValidNpi("1679576723"u8));
        Assert.False(NppesRecords.IsValidNpi("167957672"u8));
    }

    [Theory]
    [InlineData("05/23/2005", true)]
    [InlineData("02/29/2024", true)]
    [InlineData("02/29/2023", false)]
    [InlineData("13/01/2020", false)]
    [InlineData("2020-01-01", false)]
    [InlineData("", true)]
    public void Dates_are_MM_DD_YYYY_and_real(string text, bool valid) =>
        Assert.Equal(valid, NppesRecords.TryParseDate(Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData("npidata_pfile_20050523-20261108.csv", NppesFileKind.Full, "2026-11-08")]
    [InlineData("/data/npidata_pfile_20261102-20261108.csv", NppesFileKind.Weekly, "2026-11-08")]
    [InlineData("registry.csv", NppesFileKind.Full, null)]
    public void Full_and_weekly_files_are_told_apart_by_name(string name, NppesFileKind kind, string? date)
    {
        var (found, fileDate, _) = NppesImporter.KindFromName(name, null);
        Assert.Equal(kind, found);
        Assert.Equal(date, fileDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(NppesFileKind.Weekly, NppesImporter.KindFromName(name, NppesFileKind.Weekly).Kind);
    }

    [Fact]
    public void Filters_name_groups_case_insensitively_and_reject_unknown_ones_listing_the_valid()
    {
        var filter = NppesFilter.Create("ca, nv", "orthopaedic SURGERY,Sports medicine", activeOnly: false);
        Assert.Equal(["CA", "NV"], filter.States);
        Assert.True(filter.KeepsTaxonomy("207X00000X"u8));
        Assert.True(filter.KeepsTaxonomy("207xs0114x"u8));
        Assert.False(filter.KeepsTaxonomy("207Q00000X"u8));
        Assert.True(filter.KeepsState("NV"u8));
        Assert.False(filter.KeepsState("NE"u8));
        Assert.True(NppesFilter.Create(null, "pt-referrers", false).KeepsTaxonomy("207Q00000X"u8));
        var unknown = Assert.Throws<ArgumentException>(() => NppesFilter.Create(null, "Astrology", false));
        Assert.Contains("'Astrology'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Orthopaedic surgery", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("pt-referrers", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_files_have_the_exact_layout_real_codes_and_about_1_3_KB_a_record()
    {
        Assert.All(NppesFileGenerator.IndividualTaxonomies.Concat(NppesFileGenerator.OrganizationTaxonomies),
            t => Assert.NotNull(Rapport.Registry.NuccTaxonomy.Find(t.Code)));
        using var stream = new MemoryStream();
        NppesFileGenerator.Write(stream, new NppesGeneratorOptions(2_000) { Seed = 3, MultilineShare = 0 });
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2_001, lines.Length);
        var header = lines[0].Split(',');
        Assert.Equal(330, header.Length);
        Assert.Equal(NppesFileGenerator.HeaderNames().Select(n => $"\"{n}\""), header);
        Assert.Equal(["\"NPI\"", "\"Entity Type Code\""], header[..2]);
        Assert.Equal("\"Certification Date\"", header[^1]);
        Assert.InRange(stream.Length / 2_000.0, 1_100, 1_500);
        stream.Position = 0;
        using var reader = new NppesReader(stream);
        reader.Read();
        var organizations = 0;
        var deactivated = 0;
        while (reader.Read() == NppesRecordStatus.Record)
        {
            Assert.Equal(330, reader.FieldCount);
            Assert.True(Formats.IsValidNpi(reader.Text(0)));
            organizations += reader.Text(1) == "2" ? 1 : 0;
            deactivated += reader.Text(1) is null ? 1 : 0;
        }
        Assert.InRange(organizations, 100, 230);
        Assert.InRange(deactivated, 15, 70);
    }
}
