using System.Globalization;
using ClosedXML.Excel;

namespace Rapport.Imports;

/// <summary>
/// The rows of an XLSX workbook's first worksheet as import records: row 1 is the header and each
/// record's line is its spreadsheet row number, so <c>FILE:LINE</c> points where Excel shows it.
/// Typed cells become the text the CSV import reads: dates as yyyy-MM-dd, whole numbers without
/// a decimal point (an NPI typed as a number stays ten digits), numbers shown with leading zeros
/// ("00000", a ZIP) as shown, formulas by their last computed value. ClosedXML loads the whole
/// workbook, so very large files are better exported as CSV (streamed).
/// </summary>
public sealed class XlsxRecordReader : IImportRecords, IDisposable
{
    private readonly XLWorkbook workbook;
    private readonly IXLWorksheet sheet;
    private readonly int lastRow;
    private readonly int lastColumn;
    private int next = 1;

    public XlsxRecordReader(Stream stream)
    {
        workbook = new XLWorkbook(stream);
        sheet = workbook.Worksheets.First();
        var used = sheet.RangeUsed();
        lastRow = used?.LastRow().RowNumber() ?? 0;
        lastColumn = used?.LastColumn().ColumnNumber() ?? 0;
    }

    public int LastRow => lastRow;

    public int RowsRead => next - 1;

    /// <summary>Whether the bytes start like a zip archive (an XLSX workbook) rather than text.</summary>
    public static bool LooksLikeXlsx(ReadOnlySpan<byte> start) =>
        start.Length >= 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4;

    public CsvRecord? Read()
    {
        while (next <= lastRow)
        {
            var number = next++;
            var row = sheet.Row(number);
            var width = lastColumn;
            if (number == 1)
            {
                // Formatting alone can stretch the used range; the header ends at its last named column.
                while (width > 0 && row.Cell(width).IsEmpty())
                {
                    width--;
                }
            }
            var fields = new string[width];
            var blank = true;
            for (var column = 1; column <= width; column++)
            {
                fields[column - 1] = CellText(row.Cell(column));
                blank &= string.IsNullOrWhiteSpace(fields[column - 1]);
            }
            if (!blank)
            {
                return new CsvRecord(number, fields);
            }
        }
        return null;
    }

    private static string CellText(IXLCell cell)
    {
        if (cell.IsEmpty())
        {
            return "";
        }
        object value;
        try
        {
            value = cell.Value;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A formula ClosedXML cannot evaluate: Excel's last computed value is still in the file.
            value = cell.CachedValue ?? "";
        }
        switch (value)
        {
            case DateTime date:
                return date.TimeOfDay == TimeSpan.Zero
                    ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            case double number:
                var format = cell.Style.NumberFormat.Format;
                if (format.Length > 1 && format.All(c => c == '0'))
                {
                    return number.ToString(format, CultureInfo.InvariantCulture);
                }
                return number == Math.Floor(number) && Math.Abs(number) < 1e15
                    ? number.ToString("0", CultureInfo.InvariantCulture)
                    : number.ToString("R", CultureInfo.InvariantCulture);
            case bool flag:
                return flag ? "yes" : "no";
            case TimeSpan span:
                return span.ToString("c", CultureInfo.InvariantCulture);
            default:
                return Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }
    }

    public void Dispose() => workbook.Dispose();
}
