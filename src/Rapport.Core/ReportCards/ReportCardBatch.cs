using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Sources;

namespace Rapport.ReportCards;

/// <summary>Which sources a batch covers: active, not archived, narrowed by the filters given.</summary>
public sealed record ReportCardBatchFilter
{
    /// <summary>Source ids or NPIs; empty means every active source.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
    /// <summary>The relationship owner's e-mail.</summary>
    public string? Owner { get; init; }
    /// <summary>The source's clinic, by id or name.</summary>
    public string? Clinic { get; init; }
}

public sealed record BatchSource(int Id, string Name, string? Npi, string FileName);

public sealed record BatchProgress(int Done, int Total, string? Current);

/// <summary>One generated card: its file name, PDF and summary line, and whether its touchpoint was new.</summary>
public sealed record GeneratedCard(BatchSource Source, ReportCard Card, byte[] Pdf, bool TouchAdded);

/// <summary>
/// Generates report cards for many sources in one scope, so the practice-wide figures are computed
/// once. Each card logs its touchpoint (once per source and period); the CLI writes files, the
/// background job stores rows, both through <see cref="RunAsync"/>.
/// </summary>
public sealed class ReportCardBatch(RapportDbContext db, ReportCardService cards, ReportCardPrinter printer)
{
    public async Task<IReadOnlyList<BatchSource>> SelectAsync(ReportCardBatchFilter filter, CancellationToken cancellationToken = default)
    {
        var sources = db.Sources.AsNoTracking().Where(s => s.Status == SourceStatus.Active && s.ArchivedAt == null);
        var problems = new Problems();
        if (filter.Sources.Count > 0)
        {
            var ids = new List<int>();
            var npis = new List<string>();
            foreach (var value in filter.Sources.Select(v => v.Trim()).Where(v => v.Length > 0))
            {
                if (value.Length == 10 && value.All(char.IsAsciiDigit))
                {
                    npis.Add(value);
                }
                else if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    ids.Add(id);
                }
                else
                {
                    problems.Add("source", $"'{value}' is neither a source id nor a 10-digit NPI.");
                }
            }
            var known = await db.Sources.AsNoTracking().Where(s => ids.Contains(s.Id) || (s.Npi != null && npis.Contains(s.Npi)))
                .Select(s => new { s.Id, s.Npi }).ToListAsync(cancellationToken);
            foreach (var missing in ids.Where(i => known.All(k => k.Id != i)).Select(i => i.ToString(CultureInfo.InvariantCulture))
                .Concat(npis.Where(n => known.All(k => k.Npi != n))))
            {
                problems.Add("source", $"No source has the id or NPI {missing}.");
            }
            var chosen = known.Select(k => k.Id).ToList();
            sources = sources.Where(s => chosen.Contains(s.Id));
        }
        if (Formats.Clean(filter.Owner) is { } owner)
        {
            var normalized = owner.ToUpperInvariant();
            var organizationId = db.Organization.RequiredId;
            var userId = await db.Users.Where(u => u.OrganizationId == organizationId && u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
            if (userId is null)
            {
                problems.Add("owner", $"No user of this practice has the e-mail {owner}.");
            }
            sources = sources.Where(s => s.OwnerUserId == userId);
        }
        if (Formats.Clean(filter.Clinic) is { } clinic)
        {
            var clinicId = int.TryParse(clinic, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? await db.Clinics.Where(c => c.Id == id).Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken)
                : await db.Clinics.Where(c => c.Name.ToLower() == clinic.ToLower()).Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken);
            if (clinicId is null)
            {
                problems.Add("clinic", $"No clinic has the id or name '{clinic}'.");
            }
            sources = sources.Where(s => s.ClinicId == clinicId);
        }
        problems.ThrowIfAny();
        var rows = await sources.OrderBy(s => s.LastName).ThenBy(s => s.FirstName).ThenBy(s => s.Id)
            .Select(s => new { s.Id, s.FirstName, s.LastName, s.Credential, s.Npi }).ToListAsync(cancellationToken);
        return [.. rows.Select(s => new BatchSource(s.Id, SourceNames.Display(s.FirstName, s.LastName, s.Credential), s.Npi, FileNameOf(s.Id, s.LastName, s.FirstName)))];
    }

    /// <summary>Builds, prints and logs each source's card in turn and hands it to <paramref name="sink"/>.</summary>
    public async Task RunAsync(IReadOnlyList<BatchSource> sources, DateOnly from, DateOnly to, Func<GeneratedCard, CancellationToken, Task> sink,
        IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var settings = await cards.SettingsAsync(cancellationToken);
        for (var i = 0; i < sources.Count; i++)
        {
            progress?.Report(new BatchProgress(i, sources.Count, sources[i].Name));
            var printed = await printer.PrintAsync(sources[i].Id, from, to, settings, cancellationToken);
            await sink(new GeneratedCard(sources[i], printed.Card, printed.Pdf, printed.TouchAdded), cancellationToken);
        }
        progress?.Report(new BatchProgress(sources.Count, sources.Count, null));
    }

    /// <summary>"house-gregory-1234.pdf": readable, unique by source id, safe on every file system.</summary>
    public static string FileNameOf(int id, string lastName, string? firstName)
    {
        var slug = new StringBuilder();
        foreach (var c in $"{lastName}-{firstName}".ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        var name = slug.ToString().Trim('-');
        return string.Create(CultureInfo.InvariantCulture, $"{(name.Length > 60 ? name[..60] : name)}-{id}.pdf");
    }
}

/// <summary>summary.csv: one line per card with the figures as printed (suppressed cells read "fewer than N").</summary>
public static class ReportCardSummaryCsv
{
    public const string Header =
        "source_id,npi,name,file,period_from,period_to,referrals,scheduled,evaluated,median_days_to_evaluation,visits_per_episode,completed_plan,nps,nps_responses,outcome_rows,touch_logged,period_partial";

    public static string Line(GeneratedCard generated)
    {
        var (card, r) = (generated.Card, generated.Card.Referrals);
        string?[] cells =
        [
            card.Source.Id.ToString(CultureInfo.InvariantCulture), card.Source.Npi, card.Source.Name, generated.Source.FileName,
            card.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), card.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            r.Received.ToString(CultureInfo.InvariantCulture), r.Scheduled.Yours.Display, r.Evaluated.Yours.Display, r.MedianDaysToEvaluation.Yours.Display,
            r.VisitsPerEpisode.Yours.Display, r.CompletedPlan.Yours.Display, card.Nps.Yours.Display,
            card.Nps.Yours.Suppressed ? card.Nps.Yours.Display : card.Nps.Yours.N?.ToString(CultureInfo.InvariantCulture),
            card.Outcomes.Count.ToString(CultureInfo.InvariantCulture), generated.TouchAdded ? "new" : "already logged",
            // "true": the period is not over on the day the card was made, so its figures are to date.
            card.Partial ? "true" : "false",
        ];
        return string.Join(',', cells.Select(Common.CsvText.Escape));
    }
}
