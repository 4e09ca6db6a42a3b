using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Imports;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Imports;

/// <summary>Issue 13, item 2: XLSX files, their own headers mapped onto Rapport's columns, referrals that carry their patient, and undo.</summary>
public sealed class ImportMappingTests
{
    private static readonly string House = Formats.NpiWithCheckDigit("123456789");

    /// <summary>An EMR export's headers, as WebPT-like reports name them.</summary>
    private static readonly string[] ForeignHeaders =
        ["Referral ID", "Referring NPI", "MRN", "Patient First Name", "Patient Last Name", "DOB", "Date Received", "Payer Type", "Insurance", "Notes"];

    internal static byte[] Workbook(string[] headers, params object?[][] rows)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("Referrals");
        for (var c = 0; c < headers.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = headers[c];
        }
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                var cell = sheet.Cell(r + 2, c + 1);
                switch (rows[r][c])
                {
                    case DateTime date: cell.Value = date; break;
                    case double number: cell.Value = number; break;
                    case string text: cell.Value = text; break;
                }
            }
        }
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task Foreign_headers_are_guessed_from_the_names_emr_exports_use()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        IReadOnlyList<ImportColumn> Columns(ImportKind kind) => app.InOrganizationAsync(org.Id, sp => Task.FromResult(sp.GetRequiredService<ImportRuns>().ColumnsOf(kind))).Result;
        var guess = ImportColumnGuess.Guess(ImportKind.Referrals, Columns(ImportKind.Referrals),
            [.. ForeignHeaders, "Referral Date", "Date of Birth", "Referring Provider"]);

        Assert.Equal("external_id", guess["Referral ID"]);
        Assert.Equal("source_npi", guess["Referring NPI"]);
        Assert.Equal("patient_external_id", guess["MRN"]);
        Assert.Equal("patient_first_name", guess["Patient First Name"]);
        Assert.Equal("patient_birth_date", guess["DOB"]);
        Assert.Equal("received_date", guess["Date Received"]);
        Assert.Equal("payer_category", guess["Payer Type"]);
        Assert.Equal("patient_payer", guess["Insurance"]);
        // Each column takes one of the file's columns: the second date received and birth date, and a
        // provider's name where the NPI is already mapped, are left for the person to decide.
        Assert.Equal("", guess["Referral Date"]);
        Assert.Equal("", guess["Date of Birth"]);
        Assert.Equal("", guess["Referring Provider"]);
        Assert.Equal("", guess["Notes"]);
        var patients = ImportColumnGuess.Guess(ImportKind.Patients, Columns(ImportKind.Patients), ["Patient ID", "Date of Birth", "Gender", "Primary Insurance"]);
        Assert.Equal(["external_id", "birth_date", "sex", "payer"], patients.Values);
    }

    private static Task<IReadOnlyList<ImportColumn>> ColumnsAsync(RapportApp app, TestOrganization org, ImportKind kind) =>
        app.InOrganizationAsync(org.Id, sp => Task.FromResult(sp.GetRequiredService<ImportRuns>().ColumnsOf(kind)));

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task An_xlsx_with_foreign_headers_imports_through_its_mapping_with_errors_on_spreadsheet_rows(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "House", Npi = House }));
        var mapping = ImportColumnGuess.Guess(ImportKind.Referrals, await ColumnsAsync(app, org, ImportKind.Referrals), ForeignHeaders);
        var bad = Workbook(ForeignHeaders,
            ["R-1", double.Parse(House, System.Globalization.CultureInfo.InvariantCulture), "MRN-1", "Ada", "Lovelace", new DateTime(1958, 12, 10), new DateTime(2026, 3, 4), "Medicare", "Aetna", "call back"],
            ["R-2", House, "MRN-2", "Alan", "Turing", "1912-06-23", "next week", "Commercial", "Cigna", ""]);

        var rejected = await ImportAsync(app, org, bad, mapping);

        Assert.True(rejected.Rejected);
        var error = Assert.Single(rejected.Errors);
        // Row 3 of the worksheet, under the file's own header.
        Assert.Equal("referrals.xlsx:3: Date Received: 'next week' is not a date (use yyyy-MM-dd or MM/dd/yyyy).", error.Format("referrals.xlsx"));
        Assert.Equal(0, await CountAsync(app, org, db => db.Referrals.CountAsync()));

        var good = Workbook(ForeignHeaders,
            ["R-1", double.Parse(House, System.Globalization.CultureInfo.InvariantCulture), "MRN-1", "Ada", "Lovelace", new DateTime(1958, 12, 10), new DateTime(2026, 3, 4), "Medicare", "Aetna", "call back"],
            ["R-2", House, "MRN-2", "Alan", "Turing", "1912-06-23", "2026-03-05", "Commercial", "Cigna", ""]);
        var imported = await ImportAsync(app, org, good, mapping);

        Assert.Empty(imported.Errors);
        Assert.Equal((2, 2), (imported.Added, imported.PatientsAdded));
        var referrals = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Referrals.Include(r => r.Patient).OrderBy(r => r.ExternalId).ToListAsync());
        Assert.Equal(["R-1", "R-2"], referrals.Select(r => r.ExternalId));
        Assert.Equal(new DateOnly(2026, 3, 4), referrals[0].ReceivedOn);
        Assert.Equal(PayerCategory.Medicare, referrals[0].PayerCategory);
        Assert.Equal(("MRN-1", new DateOnly(1958, 12, 10), "Aetna"), (referrals[0].Patient!.ExternalId, referrals[0].Patient!.BirthDate, referrals[0].Patient!.Payer));

        // Without the mapping the same workbook is refused as before: its headers are not Rapport's.
        var unmapped = await ImportAsync(app, org, good, null);
        Assert.True(unmapped.Rejected);
        Assert.Contains(unmapped.Errors, e => e.Column == "header" && e.Message.Contains("'Referral ID'", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_referrals_file_with_patient_columns_matches_patients_by_id_then_name_and_birth_date_and_creates_the_rest(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var (ada, alan) = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var patients = sp.GetRequiredService<PatientService>();
            var a = await patients.CreateAsync(new PatientInput { ExternalId = "MRN-1", FirstName = "Ada", LastName = "Lovelace", BirthDate = new DateOnly(1958, 12, 10) });
            var b = await patients.CreateAsync(new PatientInput { ExternalId = "MRN-2", FirstName = "Alan", LastName = "Turing", BirthDate = new DateOnly(1912, 6, 23) });
            return (a.Id, b.Id);
        });
        var csv = """
            external_id,source_npi,patient_external_id,patient_first_name,patient_last_name,patient_birth_date,patient_email,received_date
            R1,,MRN-1,Someone,Else,,,2026-03-01
            R2,,,alan,TURING,1912-06-23,,2026-03-02
            R3,,MRN-9,Grace,Hopper,1906-12-09,grace@example.com,2026-03-03
            R4,,,Edsger,Dijkstra,1930-05-11,,2026-03-04
            R5,,,Edsger,Dijkstra,05/11/1930,,2026-03-05
            R6,,MRN-9,Grace,Hopper,1906-12-09,,2026-03-06
            """;

        var result = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>()
            .ImportAsync(ImportKind.Referrals, new StringReader(csv), "referrals.csv", new ImportOptions()));

        Assert.Empty(result.Errors);
        Assert.Equal((6, 2), (result.Added, result.PatientsAdded));
        var byReferral = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Referrals.Include(r => r.Patient)
            .OrderBy(r => r.ExternalId).Select(r => new { Referral = r.ExternalId, r.PatientId, r.Patient!.ExternalId, r.Patient.Email }).ToListAsync());
        Assert.Equal(ada, byReferral[0].PatientId); // by external id, whatever the name says
        Assert.Equal(alan, byReferral[1].PatientId); // by name and birth date, ignoring case
        Assert.Equal(("MRN-9", "grace@example.com"), (byReferral[2].ExternalId, byReferral[2].Email));
        Assert.Equal(byReferral[2].PatientId, byReferral[5].PatientId);
        Assert.Equal(ReferralImport.GeneratedExternalId("Dijkstra", "Edsger", new DateOnly(1930, 5, 11)), byReferral[3].ExternalId);
        Assert.StartsWith("AUTO-", byReferral[3].ExternalId, StringComparison.Ordinal);
        Assert.Equal(byReferral[3].PatientId, byReferral[4].PatientId);
        Assert.Equal(4, await CountAsync(app, org, db => db.Patients.CountAsync()));

        // The same file again finds every patient it created: nothing new.
        var again = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>()
            .ImportAsync(ImportKind.Referrals, new StringReader(csv), "referrals.csv", new ImportOptions()));
        Assert.Equal((0, 0, 6), (again.Added, again.PatientsAdded, again.Unchanged));

        // A patient without id needs a birth date; a bad patient field is a problem of its row.
        var refused = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>().ImportAsync(ImportKind.Referrals, new StringReader("""
            external_id,source_npi,patient_external_id,patient_first_name,patient_last_name,patient_birth_date,patient_email,received_date
            R7,,,Barbara,Liskov,,,2026-03-07
            R8,,MRN-10,Barbara,,1939-11-07,not-an-email,2026-03-07
            """), "more.csv", new ImportOptions()));
        Assert.Equal(["2 patient_external_id", "3 patient_last_name", "3 patient_email"], refused.Errors.Select(e => $"{e.Line} {e.Column}"));
        Assert.Equal(4, await CountAsync(app, org, db => db.Patients.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Patient_phone_and_email_come_in_through_both_files_and_a_file_without_them_keeps_them(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        Task<ImportResult> Import(ImportKind kind, string csv) => app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>()
            .ImportAsync(kind, new StringReader(csv), "file.csv", new ImportOptions()));

        var patients = await Import(ImportKind.Patients, """
            external_id,first_name,last_name,email,phone
            MRN-1,Ada,Lovelace,ada@example.com,609.555.0147
            """);
        var referrals = await Import(ImportKind.Referrals, """
            external_id,source_npi,patient_external_id,patient_first_name,patient_last_name,patient_phone,received_date
            R1,,MRN-2,Grace,Hopper,+1 609 555 0199,2026-03-03
            """);
        // A later patients file from another system has neither column: what the practice has stays.
        var later = await Import(ImportKind.Patients, """
            external_id,first_name,last_name,payer
            MRN-1,Ada,Lovelace,Aetna PPO
            """);
        var badPhone = await Import(ImportKind.Patients, """
            external_id,first_name,last_name,phone
            MRN-3,Alan,Turing,555-01
            """);

        Assert.Equal("", string.Join("; ", patients.Errors.Concat(referrals.Errors).Select(e => $"{e.Line} {e.Column}: {e.Message}")));
        Assert.Equal((0, 1), (later.Added, later.Updated));
        var stored = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Patients
            .OrderBy(p => p.ExternalId).Select(p => new { p.ExternalId, p.Email, p.Phone, p.Payer }).ToListAsync());
        Assert.Equal(("MRN-1", "ada@example.com", "(609) 555-0147", "Aetna PPO"), (stored[0].ExternalId, stored[0].Email, stored[0].Phone, stored[0].Payer));
        Assert.Equal(("MRN-2", "(609) 555-0199"), (stored[1].ExternalId, stored[1].Phone));
        Assert.Equal(["2 phone"], badPhone.Errors.Select(e => $"{e.Line} {e.Column}"));
        Assert.Equal(2, stored.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Every_old_refusal_still_happens_with_patient_columns_and_mappings_about(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");

        // Neither the patient's id nor their name: the column is required, as before.
        var noPatient = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>().ImportAsync(ImportKind.Referrals,
            new StringReader("external_id,source_npi,received_date\nR1,,2026-03-01\n"), "r.csv", new ImportOptions()));
        Assert.Equal("r.csv:1: patient_external_id: This column is required in the header.", Assert.Single(noPatient.Errors).Format("r.csv"));

        // An unknown patient id without patient columns: import patients first, as before.
        var unknown = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>().ImportAsync(ImportKind.Referrals,
            new StringReader("external_id,source_npi,patient_external_id,received_date\nR1,,MRN-404,2026-03-01\n"), "r.csv", new ImportOptions()));
        Assert.Contains("import patients first", Assert.Single(unknown.Errors).Message, StringComparison.Ordinal);

        // A mapping renames only what it names: other unknown headers are still refused; ignoring is explicit.
        var mapping = new Dictionary<string, string> { ["Patient ID"] = "external_id", ["Given"] = "first_name", ["Family"] = "last_name" };
        var strange = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>().ImportAsync(ImportKind.Patients,
            new StringReader("Patient ID,Given,Family,Shoe size\nP1,Ada,Lovelace,38\n"), "p.csv", new ImportOptions { Mapping = mapping }));
        Assert.Contains("'Shoe size'", Assert.Single(strange.Errors).Message, StringComparison.Ordinal);
        var ignored = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>().ImportAsync(ImportKind.Patients,
            new StringReader("Patient ID,Given,Family,Shoe size\nP1,Ada,Lovelace,38\n"), "p.csv", new ImportOptions { Mapping = new Dictionary<string, string>(mapping) { ["Shoe size"] = "" } }));
        Assert.Equal(1, ignored.Added);
        // Two of the file's columns mapped onto one is the old "appears more than once".
        var twice = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>().ImportAsync(ImportKind.Patients,
            new StringReader("Patient ID,Given,Family,Surname\nP2,Alan,Turing,Turing\n"), "p.csv", new ImportOptions { Mapping = new Dictionary<string, string>(mapping) { ["Surname"] = "last_name" } }));
        Assert.Equal("p.csv:1: Family: The column appears more than once in the header.", Assert.Single(twice.Errors).Format("p.csv"));
        // A damaged workbook is refused with a reason, not an exception.
        var damaged = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>().ImportStreamAsync(ImportKind.Patients,
            new MemoryStream([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), "p.xlsx", new ImportOptions()));
        Assert.Equal("file", Assert.Single(damaged.Errors).Column);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Undo_restores_the_counts_and_values_exactly_and_is_refused_after_an_edit(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var source = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "House", Npi = House }));
        var existing = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<PatientService>()
            .CreateAsync(new PatientInput { ExternalId = "MRN-1", FirstName = "Ada", LastName = "Lovelace", Payer = "Aetna" }));
        var counts = () => app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            return (Patients: await db.Patients.CountAsync(), Referrals: await db.Referrals.CountAsync());
        });
        var before = await counts();

        // Changes Ada's payer (an update) and adds two patients, one of them with two referrals.
        var patients = await ImportNowAsync(app, org, ImportKind.Patients, "external_id,first_name,last_name,payer\nMRN-1,Ada,Lovelace,Cigna\nMRN-2,Alan,Turing,\n");
        var referrals = await ImportNowAsync(app, org, ImportKind.Referrals, $"""
            external_id,source_npi,patient_external_id,patient_first_name,patient_last_name,patient_birth_date,received_date
            R1,{House},MRN-2,,,,2026-03-01
            R2,{House},,Grace,Hopper,1906-12-09,2026-03-02
            R3,,,Grace,Hopper,1906-12-09,2026-03-03
            """);
        Assert.Equal((1, 1, 3, 1), (patients.Result.Updated, patients.Result.Added, referrals.Result.Added, referrals.Result.PatientsAdded));
        Assert.Equal((before.Patients + 2, before.Referrals + 3), await counts());

        // The patients import cannot go first: a referral added since refers to Alan.
        var refused = await Assert.ThrowsAsync<ValidationException>(() => UndoAsync(app, org, patients.RunId!.Value));
        Assert.Contains("Referral row(s) added since refer to Patient rows it added", refused.Message, StringComparison.Ordinal);

        // An edit to a row an import added: its undo is refused, and nothing is undone.
        var r2 = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Referrals.AsNoTracking().SingleAsync(r => r.ExternalId == "R2"));
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ReferralService>().UpdateAsync(r2.Id, new ReferralInput
        {
            ExternalId = "R2", PatientId = r2.PatientId, SourceId = r2.SourceId, ClinicId = r2.ClinicId, ReceivedOn = r2.ReceivedOn, ScheduledOn = new DateOnly(2026, 3, 4),
        }));
        var edited = await Assert.ThrowsAsync<ValidationException>(() => UndoAsync(app, org, referrals.RunId!.Value));
        Assert.Contains("Referral R2 was changed since (ScheduledOn, Status)", edited.Message, StringComparison.Ordinal);
        Assert.Equal((before.Patients + 2, before.Referrals + 3), await counts());

        // Put back as the import left it, the referrals import undoes, then the patients import.
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ReferralService>().UpdateAsync(r2.Id, new ReferralInput
        {
            ExternalId = "R2", PatientId = r2.PatientId, SourceId = r2.SourceId, ClinicId = r2.ClinicId, ReceivedOn = r2.ReceivedOn,
        }));
        await UndoAsync(app, org, referrals.RunId!.Value);
        Assert.Equal((before.Patients + 1, before.Referrals), await counts());
        await UndoAsync(app, org, patients.RunId!.Value);
        Assert.Equal(before, await counts());
        var ada = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Patients.AsNoTracking().SingleAsync(p => p.Id == existing.Id));
        Assert.Equal("Aetna", ada.Payer);
        var history = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ImportRuns>().HistoryAsync());
        Assert.All(history, r => Assert.Equal(ImportRunStatus.Undone, r.Status));
        var twice = await Assert.ThrowsAsync<ValidationException>(() => UndoAsync(app, org, patients.RunId!.Value));
        Assert.Contains("already undone", twice.Message, StringComparison.Ordinal);
        Assert.Equal(source.Id, (await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Sources.SingleAsync())).Id);
    }

    private static Task<ImportResult> ImportAsync(RapportApp app, TestOrganization org, byte[] xlsx, IReadOnlyDictionary<string, string>? mapping) =>
        app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>()
            .ImportStreamAsync(ImportKind.Referrals, new MemoryStream(xlsx), "referrals.xlsx", new ImportOptions { Mapping = mapping }));

    private static Task<(ImportResult Result, int? RunId)> ImportNowAsync(RapportApp app, TestOrganization org, ImportKind kind, string csv) =>
        app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ImportRuns>()
            .ImportNowAsync(kind, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), $"{kind}.csv".ToLowerInvariant(), new ImportOptions(), null));

    private static Task<string> UndoAsync(RapportApp app, TestOrganization org, int id) =>
        app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ImportRuns>().UndoAsync(id));

    private static Task<int> CountAsync(RapportApp app, TestOrganization org, Func<RapportDbContext, Task<int>> count) =>
        app.InOrganizationAsync(org.Id, sp => count(sp.GetRequiredService<RapportDbContext>()));
}
