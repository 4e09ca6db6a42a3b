using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Data;
using Rapport.Imports;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Imports;

/// <summary>
/// Issue 12, item 11: a Latin-1 file was stored as "J\uFFFDrgen M\uFFFDller" with exit 0. Every
/// encoding an office PC writes is read faithfully, and no replacement character is ever stored.
/// </summary>
public sealed class ImportEncodingTests
{
    private const string Header = "external_id,first_name,last_name\n";

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static byte[] Utf8(string text, bool bom = false) => [.. (bom ? Encoding.UTF8.Preamble : []), .. Encoding.UTF8.GetBytes(text)];

    private static byte[] Utf16(string text, bool bigEndian) =>
        [.. new UnicodeEncoding(bigEndian, byteOrderMark: true).Preamble, .. new UnicodeEncoding(bigEndian, false).GetBytes(text)];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Every_encoding_an_office_writes_imports_the_names_exactly(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Encoding PT");
        var files = new (string Id, byte[] Bytes, string? Note)[]
        {
            ("LATIN1", Latin1(Header + "LATIN1,Jürgen,Müller\n"), "read as Windows-1252 because the file is not valid UTF-8 (line 2: byte 0xFC)"),
            // 0x92 is a curly apostrophe in Windows-1252 (Excel's autocorrect), a control character in ISO-8859-1.
            ("CP1252", [.. Latin1(Header + "CP1252,Siobhán,O"), 0x92, .. Latin1("Brien\n")], "read as Windows-1252"),
            ("UTF8", Utf8(Header + "UTF8,Jürgen,Müller\n"), null),
            ("UTF8BOM", Utf8(Header + "UTF8BOM,Jürgen,Müller\n", bom: true), null),
            ("UTF16LE", Utf16(Header + "UTF16LE,Jürgen,Müller\n", bigEndian: false), null),
            ("UTF16BE", Utf16(Header + "UTF16BE,Jürgen,Müller\n", bigEndian: true), null),
            ("UTF16NOBOM", new UnicodeEncoding(false, false).GetBytes(Header + "UTF16NOBOM,Jürgen,Müller\n"), "read as UTF-16 (little-endian)"),
        };

        foreach (var (id, bytes, note) in files)
        {
            var result = await ImportBytesAsync(app, org, bytes);
            Assert.True(result.Written, $"{id}: {string.Join("; ", result.Errors)}");
            if (note is null)
            {
                Assert.Null(result.Note);
            }
            else
            {
                Assert.StartsWith(note, result.Note, StringComparison.Ordinal);
            }
        }

        var names = await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<RapportDbContext>().Patients
            .ToDictionaryAsync(p => p.ExternalId, p => $"{p.FirstName} {p.LastName}", TestContext.Current.CancellationToken));
        Assert.Equal("Jürgen Müller", names["LATIN1"]);
        Assert.Equal("Siobhán O\u2019Brien", names["CP1252"]);
        Assert.All(files.Where(f => f.Id is not ("LATIN1" or "CP1252")), f => Assert.Equal("Jürgen Müller", names[f.Id]));
        Assert.DoesNotContain(names.Values, n => n.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_cli_says_how_it_read_a_latin1_file_and_refuses_it_as_utf8_when_told_so(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Encoding PT");
        var folder = Directory.CreateTempSubdirectory("rapport-import-");
        var path = Path.Combine(folder.FullName, "patients.csv");
        try
        {
            await File.WriteAllBytesAsync(path, Latin1(Header + "P1,Ada,Lovelace\nP2,Jürgen,Müller\n"), TestContext.Current.CancellationToken);

            var strict = await Infrastructure.Cli.RunAsync(app.Database, "import", "patients", path, "--org", org.Slug, "--encoding", "utf-8");
            Assert.Equal(Rapport.Cli.ImportCommands.Rejected, strict.ExitCode);
            Assert.StartsWith($"{path}:3: file: byte 0xFC is not UTF-8, though --encoding utf-8 was given.", strict.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, await CountPatientsAsync(app, org));

            var read = await Infrastructure.Cli.RunAsync(app.Database, "import", "patients", path, "--org", org.Slug);
            Assert.Equal(0, read.ExitCode);
            Assert.Contains($"{path}: read as Windows-1252 because the file is not valid UTF-8 (line 3: byte 0xFC)", read.Stdout, StringComparison.Ordinal);
            Assert.Contains("2 added", read.Stdout, StringComparison.Ordinal);
            var stored = await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<RapportDbContext>().Patients
                .SingleAsync(p => p.ExternalId == "P2", TestContext.Current.CancellationToken));
            Assert.Equal(("Jürgen", "Müller"), (stored.FirstName, stored.LastName));

            var named = await Infrastructure.Cli.RunAsync(app.Database, "import", "patients", path, "--org", org.Slug, "--encoding", "latin1");
            Assert.Equal(0, named.ExitCode);
            Assert.Contains("0 added, 0 updated, 2 unchanged", named.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("read as", named.Stdout, StringComparison.Ordinal);

            var unknown = await Infrastructure.Cli.RunAsync(app.Database, "import", "patients", path, "--org", org.Slug, "--encoding", "ebcdic");
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains("'ebcdic' is not one of utf-8, windows-1252, latin1, utf-16", unknown.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_file_mixing_utf8_and_another_encoding_is_refused_naming_both_lines()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Encoding PT");

        var result = await ImportBytesAsync(app, org, [.. Utf8(Header + "P1,Zoë,Brontë\n"), .. Latin1("P2,Jürgen,Müller\n")]);

        Assert.True(result.Rejected);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "file"), (error.Line, error.Column));
        Assert.StartsWith("byte 0xFC is not UTF-8, but line 2 has UTF-8 letters: the file mixes two encodings", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountPatientsAsync(app, org));
    }

    [Fact]
    public async Task A_utf8_file_with_a_byte_order_mark_and_a_bad_byte_is_refused()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Encoding PT");

        var result = await ImportBytesAsync(app, org, [.. Utf8(Header + "P1,Ada,Lovelace\n", bom: true), .. Latin1("P2,Jürgen,Müller\n")]);

        Assert.True(result.Rejected);
        Assert.Equal("patients.csv:3: file: byte 0xFC is not UTF-8, though the file starts with a UTF-8 byte-order mark. Save the file again as \"CSV UTF-8\", or name its encoding, e.g. --encoding windows-1252.",
            Assert.Single(result.Errors).Format("patients.csv"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Text_already_damaged_by_another_program_is_sent_back_not_stored(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Encoding PT");

        // Valid UTF-8, but U+FFFD is what a converter leaves where a letter was lost.
        var result = await ImportBytesAsync(app, org, Utf8(Header + "P1,Ada,Lovelace\nP2,J\uFFFDrgen,M\uFFFDller\n"));

        Assert.True(result.Rejected);
        Assert.Equal(["3 first_name", "3 last_name"], result.Errors.Select(e => $"{e.Line} {e.Column}"));
        Assert.StartsWith("contains U+FFFD", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountPatientsAsync(app, org));
    }

    [Fact]
    public async Task A_damaged_utf16_file_is_refused_at_its_line()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Encoding PT");
        // A lone high surrogate (0xD800) on line 3 cannot be decoded.
        byte[] bytes = [.. Utf16(Header + "P1,Ada,Lovelace\nP2,", bigEndian: false), 0x00, 0xD8, .. new UnicodeEncoding(false, false).GetBytes("x,Y\n")];

        var result = await ImportBytesAsync(app, org, bytes);

        Assert.True(result.Rejected);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "first_name"), (error.Line, error.Column));
        Assert.StartsWith("has bytes at character 1 that are not valid in the file's encoding", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountPatientsAsync(app, org));
    }

    private static Task<ImportResult> ImportBytesAsync(RapportApp app, TestOrganization org, byte[] bytes, ImportOptions? options = null) =>
        app.InOrganizationAsync(org.Id, services => services.GetRequiredService<CsvImporter>()
            .ImportStreamAsync(ImportKind.Patients, new MemoryStream(bytes), "patients.csv", options ?? new ImportOptions(), null, TestContext.Current.CancellationToken));

    private static Task<int> CountPatientsAsync(RapportApp app, TestOrganization org) =>
        app.InOrganizationAsync(org.Id, services => services.GetRequiredService<RapportDbContext>().Patients.CountAsync(TestContext.Current.CancellationToken));
}
