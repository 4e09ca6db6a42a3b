using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Audit;
using Rapport.Data;
using Rapport.Tests.Infrastructure;
using Sylvan.Data.Csv;

namespace Rapport.Tests.Exports;

/// <summary>A downloaded list read back as text cells by header, from CSV or from XLSX (through ClosedXML).</summary>
internal sealed record ExportTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows)
{
    public IReadOnlyList<string> Column(string header) => [.. Rows.Select(r => r[header])];
}

internal static class ExportTestKit
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ExportTable ReadCsv(byte[] bytes)
    {
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        using var reader = CsvDataReader.Create(new StringReader(Encoding.UTF8.GetString(bytes[3..])));
        var headers = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(headers.Select((h, i) => (h, reader.GetString(i))).ToDictionary(c => c.h, c => c.Item2));
        }
        return new ExportTable(headers, rows);
    }

    /// <summary>Numbers as invariant text, dates as yyyy-MM-dd, so the two formats compare cell by cell.</summary>
    public static ExportTable ReadXlsx(byte[] bytes)
    {
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var sheet = workbook.Worksheet(1);
        var width = sheet.LastColumnUsed()?.ColumnNumber() ?? 0;
        var headers = Enumerable.Range(1, width).Select(c => sheet.Cell(1, c).GetString()).ToList();
        var rows = new List<IReadOnlyDictionary<string, string>>();
        var last = sheet.LastRowUsed()?.RowNumber() ?? 1;
        for (var r = 2; r <= last; r++)
        {
            rows.Add(headers.Select((h, i) => (h, Text(sheet.Cell(r, i + 1)))).ToDictionary(c => c.h, c => c.Item2));
        }
        return new ExportTable(headers, rows);
    }

    private static string Text(IXLCell cell)
    {
        Assert.False(cell.HasFormula, $"cell {cell.Address} is a formula");
        return cell.DataType switch
        {
            XLDataType.DateTime => cell.GetDateTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            XLDataType.Number => cell.GetDouble().ToString(CultureInfo.InvariantCulture),
            _ => cell.GetString(),
        };
    }

    public static async Task<(ExportTable Table, HttpResponseMessage Response)> DownloadAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var xlsx = response.Content.Headers.ContentType?.MediaType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        return (xlsx ? ReadXlsx(bytes) : ReadCsv(bytes), response);
    }

    public static Task<long> LastEventIdAsync(RapportApp app, int organizationId) =>
        app.InOrganizationAsync(organizationId, async sp => await sp.GetRequiredService<RapportDbContext>().AuditEvents.MaxAsync(a => (long?)a.Id, Ct) ?? 0);

    public static Task<List<AuditEvent>> EventsSinceAsync(RapportApp app, int organizationId, long after) =>
        app.InOrganizationAsync(organizationId, sp => sp.GetRequiredService<RapportDbContext>().AuditEvents
            .Where(a => a.Id > after && a.Action != "Added" && a.Action != "Modified" && a.Action != "Deleted").OrderBy(a => a.Id).ToListAsync(Ct));
}
