using System.IO.Compression;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Data;
using Rapport.ReportCards;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.ReportCards;

public sealed class ReportCardBatchTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_cli_batch_writes_one_valid_pdf_per_active_source_and_a_rerun_logs_no_second_touch(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var (organizationId, _) = await ReportCardTests.SeedDemoAsync(app);
        var active = await app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<RapportDbContext>().Sources
            .Where(s => s.Status == SourceStatus.Active && s.ArchivedAt == null).Select(s => s.Id).ToListAsync(ct));
        var folder = Path.Combine(Path.GetTempPath(), "rapport-cards-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = await Infrastructure.Cli.RunAsync(app.Database, "report", "cards", "--period", "12m", "--out", folder);
            Assert.True(first.ExitCode == 0, first.Stderr);
            Assert.Contains($"Wrote {active.Count} report cards", first.Stdout, StringComparison.Ordinal);
            Assert.Contains($"({active.Count} touchpoints logged, 0 already logged", first.Stdout, StringComparison.Ordinal);

            var pdfs = Directory.GetFiles(folder, "*.pdf");
            Assert.Equal(active.Count, pdfs.Length);
            Assert.Empty(Directory.GetFiles(folder, "*.partial"));
            foreach (var pdf in pdfs)
            {
                ReportCardTests.PdfText(await File.ReadAllBytesAsync(pdf, ct), out var pages);
                Assert.InRange(pages, 1, 2);
            }
            var summary = await File.ReadAllLinesAsync(Path.Combine(folder, "summary.csv"), ct);
            Assert.Equal(ReportCardSummaryCsv.Header, summary[0]);
            Assert.Equal(active.Count, summary.Length - 1);
            Assert.Contains(summary, line => line.Contains("\"Gregory House, MD\",house-gregory-", StringComparison.Ordinal));

            var touches = await ReportTouchesAsync(app, organizationId);
            Assert.Equal(active.Order(), touches.Select(t => t.SourceId).Order());

            var rerun = await Infrastructure.Cli.RunAsync(app.Database, "report", "cards", "--period", "12m", "--out", folder);
            Assert.True(rerun.ExitCode == 0, rerun.Stderr);
            Assert.Contains($"(0 touchpoints logged, {active.Count} already logged", rerun.Stdout, StringComparison.Ordinal);
            Assert.Equal(touches.Count, (await ReportTouchesAsync(app, organizationId)).Count);

            var filtered = await Infrastructure.Cli.RunAsync(app.Database, "report", "cards", "--period", "2026-13-01..2026-01-01", "--out", folder);
            Assert.Equal(2, filtered.ExitCode);
            Assert.Contains("period: '2026-13-01..2026-01-01' is not a period", filtered.Stderr, StringComparison.Ordinal);
            var unknown = await Infrastructure.Cli.RunAsync(app.Database, "report", "cards", "--source", "1987654328", "--source", "12x", "--out", folder);
            Assert.Equal(2, unknown.ExitCode);
            Assert.Contains("source: '12x' is neither a source id nor a 10-digit NPI.", unknown.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task The_background_job_resumes_after_a_restart_and_its_zip_holds_every_card_and_the_summary()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var ids = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var sources = sp.GetRequiredService<SourceService>();
            var made = new List<int>();
            foreach (var (last, status) in new[] { ("Alder", SourceStatus.Active), ("Birch", SourceStatus.Active), ("Cedar", SourceStatus.Active), ("Prospect", SourceStatus.Prospect) })
            {
                made.Add((await sources.CreateAsync(new SourceInput { FirstName = "Ann", LastName = last, Credential = "MD", Status = status })).Id);
            }
            return made;
        });

        // A job that a stopped node had started: one card done, its lease run out.
        var jobId = await app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            var job = new ReportCardJob
            {
                From = new DateOnly(2025, 1, 1), To = new DateOnly(2025, 12, 31), SourceIds = string.Join(',', ids.Take(3)), Status = ReportCardJobStatus.Running,
                Total = 3, Done = 1, CreatedAt = TestClock.UtcNow.AddMinutes(-10), LeaseUntil = TestClock.UtcNow.AddMinutes(-5),
            };
            db.Add(job);
            await db.SaveChangesAsync(ct);
            db.Add(new ReportCardJobFile { JobId = job.Id, SourceId = ids[0], FileName = "alder-ann-done-before.pdf", Pdf = [0x25, 0x50, 0x44, 0x46], SummaryLine = "before" });
            await db.SaveChangesAsync(ct);
            return job.Id;
        });
        // The app's own worker may take it first; either way the lease lets only one run it.
        await app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ReportCardJobWorker>().Single().RunPendingAsync(ct);
        var job = await WaitUntilFinishedAsync(app, org.Id, jobId);
        Assert.Equal(ReportCardJobStatus.Done, job.Status);
        Assert.Equal(3, job.Done);
        using var client = await app.SignedInClientAsync(org.AdminEmail);
        using var zipResponse = await client.GetAsync($"/ReportCards?handler=Zip&id={jobId}", ct);
        Assert.Equal(HttpStatusCode.OK, zipResponse.StatusCode);
        using var zip = new ZipArchive(await zipResponse.Content.ReadAsStreamAsync(ct));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(["alder-ann-done-before.pdf", $"birch-ann-{ids[1]}.pdf", $"cedar-ann-{ids[2]}.pdf", "summary.csv"], names);
        using (var reader = new StreamReader(await zip.GetEntry("summary.csv")!.OpenAsync(ct)))
        {
            var lines = (await reader.ReadToEndAsync(ct)).TrimEnd('\n').Split('\n');
            Assert.Equal(4, lines.Length);
            Assert.Equal("before", lines[1]);
        }
        // The resumed job logged touches for the two cards it made, not for the one made before.
        var touched = await ReportTouchesAsync(app, org.Id);
        Assert.Equal([ids[1], ids[2]], touched.Select(t => t.SourceId).Order());

        // Started from the page, a job over the active sources runs in the background and its progress shows.
        var form = await client.GetStringAsync("/ReportCards", ct);
        using var start = await client.PostAsync("/ReportCards", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Period"] = "2025", ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(form),
        }), ct);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var newest = (await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ReportCardJobs>().RecentAsync(1, ct)))[0];
        Assert.NotEqual(jobId, newest.Id);
        var latest = await WaitUntilFinishedAsync(app, org.Id, newest.Id);
        Assert.Equal(ReportCardJobStatus.Done, latest.Status);
        Assert.Equal(3, latest.Total);
        var page = await client.GetStringAsync("/ReportCards", ct);
        Assert.Contains($"/ReportCards?handler=Zip&amp;id={latest.Id}", page, StringComparison.Ordinal);
        // Same period as the resumed job: Birch and Cedar keep their one touch, Alder (made before, by hand here) gets its first.
        var after = await ReportTouchesAsync(app, org.Id);
        Assert.Equal(ids.Take(3), after.Select(t => t.SourceId).Order());
    }

    private static async Task<ReportCardJob> WaitUntilFinishedAsync(RapportApp app, int organizationId, int jobId)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var job = await app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<ReportCardJobs>().GetAsync(jobId));
            if (job.Status is ReportCardJobStatus.Done or ReportCardJobStatus.Failed || waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                return job;
            }
            await Task.Delay(200);
        }
    }

    private static Task<List<Touchpoint>> ReportTouchesAsync(RapportApp app, int organizationId) =>
        app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<RapportDbContext>().Touchpoints.AsNoTracking()
            .Where(t => t.Method == TouchMethod.Report && t.ExternalId != null && t.ExternalId.StartsWith("report-card:")).ToListAsync());
}
