using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Imports;

namespace Rapport.Nps;

/// <summary>An answer collected by another survey tool.</summary>
public sealed record NpsImportRow
{
    /// <summary>The other tool's response id: re-importing skips rows already imported.</summary>
    public string? ExternalId { get; init; }
    public DateOnly? RespondedOn { get; init; }
    public int? Score { get; init; }
    public string? Comment { get; init; }
    /// <summary>Links the answer to an episode (referral external id), which supplies clinic, therapist, source and payer.</summary>
    public string? ReferralExternalId { get; init; }
    public bool ShareWithPhysician { get; init; }
}

public sealed record NpsImportResult(int Imported, int AlreadyImported);

/// <summary>All or nothing: any bad row rejects the whole batch, each problem keyed <c>rows[i].field</c> (CSV: <c>line N</c>).</summary>
public sealed class NpsImport(RapportDbContext db, SurveyResponses responses, PracticeClock time)
{
    public static readonly string[] CsvColumns = ["external_id", "responded_on", "score", "comment", "referral_external_id", "share_with_physician"];

    public Task<NpsImportResult> ImportAsync(IReadOnlyList<NpsImportRow> rows, CancellationToken cancellationToken = default) =>
        ImportAsync(rows, i => $"rows[{i}]", cancellationToken);

    private async Task<NpsImportResult> ImportAsync(IReadOnlyList<NpsImportRow> rows, Func<int, string> keyOf, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var today = time.Today();
        var referralIds = rows.Select(r => Formats.Clean(r.ReferralExternalId)).OfType<string>().Distinct().ToList();
        var episodes = await db.Referrals.Where(r => r.ExternalId != null && referralIds.Contains(r.ExternalId))
            .Select(r => new { r.Id, r.ExternalId, r.ClinicId, r.Therapist, r.SourceId, r.PayerCategory }).ToDictionaryAsync(r => r.ExternalId!, cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var key = keyOf(i);
            if (Formats.Clean(row.ExternalId) is not { } id) problems.Add($"{key}.externalId", "The response id is required (it keeps re-imports from duplicating).");
            else if (!seen.Add(id)) problems.Add($"{key}.externalId", $"Response id '{id}' appears twice.");
            if (row.Score is not { } score || !NpsScore.IsValidAnswer(score)) problems.Add($"{key}.score", "Score must be a whole number from 0 to 10.");
            if (row.RespondedOn is null) problems.Add($"{key}.respondedOn", "The answer date is required.");
            problems.NotInFuture($"{key}.respondedOn", row.RespondedOn, today, "Answer date");
            if (row.Comment?.Length > 2000) problems.Add($"{key}.comment", "The comment can be at most 2000 characters.");
            if (Formats.Clean(row.ReferralExternalId) is { } referral && !episodes.ContainsKey(referral))
            {
                problems.Add($"{key}.referralExternalId", $"No referral has external id '{referral}'.");
            }
        }
        problems.ThrowIfAny();

        var existing = (await db.Set<NpsResponse>().Where(r => r.ExternalId != null && seen.Contains(r.ExternalId)).Select(r => r.ExternalId!)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var added = new List<NpsResponse>();
        foreach (var row in rows.Where(r => !existing.Contains(r.ExternalId!.Trim())))
        {
            var episode = Formats.Clean(row.ReferralExternalId) is { } referral ? episodes[referral] : null;
            var response = new NpsResponse
            {
                ExternalId = row.ExternalId!.Trim(),
                ReferralId = episode?.Id,
                ClinicId = episode?.ClinicId,
                Therapist = episode?.Therapist,
                SourceId = episode?.SourceId,
                PayerCategory = episode?.PayerCategory,
                Score = row.Score!.Value,
                Comment = Formats.Clean(row.Comment),
                ShareWithPhysician = row.ShareWithPhysician && Formats.Clean(row.Comment) is not null,
                RespondedOn = row.RespondedOn!.Value,
                CreatedAt = now,
                Origin = ResponseOrigin.Import,
            };
            db.Add(response);
            added.Add(response);
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var response in added)
        {
            await responses.OpenFollowUpIfDetractorAsync(response, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new NpsImportResult(added.Count, rows.Count - added.Count);
    }

    /// <summary>CSV with a header row naming <see cref="CsvColumns"/> (any order; only external_id, responded_on and score are required).</summary>
    public async Task<NpsImportResult> ImportCsvAsync(TextReader csv, CancellationToken cancellationToken = default)
    {
        var reader = new CsvRecordReader(csv);
        var header = reader.Read() ?? throw new ValidationException("file", "The file is empty.");
        var columns = header.Fields.Select((name, index) => (Name: name.Trim().ToLowerInvariant(), index)).ToDictionary(c => c.Name, c => c.index);
        foreach (var required in CsvColumns.Take(3).Where(c => !columns.ContainsKey(c)))
        {
            throw new ValidationException("file", $"The header has no '{required}' column (expected {string.Join(", ", CsvColumns)}).");
        }
        var rows = new List<NpsImportRow>();
        var lines = new List<int>();
        var problems = new Problems();
        string? Cell(CsvRecord record, string column) => columns.TryGetValue(column, out var i) && i < record.Fields.Length ? Formats.Clean(record.Fields[i]) : null;
        while (reader.Read() is { } record)
        {
            var scoreText = Cell(record, "score");
            var dateText = Cell(record, "responded_on");
            int? score = int.TryParse(scoreText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
            DateOnly? date = DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            if (scoreText is not null && score is null) problems.Add($"line {record.Line}.score", $"'{scoreText}' is not a whole number from 0 to 10.");
            if (dateText is not null && date is null) problems.Add($"line {record.Line}.respondedOn", $"'{dateText}' is not a date (YYYY-MM-DD).");
            rows.Add(new NpsImportRow
            {
                ExternalId = Cell(record, "external_id"),
                RespondedOn = date,
                Score = score ?? (scoreText is null ? null : -1),
                Comment = Cell(record, "comment"),
                ReferralExternalId = Cell(record, "referral_external_id"),
                ShareWithPhysician = Cell(record, "share_with_physician")?.ToLowerInvariant() is "yes" or "y" or "true" or "1",
            });
            lines.Add(record.Line);
        }
        problems.ThrowIfAny();
        return await ImportAsync(rows, i => $"line {lines[i]}", cancellationToken);
    }
}
