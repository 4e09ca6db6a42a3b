namespace Rapport.Imports;

public enum ImportKind { Sources, Patients, Referrals, Touchpoints, Assessments }

public sealed record ImportOptions
{
    /// <summary>Import the good rows and report the bad ones, instead of writing nothing when any row is bad.</summary>
    public bool SkipInvalid { get; init; }
    /// <summary>Check every row and count what would change, but write nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>
    /// Rows read, checked and written together: existing rows and references are looked up for one
    /// chunk's keys at a time, so memory does not grow with the file or the practice's data.
    /// </summary>
    public int BatchSize { get; init; } = 5000;
    /// <summary>Keys per look-up query within a chunk; internal so tests can make several look-ups of a few rows.</summary>
    internal int LookupSize { get; init; } = ImportHandler.DefaultLookupSize;
    /// <summary>How to decode the file's bytes; <see cref="ImportEncoding.Auto"/> reads BOMs, UTF-8, else Windows-1252.</summary>
    public ImportEncoding Encoding { get; init; } = ImportEncoding.Auto;
    /// <summary>
    /// Problems kept for the result (the count covers all): a file where every one of a million rows
    /// is bad would otherwise hold a million messages. Fixing the first ten thousand and re-running
    /// shows the rest.
    /// </summary>
    public int MaxErrorsListed { get; init; } = 10_000;
    /// <summary>
    /// The file's own headers → Rapport's column names ("" ignores a column on purpose), from the
    /// mapping page or a saved <see cref="ImportMapping"/>; matched ignoring case. Headers it does not
    /// name are read as Rapport's own, as without a mapping.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Mapping { get; init; }
    /// <summary>When set, every row the import adds or changes is written to this run's journal (<see cref="ImportRuns"/>), so it can be undone.</summary>
    public int? JournalRunId { get; init; }
}

/// <summary>One problem with one row (or the header), located the way an editor can jump to it.</summary>
/// <param name="Line">Physical line in the file; the header is line 1.</param>
/// <param name="Column">The CSV column name, or "header"/"row" for problems not tied to one column.</param>
public sealed record ImportError(int Line, string Column, string Message)
{
    public string Format(string fileName) => $"{fileName}:{Line}: {Column}: {Message}";
}

public sealed record ImportProgress(string Stage, long Done, long Total);

public sealed record ImportResult
{
    public required ImportKind Kind { get; init; }
    public required string FileName { get; init; }
    public int Rows { get; init; }
    public int Added { get; init; }
    public int Updated { get; init; }
    public int Unchanged { get; init; }
    /// <summary>Patients a referrals file with patient columns created (found by neither external id nor name and birth date).</summary>
    public int PatientsAdded { get; init; }
    /// <summary>Rows left out because they were invalid (only with <see cref="ImportOptions.SkipInvalid"/>).</summary>
    public int Skipped { get; init; }
    /// <summary>Rows with at least one problem, whether skipped or the reason the file was rejected.</summary>
    public int InvalidRows { get; init; }
    /// <summary>The problems found, in file order, up to <see cref="ImportOptions.MaxErrorsListed"/>.</summary>
    public IReadOnlyList<ImportError> Errors { get; init; } = [];
    /// <summary>All problems found, including those beyond the listed ones.</summary>
    public int ErrorCount { get; init; }
    /// <summary>
    /// Rows imported with something to check, not a problem (a source whose NPI the registry lists as
    /// deactivated), in file order, up to <see cref="ImportOptions.MaxErrorsListed"/>.
    /// </summary>
    public IReadOnlyList<ImportError> Warnings { get; init; } = [];
    /// <summary>Something the person importing should know that is not a problem, e.g. "read as Windows-1252 because …".</summary>
    public string? Note { get; init; }
    /// <summary>True when the changes were committed; false for a dry run or a rejected file.</summary>
    public bool Written { get; init; }
    public bool DryRun { get; init; }

    /// <summary>The file was refused as a whole: nothing was (or, in a dry run, would be) written.</summary>
    public bool Rejected { get; init; }

    public string Summary => Rejected
        ? $"{FileName}: rejected, nothing written: {(InvalidRows > 0 ? $"{InvalidRows} of {Rows} rows have" : "the file has")} {ErrorCount} problem(s)" + (ErrorCount > Errors.Count ? $" (the first {Errors.Count} listed)." : ".")
        : $"{FileName}: {Added} added, {Updated} updated, {Unchanged} unchanged, {Skipped} skipped" + (PatientsAdded > 0 ? $", {PatientsAdded} new patient(s)" : "")
            + (DryRun ? " (dry run, nothing written)." : ".");
}

/// <summary>A column an import understands.</summary>
/// <param name="Name">snake_case name as written in the header.</param>
/// <param name="RequiredInHeader">The header must name it (keys, and fields no row can do without).</param>
/// <param name="Field">The camelCase field the feature service's rules report problems under, when it differs from the name.</param>
/// <param name="MaxLength">Longest text the database column holds.</param>
public sealed record ImportColumn(string Name, bool RequiredInHeader, string Description, string Example, string? Field = null, int? MaxLength = null);
