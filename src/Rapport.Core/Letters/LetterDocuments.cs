using System.Globalization;
using Rapport.Documents;

namespace Rapport.Letters;

/// <summary>
/// Lays out a letter and its fax cover sheet on the shared <see cref="PdfPageWriter"/>. The letter
/// names the patient (every page's footer too, so a loose page can be filed); the cover sheet
/// does not, since anyone at the receiving fax machine reads it.
/// </summary>
public sealed class LetterDocuments
{
    public const string ConfidentialityNotice =
        "This transmission contains confidential health information about a patient, sent for the patient's treatment to the physician named above. "
        + "If you are not that physician or a member of their staff, do not read, copy or pass it on: please call us at once and destroy what you received.";

    public RenderedPdf Letter(LetterContent letter)
    {
        using var writer = new PdfPageWriter(new PageSetup
        {
            Title = $"{letter.Title}: {letter.Patient.FullName}",
            Author = letter.From.PracticeName,
            FooterText = $"{letter.Title} · {letter.Patient.FullName}, born {LetterFormat.Date(letter.Patient.BirthDate)} · confidential",
        });
        Letterhead(writer, letter.From);
        writer.Paragraph(LetterFormat.Date(letter.Date));
        var to = new List<TextRun> { new(letter.To.Name, Bold: true) };
        foreach (var line in new[] { letter.To.PracticeName }.Concat(letter.To.AddressLines).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            to.Add(new TextRun("\n" + line));
        }
        if (letter.To.Fax is { } fax)
        {
            to.Add(new TextRun("\nFax " + fax));
        }
        writer.Paragraph(to, spaceAfter: 10);

        var e = letter.Episode;
        writer.Paragraph(
        [
            new TextRun("Re: ", Bold: true), new TextRun(letter.Title, Bold: true),
            new TextRun("\nPatient: ", Bold: true), new TextRun(letter.Patient.FullName),
            new TextRun(" · "), new TextRun("Date of birth: ", Bold: true), new TextRun(LetterFormat.Date(letter.Patient.BirthDate)),
        ], spaceAfter: 2);
        writer.Paragraph(Timeline(e), TextStyle.Small);
        writer.HorizontalRule();

        foreach (var block in letter.Body)
        {
            switch (block)
            {
                case LetterBlock.Text text:
                    SafeMarkdown.WriteTo(writer, text.Markdown);
                    break;
                case LetterBlock.Notes:
                    SafeMarkdown.WriteTo(writer, letter.NotesMarkdown);
                    break;
                case LetterBlock.Outcomes:
                    Outcomes(writer, letter);
                    break;
            }
        }
        var pages = writer.PageCount;
        return new RenderedPdf(writer.ToPdf(), pages);
    }

    /// <param name="letterPages">Pages of the letter it covers; the count printed includes the cover.</param>
    public RenderedPdf FaxCover(LetterContent letter, int letterPages)
    {
        using var writer = new PdfPageWriter(new PageSetup { Title = "Fax cover sheet", Author = letter.From.PracticeName, FooterText = letter.From.PracticeName });
        Letterhead(writer, letter.From);
        writer.Heading("Fax");
        writer.Space(4);
        writer.Table([new TableColumn("", 1.1), new TableColumn("To", 2.4), new TableColumn("From", 2.4)],
        [
            new TableRow(["Name", letter.To.Name, (letter.From.Signature ?? letter.From.Therapist) is { } therapist ? $"{therapist}, {letter.From.ClinicName}" : letter.From.ClinicName]),
            new TableRow(["Practice", letter.To.PracticeName ?? "—", letter.From.PracticeName]),
            new TableRow(["Fax", letter.To.Fax ?? "—", letter.From.Fax ?? "—"], Emphasis: true),
            new TableRow(["Phone", letter.To.Phone ?? "—", letter.From.Phone ?? "—"]),
        ], TextStyle.Body);
        writer.Space(4);
        writer.Paragraph([new TextRun("Date:  ", Bold: true), new TextRun(LetterFormat.Date(letter.Date))], spaceAfter: 4);
        writer.Paragraph([new TextRun("Pages:  ", Bold: true), new TextRun($"{letterPages + 1}, including this cover sheet", Bold: true)], spaceAfter: 4);
        writer.Paragraph([new TextRun("Re:  ", Bold: true), new TextRun($"{letter.Title} for a patient you referred (our referral {letter.Episode.ReferralId})")]);
        writer.Space(12);
        writer.Paragraph([new TextRun("Confidentiality notice", Bold: true)], spaceAfter: 2);
        writer.Paragraph(ConfidentialityNotice + (letter.From.Phone is { } phone ? $" Phone {phone}." : ""));
        var pages = writer.PageCount;
        return new RenderedPdf(writer.ToPdf(), pages);
    }

    /// <summary>"Referral received Sep 10, 2026 · evaluated Sep 14, 2026 · discharged Nov 8, 2026 · 19 visits · ICD-10-CM M17.11".</summary>
    public static string Timeline(LetterEpisode e)
    {
        var parts = new List<string> { $"Referral received {Short(e.ReceivedOn)}", $"evaluated {Short(e.EvaluatedOn)}" };
        if (e.DischargedOn is { } discharged) parts.Add($"discharged {Short(discharged)}");
        parts.Add($"{e.VisitCount} visit{(e.VisitCount == 1 ? "" : "s")}");
        if (e.DiagnosisCodes is { } codes) parts.Add($"ICD-10-CM {codes.Replace(",", ", ", StringComparison.Ordinal)}");
        return string.Join(" · ", parts);
    }

    private static void Letterhead(PdfPageWriter writer, LetterSender from)
    {
        var top = writer.Y;
        writer.DrawText(from.PracticeName, writer.Left, top, TextStyle.Heading1, bold: true);
        writer.DrawText(from.ClinicName, writer.Left, top + 24, TextStyle.Body);
        var lines = from.AddressLines.ToList();
        var numbers = string.Join("   ", new[] { from.Phone is null ? null : "Phone " + from.Phone, from.Fax is null ? null : "Fax " + from.Fax }.Where(n => n is not null));
        if (numbers.Length > 0) lines.Add(numbers);
        for (var i = 0; i < lines.Count; i++)
        {
            writer.DrawText(lines[i], writer.Left, top + 2 + i * 12, TextStyle.Small, align: ColumnAlign.Right, width: writer.ContentWidth);
        }
        writer.MoveTo(top + Math.Max(40, 6 + lines.Count * 12));
        writer.HorizontalRule();
        writer.Space(8);
    }

    private static void Outcomes(PdfPageWriter writer, LetterContent letter)
    {
        if (letter.Outcomes.Count == 0)
        {
            writer.Paragraph([new TextRun(LetterOutcomeTable.NoForms, Italic: true)]);
            return;
        }
        var table = LetterOutcomeTable.For(letter.Kind, letter.Outcomes);
        writer.Table([.. table.Headers.Select((h, i) => new TableColumn(h, table.Widths[i]))],
            table.Rows.Select(r => new TableRow(r)));
    }

    private static string Short(DateOnly? date) => date?.ToString("MMM d, yyyy", CultureInfo.InvariantCulture) ?? "—";
}
