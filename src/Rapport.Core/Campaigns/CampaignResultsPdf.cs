using System.Globalization;
using Rapport.Documents;

namespace Rapport.Campaigns;

/// <summary>
/// A campaign's results on one page for the practice owner: the same <see cref="CampaignText"/> strings as the campaign
/// page and the CLI, the comparison group with its intervals, the monthly chart and the rule. The timeline stays on the page.
/// </summary>
public static class CampaignResultsPdf
{
    public static string FileName(CampaignResults r) =>
        string.Create(CultureInfo.InvariantCulture, $"campaign-{r.Id}-results.pdf");

    public static byte[] Render(CampaignResults r)
    {
        using var writer = new PdfPageWriter(new PageSetup
        {
            Margin = 36,
            Title = $"Campaign results: {r.Name}",
            Author = r.PracticeName,
            FooterText = $"{r.PracticeName} · Campaign results · {r.Name} · {CampaignText.Period(r)}",
        });
        writer.Letterhead(r.PracticeName, "Campaign results");
        writer.Heading(r.Name);
        writer.Paragraph($"{Facts(r)}. Measured {CampaignText.Period(r)}. {CampaignText.Budget(r)}.", TextStyle.Small);

        var headline = CampaignText.Headline(r);
        var half = (headline.Count + 1) / 2;
        writer.Table(
            [new TableColumn("Figure", 1.6), new TableColumn("Value", 1.3, ColumnAlign.Right), new TableColumn("Figure", 1.6), new TableColumn("Value", 1.3, ColumnAlign.Right)],
            Enumerable.Range(0, half).Select(i => new TableRow(
            [
                headline[i].Label.Trim(), headline[i].Value,
                i + half < headline.Count ? headline[i + half].Label.Trim() : "", i + half < headline.Count ? headline[i + half].Value : "",
            ])));
        var notes = new List<string>();
        if (CampaignText.Unpriced(r) is { Length: > 0 } unpriced)
        {
            notes.Add(unpriced + ".");
        }
        notes.Add(r.NewReferringSources.Count == 0 ? "No new referring source yet."
            : "New referring sources: " + string.Join(", ", r.NewReferringSources.Select(s => s.Name)) + ".");
        writer.Paragraph(string.Join(" ", notes), TextStyle.Small);

        var c = r.Comparison;
        writer.Heading("Beside the comparison group", 2);
        writer.Paragraph(ComparisonLine(r), TextStyle.Small);
        // Short cells (counts, and rates with their interval) so each group is one line and the page holds the chart.
        writer.Table(
        [
            new TableColumn("Group", 1.3), new TableColumn("Referred before", 1.3, ColumnAlign.Right), new TableColumn("Referred during", 1.3, ColumnAlign.Right),
            new TableColumn("Per source-month before (95% CI)", 2.2, ColumnAlign.Right), new TableColumn("during (95% CI)", 2.2, ColumnAlign.Right),
        ],
        [
            GroupRow("Reached", c.Reached),
            GroupRow("Comparison", c.Comparison),
        ]);
        writer.Paragraph(c.Verdict, TextStyle.Small);

        if (r.Months.Count > 0)
        {
            var chart = Chart(r, 500, 165);
            writer.EnsureSpace(chart.Height + 10);
            writer.Chart(chart);
        }
        writer.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"Attribution: a physician's referral counts for the campaign of its source's latest campaign touch at most {r.AttributionWindowDays} days before it; ")
            + "a direct-access referral for the campaign the patient named at intake. 95% intervals: Wilson for shares, exact Poisson for rates.", TextStyle.Muted);
        return writer.ToPdf();
    }

    /// <summary>Attributed referrals by month beside what the reached sources would have sent at the comparison group's rate.</summary>
    public static ChartImage Chart(CampaignResults r, int width, int height, LegendPosition legend = LegendPosition.Below) =>
        Charts.Bars("", "Referrals",
            [.. r.Months.Select(m => m.Month.ShortLabel)],
            [
                new BarSeries("Attributed to the campaign", [.. r.Months.Select(m => (double?)m.Attributed)], Charts.Primary),
                new BarSeries("Reached sources at the comparison group's rate",
                    [.. r.Months.Select(m => m.ComparisonPerSource is { } rate ? rate * r.SourcesReached : (double?)null)], Charts.Comparison),
            ], width, height, legend);

    public static string Facts(CampaignResults r)
    {
        var parts = new List<string> { r.KindLabel, CampaignText.Dates(r.StartsOn, r.EndsOn) };
        parts.Add(r.Clinics.Count == 0 ? "whole practice" : string.Join(", ", r.Clinics));
        if (r.OwnerName is { } owner)
        {
            parts.Add("owner " + owner);
        }
        if (r.TargetSpecialties.Count > 0)
        {
            parts.Add("targets " + string.Join(", ", r.TargetSpecialties));
        }
        return string.Join(" · ", parts);
    }

    public static string ComparisonLine(CampaignResults r)
    {
        var c = r.Comparison;
        var specialties = c.Specialties.Count == 0 ? "no specialty recorded" : string.Join(", ", c.Specialties);
        return $"Comparison group: the practice's other sources of {specialties}{(c.SpecialtiesFromReached ? " (the reached sources' specialties)" : "")}"
            + (c.Clinics.Count > 0 ? $" at {string.Join(", ", c.Clinics)}" : "")
            + $" that the campaign did not reach. During: {CampaignText.Date(c.DuringFrom)} – {CampaignText.Date(c.DuringTo)}; "
            + $"before: the same length just before, {CampaignText.Date(c.BeforeFrom)} – {CampaignText.Date(c.BeforeTo)}.";
    }

    private static TableRow GroupRow(string name, ComparisonGroup g) => new(
    [
        name, Count(g.ReferredBefore), Count(g.ReferredDuring), Rate(g.PerSourceMonthBefore), Rate(g.PerSourceMonthDuring),
    ]);

    private static string Count(ShareInterval share) => FormattableString.Invariant($"{share.Count} of {share.Of}");

    private static string Rate(RateInterval rate) =>
        rate.Rate is not { } r ? "–" : FormattableString.Invariant($"{r:0.00} ({rate.Low:0.00}–{rate.High:0.00})");
}
