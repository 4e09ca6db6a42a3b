using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rapport.Common;
using Rapport.Organizations;
using Rapport.Pages.Shared;
using Rapport.Reports;

namespace Rapport.Pages.Reports;

/// <summary>
/// The referral source report. Every choice is a query-string value, so a view can be bookmarked; the
/// downloads take the same values, so the file holds what is on screen.
/// </summary>
public sealed class SourcesModel(SourceReportService reports, OrganizationService organizations, PracticeClock clock) : PageModel
{
    public const string Custom = "custom";

    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Clinic { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }

    public SourceReport? Report { get; private set; }
    public List<ClinicSummary> Clinics { get; private set; } = [];
    public IReadOnlyList<(string Value, string Text)> PeriodChoices { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Clinics = await organizations.ClinicsAsync(cancellationToken: cancellationToken);
        PeriodChoices = Choices(clock.Today());
        try
        {
            Report = await reports.BuildAsync(Query(), cancellationToken);
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, prefix: "");
        }
    }

    public async Task<IActionResult> OnGetDownloadAsync(string? format, CancellationToken cancellationToken)
    {
        try
        {
            var kind = format?.Trim().ToLowerInvariant();
            var report = await reports.BuildAsync(Query(), cancellationToken);
            if (kind == "pdf")
            {
                return File(SourceReportFiles.Pdf(report), "application/pdf", SourceReportFiles.FileName(report, "pdf"));
            }
            var table = TableFile.ParseFormat(kind);
            return File(TableFile.Write(SourceReportFiles.Sheet(report), table), TableFile.ContentType(table), SourceReportFiles.FileName(report, TableFile.Extension(table)));
        }
        catch (ValidationException e)
        {
            return BadRequest(e.Message);
        }
    }

    /// <summary>A named period picked in the list wins over dates left in the custom fields.</summary>
    private SourceReportQuery Query() => IsCustom
        ? new SourceReportQuery { Period = Custom, From = From, To = To, Clinic = Clinic, Sort = Sort }
        : new SourceReportQuery { Period = Period, Clinic = Clinic, Sort = Sort };

    public bool IsCustom => string.Equals(Period, Custom, StringComparison.OrdinalIgnoreCase) || (string.IsNullOrWhiteSpace(Period) && (!string.IsNullOrWhiteSpace(From) || !string.IsNullOrWhiteSpace(To)));

    /// <summary>The selected choice of the period list: the report's own period when it is one of them.</summary>
    public string SelectedPeriod => IsCustom ? Custom : Report?.Period is { } text && PeriodChoices.Any(c => c.Value == text) ? text : Period ?? SourceReportPeriods.DefaultText;

    /// <summary>Clicking the sorted column flips its direction; another column sorts descending first (bigger figures on top), the name ascending.</summary>
    public string SortUrl(SourceReportColumn column)
    {
        var (current, descending) = CurrentSort;
        var next = column == current ? !descending : column != SourceReportColumn.Name;
        return Link(SourceReportService.SortText(column, next));
    }

    public string AriaSort(SourceReportColumn column) => CurrentSort.Column != column ? "none" : CurrentSort.Descending ? "descending" : "ascending";

    public string SortClass(SourceReportColumn column) => CurrentSort.Column != column ? "" : CurrentSort.Descending ? "sorted desc" : "sorted";

    public string DownloadUrl(string format) =>
        Url.Page("/Reports/Sources", "Download", new { format, period = IsCustom ? Custom : Period, from = IsCustom ? From : null, to = IsCustom ? To : null, clinic = Clinic, sort = Sort })!;

    private (SourceReportColumn Column, bool Descending) CurrentSort => SourceReportService.ParseSort(Report?.Sort, new Problems());

    private string Link(string sort) =>
        Url.Page("/Reports/Sources", new { period = IsCustom ? Custom : Period, from = IsCustom ? From : null, to = IsCustom ? To : null, clinic = Clinic, sort })!;

    /// <summary>The named periods offered: the moving ones, then the last 12 months, 8 quarters and 3 years by name.</summary>
    public static IReadOnlyList<(string Value, string Text)> Choices(DateOnly today)
    {
        var choices = new List<(string, string)>
        {
            ("last-month", "Last full month"), ("this-month", "This month so far"), ("last-quarter", "Last full quarter"),
            ("this-quarter", "This quarter so far"), ("last-year", "Last full year"), ("this-year", "This year so far"),
        };
        var month = new DateOnly(today.Year, today.Month, 1);
        for (var i = 1; i <= 12; i++)
        {
            var m = month.AddMonths(-i);
            choices.Add((m.ToString("yyyy-MM", CultureInfo.InvariantCulture), m.ToString("MMMM yyyy", CultureInfo.InvariantCulture)));
        }
        var quarter = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        for (var i = 1; i <= 8; i++)
        {
            var q = quarter.AddMonths(-3 * i);
            var number = (q.Month - 1) / 3 + 1;
            choices.Add(($"{q.Year}-Q{number}", $"Q{number} {q.Year}"));
        }
        for (var i = 1; i <= 3; i++)
        {
            var year = (today.Year - i).ToString(CultureInfo.InvariantCulture);
            choices.Add((year, year));
        }
        choices.Add((Custom, "Custom dates…"));
        return choices;
    }
}
