using System.Globalization;
using Rapport.Audit;
using Rapport.Common;

namespace Rapport.Exports;

/// <summary>A list written out: what to call the file, its type and its bytes.</summary>
public sealed record ExportFile(string Kind, string FileName, string ContentType, byte[] Content, int Rows);

/// <summary>
/// Every list download (the pages' "Download CSV · Excel" links, <c>GET /api/v1/exports/{kind}</c>,
/// <c>rapport export KIND</c>) goes through here: it finds the list by kind, builds it with the page's
/// filters, writes CSV or XLSX and records the export exactly once in the audit trail, so no door can
/// forget the record or give other rows than another door.
/// </summary>
public sealed class ExportService(IEnumerable<IListExport> exports, PatientDataAudit patientData, AuditTrail audit, PracticeClock time)
{
    /// <summary>The entity type of the audit event of an export without patient data; its id is the kind.</summary>
    public const string AuditEntityType = "Export";

    private readonly Dictionary<string, IListExport> byKind = exports.ToDictionary(e => e.Kind, StringComparer.OrdinalIgnoreCase);

    /// <summary>The kinds that can be exported, in alphabetical order.</summary>
    public IReadOnlyList<string> Kinds => [.. byKind.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The list of <paramref name="kind"/> with <paramref name="filters"/> (the list page's parameter names) as <paramref name="format"/> ("csv" or "xlsx").</summary>
    public async Task<ExportFile> ExportAsync(string? kind, string? format, IReadOnlyDictionary<string, string?> filters, CancellationToken cancellationToken = default)
    {
        var export = Find(kind);
        var tableFormat = TableFile.ParseFormat(format);
        var sheet = await export.BuildAsync(filters, cancellationToken);
        var rows = sheet.Rows.ToList();
        var content = TableFile.Write(sheet with { Rows = rows }, tableFormat);
        var extension = TableFile.Extension(tableFormat);
        var described = new ExportFilters(filters).Describe();
        var scope = $"{export.Kind} as {extension}{(described.Length == 0 ? "" : "; " + described)}";
        if (export.PatientEntityType is { } patientType && rows.Count > 0)
        {
            // Replaces the read the list's own query recorded in this scope: one event, the stronger use.
            await patientData.ExportedAsync(patientType, rows.Count, scope, cancellationToken);
        }
        else
        {
            var summary = string.Create(CultureInfo.InvariantCulture, $"{rows.Count} {(rows.Count == 1 ? "row" : "rows")}; {scope}");
            await audit.RecordAsync(AuditTrail.Exported, export.PatientEntityType ?? AuditEntityType, export.Kind, summary, cancellationToken);
        }
        var fileName = string.Create(CultureInfo.InvariantCulture, $"rapport-{export.Kind}-{time.Today():yyyy-MM-dd}.{extension}");
        return new ExportFile(export.Kind, fileName, TableFile.ContentType(tableFormat), content, rows.Count);
    }

    private IListExport Find(string? kind) =>
        Formats.Clean(kind) is { } name && byKind.TryGetValue(name, out var export) ? export
            : throw new ValidationException("kind", $"\"{kind}\" is not a list that can be exported; the kinds are {string.Join(", ", Kinds)}.");
}
