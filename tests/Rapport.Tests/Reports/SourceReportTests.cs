using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Reports;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Rapport.Tests.Reports;

/// <summary>
/// The referral source report against a history built here and worked out by hand (today is 17 June 2026,
/// <see cref="TestClock"/>). May 2026 is compared with April 2026 and May 2025:
/// <list type="table">
/// <item>Ann Adams: May 4 (2 evaluated — 10 Medicare visits, 6 Commercial — 1 lost, 1 pending), April 2, May 2025 5.</item>
/// <item>Ben Brown: May 1 (evaluated, 8 workers' comp visits, at the second clinic), April 3, May 2025 none.</item>
/// <item>Cara Chase: May 2 (17th and 18th, pending); June 10th, 17 June 2025 and 18 June 2025 for the month so far.</item>
/// <item>Direct access by Google/search: May 2 (1 evaluated with 3 Medicare visits, 1 pending self-pay), April none, May 2025 1.</item>
/// </list>
/// Revenue per visit: Medicare $100, Commercial $120.50; workers' comp and self-pay have no rate.
/// </summary>
public sealed class SourceReportTests
{
    private static readonly DateOnly Today = TestClock.Today;
    private static readonly string[] WholeNumberFields = ["referrals", "previousReferrals", "change", "lastYearReferrals", "yearChange", "evaluated", "lost", "pending", "visits"];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_built_history_gives_the_hand_computed_figures_at_every_door(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(new DateOnly(2026, 6, 17), Today);
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Report PT");
        var (adams, brown, chase, secondClinic) = await SeedAsync(app, org);
        using var api = app.ApiClient(org.ApiKey);

        // Without a revenue per visit the revenue is null and the report says how to set it, never $0.
        var unpriced = await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/sources?period=2026-05", ct);
        Assert.False(unpriced.GetProperty("revenueRatesSet").GetBoolean());
        Assert.Contains("Settings → Revenue", unpriced.GetProperty("revenueNote").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, unpriced.GetProperty("totals").GetProperty("estimatedRevenue").ValueKind);
        using (var admin = await app.SignedInClientAsync(org.AdminEmail))
        {
            var html = await admin.GetStringAsync("/Reports/Sources?period=2026-05", ct);
            Assert.Contains("href=\"/Settings/Revenue\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("$0", html, StringComparison.Ordinal);
        }
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            await sp.GetRequiredService<RevenueRates>().SaveAsync(new Dictionary<PayerCategory, decimal?>
            {
                [PayerCategory.Medicare] = 100m, [PayerCategory.Commercial] = 120.50m,
            }, ct);
            return 0;
        });

        var report = await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/sources?period=2026-05", ct);
        Assert.Equal("2026-05", report.GetProperty("period").GetString());
        Assert.False(report.GetProperty("partial").GetBoolean());
        AssertWindow(report.GetProperty("current"), "2026-05-01", "2026-05-31");
        AssertWindow(report.GetProperty("previous"), "2026-04-01", "2026-04-30");
        AssertWindow(report.GetProperty("lastYear"), "2025-05-01", "2025-05-31");
        Assert.Equal("-referrals", report.GetProperty("sort").GetString());
        var rows = report.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["Ann Adams, MD", "Cara Chase, DO", "Direct access: Google/search", "Ben Brown, MD"], rows.Select(r => r.GetProperty("name").GetString()));

        var a = rows[0];
        AssertRow(a, referrals: 4, previous: 2, change: 2, changePercent: 100.0, lastYear: 5, yearChange: -1, yearChangePercent: -20.0,
            evaluated: 2, lost: 1, pending: 1, conversion: 66.7, visits: 16, revenue: 1723.00m, unpricedVisits: 0);
        Assert.Equal(adams, a.GetProperty("sourceId").GetInt32());
        Assert.False(a.GetProperty("directAccess").GetBoolean());
        AssertRow(rows[1], referrals: 2, previous: 0, change: 2, changePercent: null, lastYear: 0, yearChange: 2, yearChangePercent: null,
            evaluated: 0, lost: 0, pending: 2, conversion: null, visits: 0, revenue: 0m, unpricedVisits: 0);
        var direct = rows[2];
        Assert.True(direct.GetProperty("directAccess").GetBoolean());
        Assert.Equal("WebSearch", direct.GetProperty("channel").GetString());
        Assert.Equal(JsonValueKind.Null, direct.GetProperty("sourceId").ValueKind);
        AssertRow(direct, referrals: 2, previous: 0, change: 2, changePercent: null, lastYear: 1, yearChange: 1, yearChangePercent: 100.0,
            evaluated: 1, lost: 0, pending: 1, conversion: 100.0, visits: 3, revenue: 300m, unpricedVisits: 0);
        AssertRow(rows[3], referrals: 1, previous: 3, change: -2, changePercent: -66.7, lastYear: 0, yearChange: 1, yearChangePercent: null,
            evaluated: 1, lost: 0, pending: 0, conversion: 100.0, visits: 8, revenue: 0m, unpricedVisits: 8);
        var totals = report.GetProperty("totals");
        AssertRow(totals, referrals: 9, previous: 5, change: 4, changePercent: 80.0, lastYear: 6, yearChange: 3, yearChangePercent: 50.0,
            evaluated: 4, lost: 1, pending: 4, conversion: 80.0, visits: 27, revenue: 2023.00m, unpricedVisits: 8);

        // Sorting by any column, a row without a value last either way; the name ascending.
        Assert.Equal([adams, brown], SourceIds(await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/sources?period=2026-05&sort=-changePercent", ct)).Take(2));
        Assert.Equal([brown, adams], SourceIds(await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/sources?period=2026-05&sort=changePercent", ct)).Take(2));
        Assert.Equal([adams, brown, chase, null], SourceIds(await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/sources?period=2026-05&sort=name", ct)));
        Assert.Equal([adams, null, brown, chase], SourceIds(await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/sources?period=2026-05&sort=-revenue", ct)));
        Assert.Equal([adams, brown, null, chase], SourceIds(await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/sources?period=2026-05&sort=-visits", ct)));

        // The clinic filter: Ben Brown's May referral was received at the second clinic.
        var main = await api.GetFromJsonAsync<JsonElement>($"/api/v1/reports/sources?period=2026-05&clinic={org.ClinicId}", ct);
        Assert.Equal(8, main.GetProperty("totals").GetProperty("referrals").GetInt32());
        var brownAtMain = main.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Ben Brown, MD");
        Assert.Equal(0, brownAtMain.GetProperty("referrals").GetInt32());
        Assert.Equal(3, brownAtMain.GetProperty("previousReferrals").GetInt32());
        var second = await api.GetFromJsonAsync<JsonElement>($"/api/v1/reports/sources?period=2026-05&clinic={secondClinic}", ct);
        Assert.Equal("Ben Brown, MD", Assert.Single(second.GetProperty("rows").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("Second Street", second.GetProperty("clinicName").GetString());

        // CSV, XLSX and PDF hold the API's numbers, row by row, totals last.
        var expected = rows.Append(totals).ToList();
        var csv = await api.GetStringAsync("/api/v1/reports/sources?period=2026-05&format=csv", ct);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Count + 1, lines.Length);
        Assert.StartsWith("Source,NPI,Specialty,Direct access channel,Referrals,Previous period,Change,Change %,", lines[0], StringComparison.Ordinal);
        for (var i = 0; i < expected.Count; i++)
        {
            var cells = ParseCsvLine(lines[i + 1]);
            Assert.Equal(expected[i].GetProperty("name").GetString(), cells[0]);
            Assert.Equal<string>(Figures(expected[i]), [cells[4], cells[5], cells[6], cells[8], cells[9], cells[11], cells[12], cells[13], cells[15], cells[16], cells[17]]);
            Assert.Equal(PercentText(expected[i], "conversionPercent"), cells[14]);
            Assert.Equal(PercentText(expected[i], "changePercent"), cells[7]);
        }
        var xlsx = await api.GetByteArrayAsync("/api/v1/reports/sources?period=2026-05&format=xlsx", ct);
        using (var workbook = new XLWorkbook(new MemoryStream(xlsx)))
        {
            var sheet = workbook.Worksheets.First();
            for (var i = 0; i < expected.Count; i++)
            {
                var row = sheet.Row(i + 2);
                Assert.Equal(expected[i].GetProperty("name").GetString(), row.Cell(1).GetString());
                Assert.Equal(expected[i].GetProperty("referrals").GetInt32(), row.Cell(5).GetValue<int>());
                Assert.Equal(expected[i].GetProperty("previousReferrals").GetInt32(), row.Cell(6).GetValue<int>());
                Assert.Equal(expected[i].GetProperty("lastYearReferrals").GetInt32(), row.Cell(9).GetValue<int>());
                Assert.Equal(expected[i].GetProperty("visits").GetInt32(), row.Cell(16).GetValue<int>());
                Assert.Equal(expected[i].GetProperty("estimatedRevenue").GetDecimal(), row.Cell(17).GetValue<decimal>());
                if (expected[i].GetProperty("conversionPercent").ValueKind == JsonValueKind.Number)
                {
                    Assert.Equal(expected[i].GetProperty("conversionPercent").GetDouble() / 100, row.Cell(15).GetValue<double>(), 6);
                }
                else
                {
                    Assert.True(row.Cell(15).IsEmpty());
                }
            }
        }
        var pdf = await api.GetAsync("/api/v1/reports/sources?period=2026-05&format=pdf", ct);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var pdfBytes = await pdf.Content.ReadAsByteArrayAsync(ct);
        if (Environment.GetEnvironmentVariable("RAPPORT_KEEP_PDF") is { Length: > 0 } keep)
        {
            await File.WriteAllBytesAsync(keep, pdfBytes, ct);
        }
        var text = PdfText(pdfBytes, out var pages);
        Assert.InRange(pages, 1, 2);
        Assert.Contains("Referral sources: May 2026", text, StringComparison.Ordinal);
        foreach (var row in expected)
        {
            Assert.Contains(string.Join(' ', PrintedCells(row)), text, StringComparison.Ordinal);
        }
        Assert.Contains("Total 9 5 +4 +80.0% 6 +3 +50.0% 80.0% 27 $2,023", text, StringComparison.Ordinal);

        // The CLI prints the same report: the same JSON rows, byte-for-byte the same CSV.
        var cliJson = await Infrastructure.Cli.RunAsync(app.Database, "report", "sources", "--period", "2026-05", "--format", "json");
        Assert.True(cliJson.ExitCode == 0, cliJson.Stderr);
        var fromCli = JsonDocument.Parse(cliJson.Stdout).RootElement;
        Assert.Equal(report.GetProperty("rows").GetRawText().Replace(" ", "", StringComparison.Ordinal),
            JsonSerializer.Serialize(fromCli.GetProperty("rows")).Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal(totals.GetRawText(), JsonSerializer.Serialize(fromCli.GetProperty("totals")));
        var cliCsv = await Infrastructure.Cli.RunAsync(app.Database, "report", "sources", "--period", "2026-05", "--format", "csv");
        Assert.Equal(csv.TrimStart('\uFEFF'), cliCsv.Stdout.TrimStart('\uFEFF'));
        var table = await Infrastructure.Cli.RunAsync(app.Database, "report", "sources", "--period", "2026-05", "--sort", "name");
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("Ann Adams, MD", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("$1,723", table.Stdout, StringComparison.Ordinal);
        var pdfFile = Path.Combine(Path.GetTempPath(), $"source-report-{Guid.NewGuid():N}.pdf");
        var cliPdf = await Infrastructure.Cli.RunAsync(app.Database, "report", "sources", "--period", "2026-05", "--format", "pdf", "--out", pdfFile);
        Assert.True(cliPdf.ExitCode == 0, cliPdf.Stderr);
        Assert.Contains("Total 9 5 +4 +80.0% 6 +3 +50.0% 80.0% 27 $2,023", PdfText(await File.ReadAllBytesAsync(pdfFile, ct), out _), StringComparison.Ordinal);
        File.Delete(pdfFile);

        // The page shows the same totals and links the downloads with the same choices.
        using var staff = await app.SignedInClientAsync(org.AdminEmail);
        // Decoded: Razor writes "+" as &#x2B;.
        var page = WebUtility.HtmlDecode(await staff.GetStringAsync("/Reports/Sources?period=2026-05&sort=name", ct));
        Assert.Contains("$2,023", page, StringComparison.Ordinal);
        Assert.Contains("+80.0%", page, StringComparison.Ordinal);
        var xlsxLink = System.Text.RegularExpressions.Regex.Match(page, "id=\"download-xlsx\" href=\"([^\"]+)\"").Groups[1].Value;
        Assert.Contains("format=xlsx", xlsxLink, StringComparison.Ordinal);
        Assert.Contains("period=2026-05", xlsxLink, StringComparison.Ordinal);
        Assert.Contains("sort=name", xlsxLink, StringComparison.Ordinal);
        var pageCsv = await staff.GetStringAsync("/Reports/Sources?handler=Download&format=csv&period=2026-05", ct);
        Assert.Equal(csv, pageCsv);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_month_so_far_is_compared_with_the_same_days_of_the_previous_month_and_of_last_year(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Report PT");
        var (_, _, chase, _) = await SeedAsync(app, org);
        using var api = app.ApiClient(org.ApiKey);

        var report = await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/sources?period=this-month", ct);
        Assert.Equal("2026-06", report.GetProperty("period").GetString());
        Assert.True(report.GetProperty("partial").GetBoolean());
        AssertWindow(report.GetProperty("current"), "2026-06-01", "2026-06-17");
        AssertWindow(report.GetProperty("previous"), "2026-05-01", "2026-05-17");
        AssertWindow(report.GetProperty("lastYear"), "2025-06-01", "2025-06-17");
        Assert.Contains("like for like", report.GetProperty("partialNote").GetString(), StringComparison.Ordinal);
        var c = report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("sourceId").ValueKind == JsonValueKind.Number && r.GetProperty("sourceId").GetInt32() == chase);
        // 10 June; 17 May (not the 18th); 17 June 2025 (not the 18th).
        Assert.Equal(1, c.GetProperty("referrals").GetInt32());
        Assert.Equal(1, c.GetProperty("previousReferrals").GetInt32());
        Assert.Equal(1, c.GetProperty("lastYearReferrals").GetInt32());

        using var staff = await app.SignedInClientAsync(org.AdminEmail);
        var page = await staff.GetStringAsync("/Reports/Sources?period=this-month", ct);
        Assert.Contains("id=\"partial-note\"", page, StringComparison.Ordinal);
        Assert.Contains("June 2026 (to 17 Jun)", page, StringComparison.Ordinal);

        // A custom span that runs to today is cut the same way.
        var custom = await api.GetFromJsonAsync<JsonElement>("/api/v1/reports/sources?from=2026-06-10&to=2026-06-30", ct);
        Assert.True(custom.GetProperty("partial").GetBoolean());
        AssertWindow(custom.GetProperty("current"), "2026-06-10", "2026-06-17");
        AssertWindow(custom.GetProperty("previous"), "2026-05-20", "2026-05-27");
        AssertWindow(custom.GetProperty("lastYear"), "2025-06-10", "2025-06-17");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_bad_period_date_clinic_or_sort_is_a_400_and_exit_2_naming_the_field(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Report PT");
        using var api = app.ApiClient(org.ApiKey);
        foreach (var (query, field) in new[]
        {
            ("period=2026-13", "period"), ("period=soon", "period"), ("period=2027", "period"), ("from=2026-02-30&to=2026-03-01", "from"),
            ("from=2026-01-01", "to"), ("to=2026-01-01", "from"), ("from=2026-03-01&to=2026-02-01", "to"), ("period=2026-05&from=2026-01-01&to=2026-01-31", "period"),
            ("sort=bogus", "sort"), ("clinic=999999", "clinic"), ("format=doc", "format"),
        })
        {
            using var response = await api.GetAsync($"/api/v1/reports/sources?{query}", ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query} → {(int)response.StatusCode}");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {problem}");
        }
        foreach (var (args, field) in new[]
        {
            (new[] { "--period", "2026-13" }, "period"), (["--from", "2026-01-01"], "to"), (["--from", "2026-1-1", "--to", "2026-02-01"], "from"),
            (["--sort", "bogus"], "sort"), (["--format", "pdf"], "out"), (["--clinic", "Nowhere"], "clinic"),
        })
        {
            var result = await Infrastructure.Cli.RunAsync(app.Database, ["report", "sources", .. args]);
            Assert.True(result.ExitCode == 2, $"{string.Join(' ', args)} → {result.ExitCode}: {result.Stderr}");
            Assert.Contains(result.Stderr.Split('\n'), line => line.StartsWith(field + ": ", StringComparison.Ordinal));
        }
        using var staff = await app.SignedInClientAsync(org.AdminEmail);
        var page = await staff.GetAsync("/Reports/Sources?period=2026-13", ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("is not a period", await page.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public void Periods_compare_with_the_period_before_and_the_same_period_last_year()
    {
        var today = new DateOnly(2026, 3, 31);
        var quarter = SourceReportPeriods.Parse("2025-Q4", null, null, today);
        Assert.Equal((new DateOnly(2025, 10, 1), new DateOnly(2025, 12, 31)), (quarter.Current.From, quarter.Current.Through));
        Assert.Equal((new DateOnly(2025, 7, 1), new DateOnly(2025, 9, 30)), (quarter.Previous.From, quarter.Previous.Through));
        Assert.Equal((new DateOnly(2024, 10, 1), new DateOnly(2024, 12, 31)), (quarter.LastYear.From, quarter.LastYear.Through));
        var year = SourceReportPeriods.Parse("last-year", null, null, today);
        Assert.Equal("2025", year.Text);
        Assert.Equal(new DateOnly(2024, 1, 1), year.Previous.From);
        // On 31 March the month so far is all of March: February (28 days) is compared whole, not cut past its end.
        var march = SourceReportPeriods.Parse("this-month", null, null, today);
        Assert.True(march.Partial);
        Assert.Equal((new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)), (march.Previous.From, march.Previous.Through));
        Assert.Equal((new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31)), (march.LastYear.From, march.LastYear.Through));
        // The default is the last full month, never the month so far.
        var fallback = SourceReportPeriods.Parse(null, null, null, today);
        Assert.Equal("2026-02", fallback.Text);
        Assert.False(fallback.Partial);
        var custom = SourceReportPeriods.Parse(null, "2026-01-10", "2026-01-19", today);
        Assert.Equal((new DateOnly(2025, 12, 31), new DateOnly(2026, 1, 9)), (custom.Previous.From, custom.Previous.Through));
    }

    private static async Task<(int Adams, int Brown, int Chase, int SecondClinic)> SeedAsync(RapportApp app, TestOrganization org) =>
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var sources = sp.GetRequiredService<SourceService>();
            var adams = (await sources.CreateAsync(new SourceInput { Npi = Formats.NpiWithCheckDigit("400000011"), FirstName = "Ann", LastName = "Adams", Credential = "MD", TaxonomyCode = "207X00000X" })).Id;
            var brown = (await sources.CreateAsync(new SourceInput { Npi = Formats.NpiWithCheckDigit("400000012"), FirstName = "Ben", LastName = "Brown", Credential = "MD" })).Id;
            var chase = (await sources.CreateAsync(new SourceInput { Npi = Formats.NpiWithCheckDigit("400000013"), FirstName = "Cara", LastName = "Chase", Credential = "DO" })).Id;
            var second = (await sp.GetRequiredService<OrganizationService>().SaveClinicAsync(null, new ClinicInput { Name = "Second Street" })).Id;
            var patients = sp.GetRequiredService<PatientService>();
            var referrals = sp.GetRequiredService<ReferralService>();
            var n = 0;
            async Task Add(int? source, DateOnly received, DateOnly? evaluated = null, DateOnly? lost = null, PayerCategory? payer = null, int visits = 0,
                int? clinic = null, AcquisitionChannel? channel = null)
            {
                n++;
                var patient = await patients.CreateAsync(new PatientInput { ExternalId = $"SR-{n}", FirstName = "Pat", LastName = $"Report{n}", BirthDate = new DateOnly(1960, 1, 1).AddDays(n) });
                await referrals.CreateAsync(new ReferralInput
                {
                    PatientId = patient.Id, SourceId = source, ClinicId = clinic ?? org.ClinicId, ReceivedOn = received, EvaluatedOn = evaluated, LostOn = lost,
                    LostReason = lost is null ? null : "Chose another clinic", PayerCategory = payer, VisitCount = visits, AcquisitionChannel = channel,
                });
            }
            static DateOnly D(int year, int month, int day) => new(year, month, day);

            await Add(adams, D(2026, 5, 1), evaluated: D(2026, 5, 4), payer: PayerCategory.Medicare, visits: 10);
            await Add(adams, D(2026, 5, 31), evaluated: D(2026, 6, 3), payer: PayerCategory.Commercial, visits: 6);
            await Add(adams, D(2026, 5, 12), lost: D(2026, 5, 20), payer: PayerCategory.Commercial);
            await Add(adams, D(2026, 5, 20));
            await Add(adams, D(2026, 4, 1));
            await Add(adams, D(2026, 4, 30));
            await Add(adams, D(2026, 3, 31));
            await Add(adams, D(2026, 6, 1));
            for (var i = 0; i < 5; i++)
            {
                await Add(adams, D(2025, 5, 1 + i * 7));
            }
            await Add(brown, D(2026, 5, 15), evaluated: D(2026, 5, 18), payer: PayerCategory.WorkersComp, visits: 8, clinic: second);
            for (var i = 0; i < 3; i++)
            {
                await Add(brown, D(2026, 4, 5 + i));
            }
            await Add(chase, D(2026, 5, 17));
            await Add(chase, D(2026, 5, 18));
            await Add(chase, D(2026, 6, 10));
            await Add(chase, D(2025, 6, 17));
            await Add(chase, D(2025, 6, 18));
            await Add(null, D(2026, 5, 5), evaluated: D(2026, 5, 8), payer: PayerCategory.Medicare, visits: 3, channel: AcquisitionChannel.WebSearch);
            await Add(null, D(2026, 5, 25), payer: PayerCategory.SelfPay, channel: AcquisitionChannel.WebSearch);
            await Add(null, D(2025, 5, 9), channel: AcquisitionChannel.WebSearch);
            return (adams, brown, chase, second);
        });

    private static void AssertWindow(JsonElement window, string from, string through)
    {
        Assert.Equal(from, window.GetProperty("from").GetString());
        Assert.Equal(through, window.GetProperty("through").GetString());
    }

    private static void AssertRow(JsonElement row, int referrals, int previous, int change, double? changePercent, int lastYear, int yearChange, double? yearChangePercent,
        int evaluated, int lost, int pending, double? conversion, int visits, decimal? revenue, int unpricedVisits)
    {
        var name = row.GetProperty("name").GetString();
        Assert.True(referrals == row.GetProperty("referrals").GetInt32(), $"{name} referrals");
        Assert.Equal(previous, row.GetProperty("previousReferrals").GetInt32());
        Assert.Equal(change, row.GetProperty("change").GetInt32());
        Assert.Equal(changePercent, Nullable(row, "changePercent"));
        Assert.Equal(lastYear, row.GetProperty("lastYearReferrals").GetInt32());
        Assert.Equal(yearChange, row.GetProperty("yearChange").GetInt32());
        Assert.Equal(yearChangePercent, Nullable(row, "yearChangePercent"));
        Assert.Equal(evaluated, row.GetProperty("evaluated").GetInt32());
        Assert.Equal(lost, row.GetProperty("lost").GetInt32());
        Assert.Equal(pending, row.GetProperty("pending").GetInt32());
        Assert.Equal(conversion, Nullable(row, "conversionPercent"));
        Assert.Equal(visits, row.GetProperty("visits").GetInt32());
        Assert.Equal(revenue, row.GetProperty("estimatedRevenue").GetDecimal());
        Assert.Equal(unpricedVisits, row.GetProperty("unpricedVisits").GetInt32());
    }

    private static double? Nullable(JsonElement row, string field) =>
        row.GetProperty(field).ValueKind == JsonValueKind.Null ? null : row.GetProperty(field).GetDouble();

    private static IEnumerable<int?> SourceIds(JsonElement report) =>
        report.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("sourceId").ValueKind == JsonValueKind.Null ? (int?)null : r.GetProperty("sourceId").GetInt32());

    /// <summary>The whole-number columns of a row as the CSV writes them, in the CSV's order.</summary>
    private static string[] Figures(JsonElement row) =>
        [.. WholeNumberFields.Select(f => row.GetProperty(f).GetInt32().ToString(CultureInfo.InvariantCulture))
            .Append(row.GetProperty("estimatedRevenue").GetDecimal().ToString(CultureInfo.InvariantCulture))
            .Append(row.GetProperty("unpricedVisits").GetInt32().ToString(CultureInfo.InvariantCulture))];

    /// <summary>
    /// The API's percent as the shared CSV writer prints a percent cell ("66.7%", "-12.5%"): figures get no
    /// formula guard, only text does.
    /// </summary>
    private static string PercentText(JsonElement row, string field) =>
        Nullable(row, field) is { } percent ? TableFile.CsvCell(percent / 100, ColumnKind.Percent) : "";

    /// <summary>The row as the PDF prints it, from the API's figures.</summary>
    private static string[] PrintedCells(JsonElement row) =>
        SourceReportText.Cells(new SourceReportRow
        {
            Name = row.GetProperty("name").GetString()!,
            Referrals = row.GetProperty("referrals").GetInt32(),
            PreviousReferrals = row.GetProperty("previousReferrals").GetInt32(),
            LastYearReferrals = row.GetProperty("lastYearReferrals").GetInt32(),
            Evaluated = row.GetProperty("evaluated").GetInt32(),
            Lost = row.GetProperty("lost").GetInt32(),
            Visits = row.GetProperty("visits").GetInt32(),
            EstimatedRevenue = row.GetProperty("estimatedRevenue").GetDecimal(),
        });

    private static List<string> ParseCsvLine(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { cell.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else { cell.Append(c); }
        }
        cells.Add(cell.ToString());
        return cells;
    }

    private static string PdfText(byte[] pdf, out int pages)
    {
        using var document = PdfDocument.Open(pdf);
        pages = document.NumberOfPages;
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }
}
