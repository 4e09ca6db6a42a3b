using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rapport.Registry.Nppes;

public enum NppesFileKind : byte { Full = 1, Weekly = 2 }

public enum NppesRunStatus : byte { Running = 1, Completed = 2, Abandoned = 3 }

/// <summary>
/// One `rapport import nppes` of one file with one set of filters, and its checkpoint: the byte offset
/// and line after the last batch committed, written in the same transaction as that batch, so a run
/// killed at any moment resumes where its last commit left off. Shared by every practice, like the registry.
/// </summary>
public sealed class NppesImportRun
{
    public int Id { get; set; }
    /// <summary>Hex SHA-256 of full path, size, the first 64 KiB, the filters and the kind: the same command on the same file resumes.</summary>
    public required string FileKey { get; set; }
    public required string FileName { get; set; }
    public long FileSize { get; set; }
    public NppesFileKind Kind { get; set; }
    /// <summary>The end date in the file's name (npidata_pfile_YYYYMMDD-YYYYMMDD.csv), when it has one.</summary>
    public DateOnly? FileDate { get; set; }
    /// <summary>The filters as typed, normalised ("states=CA,NV; groups=pt-referrers; active-only").</summary>
    public required string Filters { get; set; }
    public NppesRunStatus Status { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>Registry rows before the run: added = rows after − rows before.</summary>
    public long RowsBefore { get; set; }
    public long ByteOffset { get; set; }
    /// <summary>The physical line the next record starts on.</summary>
    public long Line { get; set; }
    public long Records { get; set; }
    public long Kept { get; set; }
    public long Written { get; set; }
    public long Unchanged { get; set; }
    public long Deactivated { get; set; }
    public long BadRows { get; set; }
    public long MarkedMissing { get; set; }
    public long Added { get; set; }
    /// <summary>Seconds spent over all attempts (a resumed run adds its own).</summary>
    public double ElapsedSeconds { get; set; }
}

/// <summary>One bad row of a run (the first <see cref="NppesImporter.ProblemsKept"/>; the run's count is exact).</summary>
public sealed class NppesImportProblem
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public long Line { get; set; }
    public required string Message { get; set; }
}

internal sealed class NppesImportRunConfiguration : IEntityTypeConfiguration<NppesImportRun>
{
    public void Configure(EntityTypeBuilder<NppesImportRun> b)
    {
        b.ToTable("NppesImportRuns");
        b.Property(r => r.FileKey).HasMaxLength(64);
        b.Property(r => r.FileName).HasMaxLength(1000);
        b.Property(r => r.Filters).HasMaxLength(2000);
        b.Property(r => r.Kind).HasConversion<byte>();
        b.Property(r => r.Status).HasConversion<byte>();
        b.HasIndex(r => new { r.FileKey, r.Status });
    }
}

internal sealed class NppesImportProblemConfiguration : IEntityTypeConfiguration<NppesImportProblem>
{
    public void Configure(EntityTypeBuilder<NppesImportProblem> b)
    {
        b.ToTable("NppesImportProblems");
        b.Property(p => p.Message).HasMaxLength(600);
        b.HasOne<NppesImportRun>().WithMany().HasForeignKey(p => p.RunId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => new { p.RunId, p.Line });
    }
}
