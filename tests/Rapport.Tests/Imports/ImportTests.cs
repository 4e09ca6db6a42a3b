using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Imports;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Imports;

public sealed class ImportTests
{
    private static readonly string House = Formats.NpiWithCheckDigit("123456789");
    private static readonly string Wilson = Formats.NpiWithCheckDigit("987654321");

    private static string BadCheckDigit(string npi) => npi[..9] + (char)('0' + (npi[9] - '0' + 1) % 10);

    private static string Sources => $"""
        npi,first_name,last_name,credential,taxonomy_code,city,state,zip,phone,status,touch_cadence_days
        {House},Gregory,House,MD,207X00000X,Princeton,NJ,08540,609-555-0100,Active,30
        {Wilson},James,Wilson,MD,,Princeton,nj,08540,,prospect,
        """;

    private const string Patients = """
        external_id,first_name,last_name,birth_date,sex,zip,payer,acquisition_channel
        P1,Ada,Lovelace,1958-12-10,F,08540,Aetna,Physician
        P2,Alan,Turing,06/23/1912,male,08540,Medicare,
        P3,Grace,Hopper,1906-12-09,F,,,web search
        """;

    private static string Referrals => $"""
        external_id,source_npi,patient_external_id,clinic,therapist,received_date,scheduled_date,evaluated_date,discharged_date,lost_date,lost_reason,acquisition_channel,diagnosis,body_region,procedure,payer_category,visits
        R1,{House},P1,,J. Doe,2024-03-04,2024-03-06,2024-03-11,,,,,M17.11; Z96.651,Knee,Total knee arthroplasty,Medicare,6
        R2,{Wilson},P2,,J. Doe,03/05/2024,,03/12/2024,05/02/2024,,,,M54.5,Lumbar spine,,workers comp,12
        R3,,P3,,,2024-04-01,,,,2024-04-03,No answer,,,,,self pay,
        """;

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_good_file_imports_with_values_and_derived_status(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Princeton PT");

        var sources = await ImportAsync(app, org, ImportKind.Sources, Sources);
        var patients = await ImportAsync(app, org, ImportKind.Patients, Patients);
        var referrals = await ImportAsync(app, org, ImportKind.Referrals, Referrals);

        Assert.Empty(referrals.Errors);
        Assert.Equal((2, 3, 3), (sources.Added, patients.Added, referrals.Added));
        Assert.True(referrals.Written);
        var stored = await QueryAsync(app, org, db => db.Referrals.Include(r => r.Source).Include(r => r.Patient).OrderBy(r => r.ExternalId).ToListAsync());
        Assert.Equal(["R1", "R2", "R3"], stored.Select(r => r.ExternalId));
        Assert.Equal([ReferralStatus.Evaluated, ReferralStatus.Discharged, ReferralStatus.Lost], stored.Select(r => r.Status));
        Assert.Equal(House, stored[0].Source!.Npi);
        Assert.Equal("M17.11,Z96.651", stored[0].DiagnosisCodes);
        Assert.Equal(org.ClinicId, stored[0].ClinicId);
        Assert.Equal(new DateOnly(2024, 3, 5), stored[1].ReceivedOn);
        Assert.Equal(new DateOnly(2024, 5, 2), stored[1].DischargedOn);
        Assert.Equal(PayerCategory.WorkersComp, stored[1].PayerCategory);
        Assert.Equal(12, stored[1].VisitCount);
        Assert.Null(stored[2].SourceId);
        Assert.Equal(AcquisitionChannel.DirectAccess, stored[2].AcquisitionChannel);
        Assert.Equal(PayerCategory.SelfPay, stored[2].PayerCategory);
        Assert.Equal("P3", stored[2].Patient!.ExternalId);

        var turing = await QueryAsync(app, org, db => db.Patients.SingleAsync(p => p.ExternalId == "P2"));
        Assert.Equal((new DateOnly(1912, 6, 23), "M"), (turing.BirthDate, turing.Sex));
        var wilson = await QueryAsync(app, org, db => db.Sources.SingleAsync(s => s.Npi == Wilson));
        Assert.Equal((SourceStatus.Prospect, "NJ"), (wilson.Status, wilson.State));
        var audit = await QueryAsync(app, org, db => db.AuditEvents.Where(a => a.Action == "Import").CountAsync());
        Assert.Equal(3, audit);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Importing_the_same_files_again_changes_nothing(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Princeton PT");
        await ImportAllAsync(app, org);
        var before = await QueryAsync(app, org, db => db.Referrals.AsNoTracking().OrderBy(r => r.ExternalId).Select(r => new { r.Id, r.UpdatedAt }).ToListAsync());
        var auditsBefore = await QueryAsync(app, org, db => db.AuditEvents.CountAsync(a => a.Action != "Import"));

        var sources = await ImportAsync(app, org, ImportKind.Sources, Sources);
        var patients = await ImportAsync(app, org, ImportKind.Patients, Patients);
        var referrals = await ImportAsync(app, org, ImportKind.Referrals, Referrals);

        Assert.Equal((0, 0, 2), (sources.Added, sources.Updated, sources.Unchanged));
        Assert.Equal((0, 0, 3), (patients.Added, patients.Updated, patients.Unchanged));
        Assert.Equal((0, 0, 3), (referrals.Added, referrals.Updated, referrals.Unchanged));
        Assert.Contains("0 added, 0 updated, 3 unchanged, 0 skipped", referrals.Summary, StringComparison.Ordinal);
        var after = await QueryAsync(app, org, db => db.Referrals.AsNoTracking().OrderBy(r => r.ExternalId).Select(r => new { r.Id, r.UpdatedAt }).ToListAsync());
        Assert.Equal(before, after);
        Assert.Equal(auditsBefore, await QueryAsync(app, org, db => db.AuditEvents.CountAsync(a => a.Action != "Import")));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_changed_row_in_a_reimport_updates_that_row_only(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Princeton PT");
        await ImportAllAsync(app, org);
        var stampsBefore = await QueryAsync(app, org, db => db.Referrals.OrderBy(r => r.ExternalId).Select(r => r.UpdatedAt).ToListAsync());

        // R1 is now discharged; the file leaves out most columns, which keeps their stored values.
        var result = await ImportAsync(app, org, ImportKind.Referrals, $"""
            external_id,source_npi,patient_external_id,received_date,evaluated_date,discharged_date,visits
            R1,{House},P1,2024-03-04,2024-03-11,2024-04-20,14
            R2,{Wilson},P2,2024-03-05,2024-03-12,2024-05-02,12
            """);

        Assert.Equal((0, 1, 1), (result.Added, result.Updated, result.Unchanged));
        var r1 = await QueryAsync(app, org, db => db.Referrals.SingleAsync(r => r.ExternalId == "R1"));
        Assert.Equal((ReferralStatus.Discharged, 14, "J. Doe", "Knee"), (r1.Status, r1.VisitCount, r1.Therapist, r1.BodyRegion));
        Assert.Equal(new DateOnly(2024, 4, 20), r1.DischargedOn);
        var stampsAfter = await QueryAsync(app, org, db => db.Referrals.OrderBy(r => r.ExternalId).Select(r => r.UpdatedAt).ToListAsync());
        Assert.True(stampsAfter[0] > stampsBefore[0], "R1's UpdatedAt moves");
        Assert.Equal(stampsBefore[1..], stampsAfter[1..]);
        Assert.Equal(1, await QueryAsync(app, org, db => db.AuditEvents.CountAsync(a => a.Action == "Modified" && a.EntityType == "Referral")));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_file_with_bad_rows_writes_nothing_and_names_every_bad_line_and_column(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Princeton PT");
        await ImportAllAsync(app, org);
        var future = TestClock.Today.AddDays(30).ToString("yyyy-MM-dd");

        var result = await ImportAsync(app, org, ImportKind.Referrals, $"""
            external_id,source_npi,patient_external_id,received_date,evaluated_date
            R10,{House},P1,2024-06-01,
            R11,{BadCheckDigit(House)},P2,2024-06-02,
            R12,{Wilson},P3,2024-06-03,
            R13,{House},P1,{future},
            R14,{House},NOPE,2024-06-05,2024-06-01
            R10,{House},P2,2024-06-06,
            R15,{House},P2,yesterday,
            """);

        Assert.True(result.Rejected);
        Assert.False(result.Written);
        Assert.Equal(5, result.InvalidRows);
        var lines = result.Errors.Select(e => e.Format("referrals.csv")).ToList();
        Assert.Collection(lines,
            l => Assert.StartsWith("referrals.csv:3: source_npi: No referral source has NPI", l, StringComparison.Ordinal),
            l => Assert.StartsWith("referrals.csv:5: received_date: Received date cannot be in the future", l, StringComparison.Ordinal),
            l => Assert.StartsWith("referrals.csv:6: patient_external_id: No patient has id 'NOPE'", l, StringComparison.Ordinal),
            l => Assert.StartsWith("referrals.csv:6: evaluated_date: Evaluation date (2024-06-01) cannot be before the received date", l, StringComparison.Ordinal),
            l => Assert.StartsWith("referrals.csv:7: external_id: Referral id 'R10' already appears on line 2", l, StringComparison.Ordinal),
            l => Assert.Equal("referrals.csv:8: received_date: 'yesterday' is not a date (use yyyy-MM-dd or MM/dd/yyyy).", l));
        Assert.Equal(3, await QueryAsync(app, org, db => db.Referrals.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Skip_invalid_imports_the_good_rows_and_reports_the_skipped_ones(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Princeton PT");

        var result = await ImportAsync(app, org, ImportKind.Sources, $"""
            npi,last_name,email
            {House},House,house@ppth.example
            {BadCheckDigit(Wilson)},Wilson,
            {Wilson},,
            {Formats.NpiWithCheckDigit("111111111")},Cuddy,not-an-email
            {Formats.NpiWithCheckDigit("222222222")},Foreman,
            """, new ImportOptions { SkipInvalid = true });

        Assert.Equal((2, 3, 3), (result.Added, result.Skipped, result.Errors.Count));
        Assert.True(result.Written);
        Assert.Equal(["sources.csv:3: npi", "sources.csv:4: last_name", "sources.csv:5: email"],
            result.Errors.Select(e => $"sources.csv:{e.Line}: {e.Column}"));
        var names = await QueryAsync(app, org, db => db.Sources.OrderBy(s => s.LastName).Select(s => s.LastName).ToListAsync());
        Assert.Equal(["Foreman", "House"], names);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Dry_run_counts_but_writes_nothing(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Princeton PT");

        var result = await ImportAsync(app, org, ImportKind.Sources, Sources, new ImportOptions { DryRun = true });

        Assert.Equal((2, false), (result.Added, result.Written));
        Assert.Equal(0, await QueryAsync(app, org, db => db.Sources.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Touchpoints_without_external_id_are_matched_on_what_they_were_and_lines_count_multi_line_notes(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Princeton PT");
        await ImportAsync(app, org, ImportKind.Sources, Sources);
        var file = $"""
            source_npi,date,method,purpose,notes,by
            {House},2024-04-18,in person,Outcome report,"Brought the report card.
            Asked about hips.",Maria
            {Wilson},04/19/2024,Phone,Intro,,Maria
            """;

        var first = await ImportAsync(app, org, ImportKind.Touchpoints, file);
        var again = await ImportAsync(app, org, ImportKind.Touchpoints, file);
        var bad = await ImportAsync(app, org, ImportKind.Touchpoints, file + "\n" + $"{House},2024-04-20,carrier pigeon,,,\n");

        Assert.Equal((2, 0), (first.Added, first.Errors.Count));
        Assert.Equal((0, 0, 2), (again.Added, again.Updated, again.Unchanged));
        var error = Assert.Single(bad.Errors);
        Assert.Equal((5, "method"), (error.Line, error.Column));
        var touch = await QueryAsync(app, org, db => db.Touchpoints.SingleAsync(t => t.Method == TouchMethod.InPerson));
        Assert.Equal("Maria", touch.ByName);
        Assert.Contains("Asked about hips.", touch.Notes, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Unknown_or_missing_header_columns_reject_the_file(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Princeton PT");

        var result = await ImportAsync(app, org, ImportKind.Patients, """
            External ID,First Name,surname
            P1,Ada,Lovelace
            """, new ImportOptions { SkipInvalid = true });

        Assert.True(result.Rejected);
        Assert.Equal(["1 header", "1 last_name"], result.Errors.Select(e => $"{e.Line} {e.Column}"));
        Assert.Contains("'surname'", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Imports_stay_inside_the_current_organization(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var princeton = await app.CreateOrganizationAsync("Princeton PT");
        var other = await app.CreateOrganizationAsync("Other PT");
        await ImportAllAsync(app, princeton);

        // The other practice cannot refer to Princeton's patients, and its own P1 is a new patient.
        var referrals = await ImportAsync(app, other, ImportKind.Referrals, Referrals);
        var patients = await ImportAsync(app, other, ImportKind.Patients, Patients);

        Assert.True(referrals.Rejected);
        Assert.Contains(referrals.Errors, e => e.Column == "patient_external_id");
        Assert.Equal(3, patients.Added);
        Assert.Equal(3, await QueryAsync(app, princeton, db => db.Patients.CountAsync()));
    }

    private static async Task ImportAllAsync(RapportApp app, TestOrganization org)
    {
        foreach (var (kind, csv) in new[] { (ImportKind.Sources, Sources), (ImportKind.Patients, Patients), (ImportKind.Referrals, Referrals) })
        {
            var result = await ImportAsync(app, org, kind, csv);
            Assert.Empty(result.Errors);
        }
    }

    private static Task<ImportResult> ImportAsync(RapportApp app, TestOrganization org, ImportKind kind, string csv, ImportOptions? options = null) =>
        app.InOrganizationAsync(org.Id, services => services.GetRequiredService<CsvImporter>()
            .ImportAsync(kind, new StringReader(csv), $"{kind.ToString().ToLowerInvariant()}.csv", options ?? new ImportOptions(), null, TestContext.Current.CancellationToken));

    private static Task<T> QueryAsync<T>(RapportApp app, TestOrganization org, Func<RapportDbContext, Task<T>> query) =>
        app.InOrganizationAsync(org.Id, services => query(services.GetRequiredService<RapportDbContext>()));
}
