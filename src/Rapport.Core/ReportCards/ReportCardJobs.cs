using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Tenancy;

namespace Rapport.ReportCards;

public enum ReportCardJobStatus { Queued, Running, Done, Failed }

/// <summary>
/// A batch of report cards started from the app. The sources are fixed when it starts; each finished
/// card is a <see cref="ReportCardJobFile"/> row, so a job cut short by a restart resumes where it
/// stopped. A node works on a job while it holds the lease; an expired lease lets another take over.
/// </summary>
public sealed class ReportCardJob : IOrganizationOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    /// <summary>Comma-separated source ids, in the order they are generated.</summary>
    public string SourceIds { get; set; } = "";
    public string? Filters { get; set; }
    public ReportCardJobStatus Status { get; set; }
    public int Total { get; set; }
    public int Done { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime? FinishedAt { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public string? Error { get; set; }
}

public sealed class ReportCardJobFile : IOrganizationOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public int JobId { get; set; }
    public int SourceId { get; set; }
    public required string FileName { get; set; }
    public required byte[] Pdf { get; set; }
    /// <summary>The card's line of summary.csv.</summary>
    public required string SummaryLine { get; set; }
}

/// <summary>Wakes the worker when a job is queued, so it starts at once instead of at its next check.</summary>
public sealed class ReportCardJobs(RapportDbContext db, ReportCardBatch batch, JobSignal<ReportCardJobs> signal, PracticeClock time) : IPracticeJobQueue
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Queues a job for the sources the filter selects; fails with a validation error when it selects none.</summary>
    public async Task<ReportCardJob> StartAsync(DateOnly from, DateOnly to, ReportCardBatchFilter filter, CancellationToken cancellationToken = default)
    {
        var sources = await batch.SelectAsync(filter, cancellationToken);
        if (sources.Count == 0)
        {
            throw new ValidationException("sources", "No active source matches these filters.");
        }
        var job = new ReportCardJob
        {
            From = from, To = to, SourceIds = string.Join(',', sources.Select(s => s.Id.ToString(CultureInfo.InvariantCulture))),
            Filters = Describe(filter), Status = ReportCardJobStatus.Queued, Total = sources.Count,
            CreatedAt = time.GetUtcNow().UtcDateTime, CreatedBy = db.Organization.Actor,
        };
        db.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return job;
    }

    public Task<List<ReportCardJob>> RecentAsync(int count = 10, CancellationToken cancellationToken = default) =>
        db.Set<ReportCardJob>().AsNoTracking().OrderByDescending(j => j.Id).Take(count).ToListAsync(cancellationToken);

    public async Task<ReportCardJob> GetAsync(int id, CancellationToken cancellationToken = default) =>
        await db.Set<ReportCardJob>().AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken) ?? throw new NotFoundException($"Report card job {id}");

    /// <summary>Runs every job of this organization that is waiting or whose worker stopped; returns how many cards were made.</summary>
    public async Task<int> RunPendingAsync(CancellationToken cancellationToken = default)
    {
        var made = 0;
        var now = time.GetUtcNow().UtcDateTime;
        var pending = await db.Set<ReportCardJob>().AsNoTracking()
            .Where(j => (j.Status == ReportCardJobStatus.Queued || j.Status == ReportCardJobStatus.Running) && (j.LeaseUntil == null || j.LeaseUntil < now))
            .OrderBy(j => j.Id).Select(j => j.Id).ToListAsync(cancellationToken);
        foreach (var id in pending)
        {
            made += await RunAsync(id, cancellationToken);
        }
        return made;
    }

    private async Task<int> RunAsync(int jobId, CancellationToken cancellationToken)
    {
        if (!await ClaimAsync(jobId, cancellationToken))
        {
            return 0;
        }
        var job = await db.Set<ReportCardJob>().FirstAsync(j => j.Id == jobId, cancellationToken);
        var finished = await db.Set<ReportCardJobFile>().Where(f => f.JobId == jobId).Select(f => f.SourceId).ToListAsync(cancellationToken);
        var ids = job.SourceIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => int.Parse(i, CultureInfo.InvariantCulture)).Except(finished).ToList();
        var made = 0;
        try
        {
            var sources = await batch.SelectAsync(new ReportCardBatchFilter { Sources = [.. ids.Select(i => i.ToString(CultureInfo.InvariantCulture))] }, cancellationToken);
            await batch.RunAsync(sources, job.From, job.To, async (card, ct) =>
            {
                db.Add(new ReportCardJobFile { JobId = jobId, SourceId = card.Source.Id, FileName = card.Source.FileName, Pdf = card.Pdf, SummaryLine = ReportCardSummaryCsv.Line(card) });
                job.Done = finished.Count + ++made;
                job.LeaseUntil = time.GetUtcNow().UtcDateTime + Lease;
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Entries<ReportCardJobFile>().ToList().ForEach(e => e.State = EntityState.Detached);
            }, cancellationToken: cancellationToken);
            job.Status = ReportCardJobStatus.Done;
            job.Done = await db.Set<ReportCardJobFile>().CountAsync(f => f.JobId == jobId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            job.Status = ReportCardJobStatus.Failed;
            job.Error = e is ValidationException or NotFoundException ? e.Message : "The batch stopped on an unexpected error; see the server log.";
            if (e is not (ValidationException or NotFoundException))
            {
                throw;
            }
        }
        finally
        {
            if (job.Status is ReportCardJobStatus.Done or ReportCardJobStatus.Failed)
            {
                job.FinishedAt = time.GetUtcNow().UtcDateTime;
                job.LeaseUntil = null;
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        return made;
    }

    /// <summary>Takes the lease in one conditional update, so two nodes never work on the same job.</summary>
    private async Task<bool> ClaimAsync(int jobId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + Lease;
        return await db.Set<ReportCardJob>()
            .Where(j => j.Id == jobId && (j.Status == ReportCardJobStatus.Queued || j.Status == ReportCardJobStatus.Running) && (j.LeaseUntil == null || j.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ReportCardJobStatus.Running).SetProperty(j => j.LeaseUntil, until), cancellationToken) == 1;
    }

    /// <summary>Writes the job's PDFs and summary.csv as a zip.</summary>
    public async Task WriteZipAsync(int jobId, Stream output, CancellationToken cancellationToken = default)
    {
        var job = await GetAsync(jobId, cancellationToken);
        if (job.Status != ReportCardJobStatus.Done)
        {
            throw new ValidationException("job", $"The job is {job.Status.ToString().ToLowerInvariant()}; its zip is ready once it is done.");
        }
        await using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var ids = await db.Set<ReportCardJobFile>().AsNoTracking().Where(f => f.JobId == jobId).OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(cancellationToken);
        var summary = new StringBuilder(ReportCardSummaryCsv.Header).Append('\n');
        foreach (var id in ids)
        {
            var file = await db.Set<ReportCardJobFile>().AsNoTracking().FirstAsync(f => f.Id == id, cancellationToken);
            var entry = zip.CreateEntry(file.FileName, CompressionLevel.NoCompression);
            await using (var stream = await entry.OpenAsync(cancellationToken))
            {
                await stream.WriteAsync(file.Pdf, cancellationToken);
            }
            summary.Append(file.SummaryLine).Append('\n');
        }
        var csv = zip.CreateEntry("summary.csv", CompressionLevel.Optimal);
        await using var writer = new StreamWriter(await csv.OpenAsync(cancellationToken), new UTF8Encoding(false));
        await writer.WriteAsync(summary.ToString());
    }

    public static string ZipName(ReportCardJob job) =>
        string.Create(CultureInfo.InvariantCulture, $"report-cards-{job.From:yyyy-MM-dd}-to-{job.To:yyyy-MM-dd}-job{job.Id}.zip");

    private static string? Describe(ReportCardBatchFilter filter)
    {
        var parts = new List<string>();
        if (filter.Sources.Count > 0) parts.Add("sources " + string.Join(", ", filter.Sources));
        if (Formats.Clean(filter.Owner) is { } owner) parts.Add("owner " + owner);
        if (Formats.Clean(filter.Clinic) is { } clinic) parts.Add("clinic " + clinic);
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}

internal sealed class ReportCardJobConfiguration : IEntityTypeConfiguration<ReportCardJob>
{
    public void Configure(EntityTypeBuilder<ReportCardJob> b)
    {
        b.ToTable("ReportCardJobs");
        b.Property(j => j.SourceIds).HasMaxLength(400_000);
        b.Property(j => j.Filters).HasMaxLength(500);
        b.Property(j => j.Status).HasConversion<string>().HasMaxLength(10);
        b.Property(j => j.CreatedBy).HasMaxLength(256);
        b.Property(j => j.Error).HasMaxLength(1000);
        b.HasOne<Organization>().WithMany().HasForeignKey(j => j.OrganizationId);
        b.HasIndex(j => new { j.OrganizationId, j.Status });
    }
}

internal sealed class ReportCardJobFileConfiguration : IEntityTypeConfiguration<ReportCardJobFile>
{
    public void Configure(EntityTypeBuilder<ReportCardJobFile> b)
    {
        b.ToTable("ReportCardJobFiles");
        b.Property(f => f.FileName).HasMaxLength(100);
        b.Property(f => f.SummaryLine).HasMaxLength(2000);
        b.HasOne<Organization>().WithMany().HasForeignKey(f => f.OrganizationId);
        b.HasOne<ReportCardJob>().WithMany().HasForeignKey(f => f.JobId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => new { f.JobId, f.SourceId }).IsUnique();
    }
}
