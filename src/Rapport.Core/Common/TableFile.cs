using System.Globalization;
using System.Text;
using ClosedXML.Excel;

namespace Rapport.Common;

/// <summary>The two download formats every list, export and report offers.</summary>
public enum TableFormat { Csv, Xlsx }

/// <summary>How a column's cells are written: text stays text, numbers stay numbers, dates are dates in Excel.</summary>
public enum ColumnKind { Text, Count, Number, Percent, Money, Date, DateTime }

public sealed record SheetColumn(string Header, ColumnKind Kind = ColumnKind.Text);

/// <summary>
/// A list as it leaves Rapport: a sheet name, typed columns and rows of cells (string, int, long,
/// double, decimal, DateOnly, DateTime, bool or null). One shape for every export, report and
/// download, so CSV and XLSX always hold the same figures.
/// </summary>
public sealed record Sheet(string Name, IReadOnlyList<SheetColumn> Columns, IEnumerable<IReadOnlyList<object?>> Rows);

/// <summary>Writes a <see cref="Sheet"/> as CSV (RFC 4180, UTF-8 with a byte-order mark so Excel reads accents) or XLSX.</summary>
public static class TableFile
{
    public static string ContentType(TableFormat format) => format switch
    {
        TableFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/csv; charset=utf-8",
    };

    public static string Extension(TableFormat format) => format == TableFormat.Xlsx ? "xlsx" : "csv";

    /// <summary>"csv" or "xlsx" (any case); anything else is a validation error naming <paramref name="field"/>.</summary>
    public static TableFormat ParseFormat(string? text, string field = "format") =>
        text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "csv" => TableFormat.Csv,
            "xlsx" => TableFormat.Xlsx,
            _ => throw new ValidationException(field, $"Format \"{text}\" is not one of csv, xlsx."),
        };

    public static byte[] Write(Sheet table, TableFormat format)
    {
        using var stream = new MemoryStream();
        Write(table, format, stream);
        return stream.ToArray();
    }

    public static void Write(Sheet table, TableFormat format, Stream stream)
    {
        if (format == TableFormat.Xlsx)
        {
            WriteXlsx(table, stream);
        }
        else
        {
            WriteCsv(table, stream);
        }
    }

    /// <summary>A cell as CSV text: invariant numbers, ISO dates (text cells get the formula guard of <see cref="CsvText.Escape"/> when written).</summary>
    public static string CsvCell(object? value, ColumnKind kind) => value switch
    {
        null => "",
        string text => text,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => time.ToString(kind == ColumnKind.Date ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        bool flag => flag ? "yes" : "no",
        double number when kind == ColumnKind.Percent => Math.Round(number * 100, 1).ToString(CultureInfo.InvariantCulture) + "%",
        double number => Math.Round(number, kind == ColumnKind.Money ? 2 : 4).ToString(CultureInfo.InvariantCulture),
        decimal number when kind == ColumnKind.Percent => Math.Round(number * 100, 1).ToString(CultureInfo.InvariantCulture) + "%",
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void WriteCsv(Sheet table, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        writer.Write(string.Join(',', table.Columns.Select(column => CsvText.Escape(column.Header))));
        writer.Write("\r\n");
        foreach (var row in table.Rows)
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }
                var value = i < row.Count ? row[i] : null;
                // Only text can carry a formula someone typed; a figure Rapport formats ("-12.5%") is written as is.
                writer.Write(value is string text ? CsvText.Escape(text) : CsvText.Quote(CsvCell(value, table.Columns[i].Kind)));
            }
            writer.Write("\r\n");
        }
    }

    private static void WriteXlsx(Sheet table, Stream stream)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add(SheetName(table.Name));
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var header = sheet.Cell(1, i + 1);
            header.SetValue(table.Columns[i].Header);
            header.Style.Font.Bold = true;
        }
        var widths = table.Columns.Select(column => Math.Max(8, column.Header.Length + 2)).ToArray();
        var rowNumber = 1;
        foreach (var row in table.Rows)
        {
            rowNumber++;
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var value = i < row.Count ? row[i] : null;
                if (value is null)
                {
                    continue;
                }
                var cell = sheet.Cell(rowNumber, i + 1);
                SetCell(cell, value, table.Columns[i].Kind);
                widths[i] = Math.Max(widths[i], Math.Min(60, CsvCell(value, table.Columns[i].Kind).Length + 2));
            }
        }
        for (var i = 0; i < widths.Length; i++)
        {
            // Widths from the text length: ClosedXML's AdjustToContents measures fonts through GDI+, absent on Linux.
            sheet.Column(i + 1).Width = widths[i];
        }
        sheet.SheetView.FreezeRows(1);
        if (table.Columns.Count > 0)
        {
            sheet.Range(1, 1, Math.Max(1, rowNumber), table.Columns.Count).SetAutoFilter();
        }
        workbook.SaveAs(stream);
    }

    private static void SetCell(IXLCell cell, object value, ColumnKind kind)
    {
        switch (value)
        {
            case string text:
                // Written as a text cell, never parsed: "=HYPERLINK(...)" stays inert text in Excel, so the
                // CSV's apostrophe guard is not needed and the value reads back exactly.
                cell.SetValue(text);
                cell.DataType = XLDataType.Text;
                break;
            case DateOnly date:
                cell.SetValue(date.ToDateTime(TimeOnly.MinValue));
                cell.Style.DateFormat.Format = "yyyy-mm-dd";
                break;
            case DateTime time:
                cell.SetValue(time);
                cell.Style.DateFormat.Format = kind == ColumnKind.Date ? "yyyy-mm-dd" : "yyyy-mm-dd hh:mm";
                break;
            case bool flag:
                cell.SetValue(flag ? "yes" : "no");
                break;
            case int or long or short:
                cell.SetValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double or decimal or float:
                cell.SetValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                cell.Style.NumberFormat.Format = kind switch
                {
                    ColumnKind.Percent => "0.0%",
                    ColumnKind.Money => "#,##0.00",
                    ColumnKind.Count => "0",
                    _ => "0.##",
                };
                break;
            default:
                cell.SetValue(CsvCell(value, kind));
                cell.DataType = XLDataType.Text;
                break;
        }
    }

    /// <summary>Excel allows 31 characters and none of : \ / ? * [ ].</summary>
    private static string SheetName(string name)
    {
        var clean = new string(name.Where(c => !":\\/?*[]".Contains(c, StringComparison.Ordinal)).ToArray()).Trim();
        return clean.Length == 0 ? "Sheet1" : clean.Length > 31 ? clean[..31] : clean;
    }
}
