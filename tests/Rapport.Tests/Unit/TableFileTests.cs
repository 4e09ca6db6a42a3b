using System.Text;
using ClosedXML.Excel;
using Rapport.Common;

namespace Rapport.Tests.Unit;

public sealed class TableFileTests
{
    private static Sheet Sample() => new("Sources: all", [
        new SheetColumn("Name"), new SheetColumn("Referrals", ColumnKind.Count), new SheetColumn("Conversion", ColumnKind.Percent),
        new SheetColumn("Revenue", ColumnKind.Money), new SheetColumn("Last touch", ColumnKind.Date)],
        [
            ["House, Gregory", 42, 0.5, 1234.5m, new DateOnly(2026, 11, 30)],
            ["=HYPERLINK(\"http://x\")", null, null, null, null],
            ["Ørsted, Ana", 0, 0.0, 0m, null],
            ["-Dr. Minus", -3, -0.125, -10.5m, null],
        ]);

    [Fact]
    public void Csv_has_a_byte_order_mark_invariant_figures_and_the_formula_guard()
    {
        var bytes = TableFile.Write(Sample(), TableFormat.Csv);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("Name,Referrals,Conversion,Revenue,Last touch", lines[0]);
        Assert.Equal("\"House, Gregory\",42,50%,1234.5,2026-11-30", lines[1]);
        Assert.StartsWith("\"'=HYPERLINK", lines[2], StringComparison.Ordinal);
        Assert.Equal("\"Ørsted, Ana\",0,0%,0,", lines[3]);
        // Text that starts like a formula is guarded; figures Rapport formats are not.
        Assert.Equal("'-Dr. Minus,-3,-12.5%,-10.5,", lines[4]);
    }

    [Fact]
    public void Xlsx_reads_back_with_typed_cells_and_inert_text()
    {
        var bytes = TableFile.Write(Sample(), TableFormat.Xlsx);
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var sheet = workbook.Worksheet(1);
        Assert.Equal("Sources all", sheet.Name);
        Assert.Equal("Referrals", sheet.Cell(1, 2).GetString());
        Assert.Equal(42, sheet.Cell(2, 2).GetValue<int>());
        Assert.Equal(XLDataType.Number, sheet.Cell(2, 2).DataType);
        Assert.Equal(0.5, sheet.Cell(2, 3).GetValue<double>());
        Assert.Equal(new DateTime(2026, 11, 30), sheet.Cell(2, 5).GetDateTime());
        Assert.False(sheet.Cell(3, 1).HasFormula);
        Assert.Equal("=HYPERLINK(\"http://x\")", sheet.Cell(3, 1).GetString());
        Assert.True(sheet.Cell(3, 2).IsEmpty());
        Assert.Equal("Ørsted, Ana", sheet.Cell(4, 1).GetString());
    }

    [Theory]
    [InlineData("csv", TableFormat.Csv)]
    [InlineData("XLSX", TableFormat.Xlsx)]
    [InlineData(null, TableFormat.Csv)]
    public void Format_names_parse(string? text, TableFormat expected) => Assert.Equal(expected, TableFile.ParseFormat(text));

    [Fact]
    public void An_unknown_format_names_the_field() =>
        Assert.Contains("format", Assert.Throws<ValidationException>(() => TableFile.ParseFormat("pdfx")).Errors.Keys);
}
