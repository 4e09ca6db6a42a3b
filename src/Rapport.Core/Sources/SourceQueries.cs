using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Referrals;
using Rapport.Touchpoints;

namespace Rapport.Sources;

/// <summary>
/// Reads of referral sources and their metrics. The UI, the API and the CLI all call these. Sources
/// are not patient data, but a source's details list the patients it referred and was referred
/// back: that read is audited here (<see cref="Audit.PatientDataAudit"/>), as are exports of the list.
/// </summary>
public sealed class SourceQueries(RapportDbContext db, PracticeClock time, SourceListRanking ranking, Users.StaffNames staff, Audit.PatientDataAudit patientReads, Audit.AuditTrail audit,
    PracticeReadCache cache)
{
    /// <summary>
    /// One page of the list. A page is the same for everyone in the practice until its data changes or
    /// the day turns (the 90-day and 12-month counts), so it is cached on exactly that
    /// (<see cref="PracticeReadCache"/>): the list's pages, API and CLI share it.
    /// </summary>
    public Task<Paged<SourceSummary>> ListAsync(SourceListQuery query, CancellationToken cancellationToken = default) =>
        cache.GetOrComputeAsync(("sources", time.Today(), query with { ExportFormat = null }), ct => ComputeListAsync(query, ct), cancellationToken);

    private async Task<Paged<SourceSummary>> ComputeListAsync(SourceListQuery query, CancellationToken cancellationToken)
    {
        var (page, pageSize) = Paging.Clamp(query.Page, query.PageSize);
        var sources = Filter(query);
        var total = await sources.CountAsync(cancellationToken);
        var skip = (page - 1) * pageSize;
        if (query.Sort is SourceSort.Name or SourceSort.Specialty or SourceSort.Status)
        {
            // Sorting on a profile column: the page's ids first, from the sources alone, then metrics for
            // those rows only (with the metrics in the same statement, SQLite may compute them for every
            // source it sorts or skips over).
            var pageIds = await SortProfiles(sources, query.Sort, query.Descending).Skip(skip).Take(pageSize).Select(s => s.Id).ToListAsync(cancellationToken);
            var pageRows = (await Project(sources.Where(s => pageIds.Contains(s.Id))).ToListAsync(cancellationToken)).ToDictionary(r => r.Id);
            return new Paged<SourceSummary>(pageIds.Select(id => ToSummary(pageRows[id])).ToList(), total, page, pageSize);
        }
        // Sorting on a metric: the maintained ranking gives the page's ids, then all metrics are
        // computed live for the page's sources only (so the numbers shown are always today's).
        var ids = await PageIdsByMetricAsync(sources, query.Sort, query.Descending, skip, pageSize, cancellationToken);
        var rows = await Project(sources.Where(s => ids.Contains(s.Id))).ToListAsync(cancellationToken);
        var byId = rows.ToDictionary(r => r.Id);
        return new Paged<SourceSummary>(ids.Select(id => ToSummary(byId[id])).ToList(), total, page, pageSize);
    }

    /// <summary>
    /// The page's source ids in metric order, read from the maintained <see cref="SourceListMetric"/>
    /// rows: an index range in (metric, id) order joined to the filtered sources, stopping after one
    /// page. The rows are first brought up to date for today (see <see cref="SourceListRanking"/>).
    /// </summary>
    private async Task<List<int>> PageIdsByMetricAsync(IQueryable<ReferralSource> sources, SourceSort sort, bool descending, int skip, int take,
        CancellationToken cancellationToken)
    {
        await ranking.RefreshAsync(cancellationToken);
        var metrics = from s in sources join m in db.SourceListMetrics on s.Id equals m.SourceId select m;
        // A missing date is stored as day 0, the smallest: "longest ago" in both directions, as before.
        // Most recent first means fewest days since.
        var ordered = sort switch
        {
            SourceSort.ActivePatients => descending ? metrics.OrderByDescending(m => m.ActivePatients) : metrics.OrderBy(m => m.ActivePatients),
            SourceSort.Referrals90d => descending ? metrics.OrderByDescending(m => m.Referrals90d) : metrics.OrderBy(m => m.Referrals90d),
            SourceSort.Referrals12m => descending ? metrics.OrderByDescending(m => m.Referrals12m) : metrics.OrderBy(m => m.Referrals12m),
            SourceSort.ReferBacks12m => descending ? metrics.OrderByDescending(m => m.ReferBacks12m) : metrics.OrderBy(m => m.ReferBacks12m),
            SourceSort.LastTouchAt => descending ? metrics.OrderByDescending(m => m.LastTouchDay) : metrics.OrderBy(m => m.LastTouchDay),
            SourceSort.DaysSinceTouch => descending ? metrics.OrderBy(m => m.LastTouchDay) : metrics.OrderByDescending(m => m.LastTouchDay),
            SourceSort.LastReferBackAt => descending ? metrics.OrderByDescending(m => m.LastReferBackDay) : metrics.OrderBy(m => m.LastReferBackDay),
            _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, null),
        };
        return await ordered.ThenBy(m => m.SourceId).Skip(skip).Take(take).Select(m => m.SourceId).ToListAsync(cancellationToken);
    }

    /// <summary>Every source matching the filters, unpaged (for exports and the CLI).</summary>
    public async Task<IReadOnlyList<SourceSummary>> AllAsync(SourceListQuery query, CancellationToken cancellationToken = default)
    {
        var rows = await Sort(Project(Filter(query)), query.Sort, query.Descending).ToListAsync(cancellationToken);
        if (query.ExportFormat is { } format)
        {
            await audit.RecordAsync(Audit.AuditTrail.Exported, nameof(ReferralSource), null,
                $"{rows.Count} sources as {(format.All(char.IsAsciiLetter) ? format.ToLowerInvariant() : "file")}", cancellationToken);
        }
        return rows.Select(ToSummary).ToList();
    }

    /// <summary>Finds a source by NPI (ten digits) or by id.</summary>
    public async Task<int?> ResolveAsync(string npiOrId, CancellationToken cancellationToken = default)
    {
        var key = npiOrId.Trim();
        if (key.Length == 10 && key.All(char.IsAsciiDigit))
        {
            var byNpi = await db.Sources.Where(s => s.Npi == key).Select(s => (int?)s.Id).FirstOrDefaultAsync(cancellationToken);
            if (byNpi is not null)
            {
                return byNpi;
            }
        }
        return int.TryParse(key, out var id) && await db.Sources.AnyAsync(s => s.Id == id, cancellationToken) ? id : null;
    }

    public async Task<SourceSummary?> SummaryAsync(int id, CancellationToken cancellationToken = default)
    {
        var row = await Project(db.Sources.Where(s => s.Id == id)).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToSummary(row);
    }

    /// <summary>The source's own fields only (for its edit form): no metrics, no patients, so no audited read.</summary>
    public Task<ReferralSource?> ProfileAsync(int id, CancellationToken cancellationToken = default) =>
        db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);

    public async Task<SourceDetails?> DetailsAsync(int id, int months = 24, CancellationToken cancellationToken = default)
    {
        var profile = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (profile is null)
        {
            return null;
        }
        var metrics = (await SummaryAsync(id, cancellationToken))!;
        var today = time.Today();
        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-(months - 1));
        var received = await db.Referrals.Where(r => r.SourceId == id && r.ReceivedOn >= firstMonth)
            .Select(r => r.ReceivedOn).ToListAsync(cancellationToken);
        var monthly = Enumerable.Range(0, months)
            .Select(i => firstMonth.AddMonths(i))
            .Select(m => new MonthCount(MonthPeriod.Of(m, today), received.Count(d => d.Year == m.Year && d.Month == m.Month)))
            .ToList();

        var touchRows = await db.Touchpoints.Where(t => t.SourceId == id)
            .OrderByDescending(t => t.OccurredOn).ThenByDescending(t => t.Id).Take(100)
            .Select(t => new { Entry = new TouchLogEntry(t.Id, t.OccurredOn, t.Method, t.Purpose, t.Notes, t.ByName, t.CampaignId, t.Campaign!.Name, t.FollowUpOn), t.ByUserId })
            .ToListAsync(cancellationToken);
        // A touch names its maker by user id, by the e-mail they acted as (letters, report cards) or as typed (imports).
        var names = await staff.BookAsync(cancellationToken);
        var touches = touchRows.Select(t => t.Entry with { By = names.Show(t.Entry.By, t.ByUserId) }).ToList();
        var referBacks = await db.ReferralsOut.Where(o => o.ToSourceId == id)
            .OrderByDescending(o => o.SentOn).ThenByDescending(o => o.Id).Take(100)
            .Select(o => new ReferBackEntry(o.Id, o.SentOn, o.PatientId,
                o.Patient == null ? null : o.Patient.LastName + ", " + o.Patient.FirstName, o.Reason, o.Notes))
            .ToListAsync(cancellationToken);
        var patients = await db.Referrals.Where(r => r.SourceId == id)
            .OrderBy(r => r.Status == ReferralStatus.Evaluated ? 0 : r.Status == ReferralStatus.Scheduled || r.Status == ReferralStatus.Received ? 1 : 2)
            .ThenByDescending(r => r.ReceivedOn).Take(200)
            .Select(r => new SourcePatientEntry(r.PatientId, r.Patient!.LastName + ", " + r.Patient.FirstName, r.Id, r.ReceivedOn, r.Status,
                r.Clinic!.Name, r.Status == ReferralStatus.Evaluated))
            .ToListAsync(cancellationToken);
        var owner = profile.OwnerUserId is null ? null
            : await db.Users.Where(u => u.Id == profile.OwnerUserId && u.OrganizationId == profile.OrganizationId)
                .Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(cancellationToken);
        var ownerName = owner is null ? null : Users.UserNames.Display(owner.DisplayName, owner.Email);
        var clinicName = profile.ClinicId is null ? null
            : await db.Clinics.Where(c => c.Id == profile.ClinicId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken);
        await patientReads.ListedAsync(nameof(Referral), patients.Count + referBacks.Count(o => o.PatientId is not null),
            Audit.PatientDataAudit.Scope(null, null, ("patients of sourceId", id)), cancellationToken);
        return new SourceDetails(profile, metrics, monthly, touches, referBacks, patients, ownerName, clinicName);
    }

    private IQueryable<ReferralSource> Filter(SourceListQuery query)
    {
        var sources = db.Sources.AsQueryable();
        if (!query.IncludeArchived)
        {
            sources = sources.Where(s => s.ArchivedAt == null);
        }
        if (Formats.Clean(query.Search) is { } search)
        {
            var term = search.ToLowerInvariant();
            sources = SearchIndexCandidates(sources, term).Where(s =>
                (s.FirstName + " " + s.LastName).ToLower().Contains(term)
                || (s.Npi != null && s.Npi.StartsWith(term))
                || (s.PracticeName != null && s.PracticeName.ToLower().Contains(term)));
        }
        if (query.Status is { } status)
        {
            sources = sources.Where(s => s.Status == status);
        }
        if (Formats.Clean(query.Specialty) is { } specialty)
        {
            sources = sources.Where(s => s.Specialty == specialty);
        }
        if (Formats.Clean(query.OwnerUserId) is { } owner)
        {
            sources = sources.Where(s => s.OwnerUserId == owner);
        }
        if (query.ClinicId is { } clinicId)
        {
            sources = sources.Where(s => s.ClinicId == clinicId);
        }
        return sources;
    }

    /// <summary>
    /// Narrows a search to the sources its index can match, so the exact rule above (which stays
    /// the definition of a match) reads a few rows instead of every source. SQLite: the FTS5 trigram
    /// table "SourceSearch" (name, NPI, practice; case folded), a superset of the rule's matches.
    /// PostgreSQL: the same rule as LIKE on the expressions its pg_trgm GIN indexes cover. Both need
    /// three characters; a shorter term reads every source as before.
    /// </summary>
    private IQueryable<ReferralSource> SearchIndexCandidates(IQueryable<ReferralSource> sources, string term)
    {
        if (term.EnumerateRunes().Count() < 3)
        {
            return sources;
        }
        if (db.Database.IsSqlite())
        {
            // One FTS5 phrase: the term as a string, its quotes doubled.
            var phrase = "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            var matches = db.Database.SqlQuery<int>($"""SELECT rowid AS "Value" FROM "SourceSearch" WHERE "SourceSearch" MATCH {phrase}""");
            return sources.Where(s => matches.Contains(s.Id));
        }
        var literal = term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        var inside = "%" + literal + "%";
        var prefix = literal + "%";
        return sources.Where(s =>
            EF.Functions.Like((s.FirstName + " " + s.LastName).ToLower(), inside, "\\")
            || EF.Functions.Like(s.Npi, prefix, "\\")
            || EF.Functions.Like(s.PracticeName!.ToLower(), inside, "\\"));
    }

    /// <summary>Per-source metrics as correlated subqueries, so sorting and paging happen in the database.</summary>
    private IQueryable<SourceRow> Project(IQueryable<ReferralSource> sources)
    {
        var today = time.Today();
        var since90d = today.AddDays(-90);
        var since12m = today.AddMonths(-12);
        return sources.Select(s => new SourceRow
        {
            Id = s.Id,
            Npi = s.Npi,
            FirstName = s.FirstName,
            LastName = s.LastName,
            Credential = s.Credential,
            Specialty = s.Specialty,
            Status = s.Status,
            PracticeName = s.PracticeName,
            ClinicId = s.ClinicId,
            OwnerUserId = s.OwnerUserId,
            Archived = s.ArchivedAt != null,
            ActivePatients = db.Referrals.Where(r => r.SourceId == s.Id && r.Status == ReferralStatus.Evaluated).Select(r => r.PatientId).Distinct().Count(),
            Referrals90d = db.Referrals.Count(r => r.SourceId == s.Id && r.ReceivedOn > since90d),
            Referrals12m = db.Referrals.Count(r => r.SourceId == s.Id && r.ReceivedOn > since12m),
            LastTouchAt = db.Touchpoints.Where(t => t.SourceId == s.Id).Max(t => (DateOnly?)t.OccurredOn),
            LastTouchMethod = db.Touchpoints.Where(t => t.SourceId == s.Id)
                .OrderByDescending(t => t.OccurredOn).ThenByDescending(t => t.Id).Select(t => (TouchMethod?)t.Method).FirstOrDefault(),
            ReferBacks12m = db.ReferralsOut.Count(o => o.ToSourceId == s.Id && o.SentOn > since12m),
            LastReferBackAt = db.ReferralsOut.Where(o => o.ToSourceId == s.Id).Max(o => (DateOnly?)o.SentOn),
        });
    }

    /// <summary>The profile-column orders of <see cref="Sort"/>, on the sources themselves.</summary>
    private static IQueryable<ReferralSource> SortProfiles(IQueryable<ReferralSource> sources, SourceSort sort, bool descending)
    {
        var ordered = sort switch
        {
            SourceSort.Specialty => descending ? sources.OrderByDescending(s => s.Specialty) : sources.OrderBy(s => s.Specialty),
            SourceSort.Status => descending ? sources.OrderByDescending(s => s.Status) : sources.OrderBy(s => s.Status),
            _ => descending ? sources.OrderByDescending(s => s.LastName).ThenByDescending(s => s.FirstName) : sources.OrderBy(s => s.LastName).ThenBy(s => s.FirstName),
        };
        return ordered.ThenBy(s => s.Id);
    }

    private static IQueryable<SourceRow> Sort(IQueryable<SourceRow> rows, SourceSort sort, bool descending)
    {
        // Missing dates sort as "longest ago" in every database (SQLite and PostgreSQL disagree on NULL order).
        IOrderedQueryable<SourceRow> ordered = sort switch
        {
            SourceSort.Specialty => descending ? rows.OrderByDescending(r => r.Specialty) : rows.OrderBy(r => r.Specialty),
            SourceSort.Status => descending ? rows.OrderByDescending(r => r.Status) : rows.OrderBy(r => r.Status),
            SourceSort.ActivePatients => descending ? rows.OrderByDescending(r => r.ActivePatients) : rows.OrderBy(r => r.ActivePatients),
            SourceSort.Referrals90d => descending ? rows.OrderByDescending(r => r.Referrals90d) : rows.OrderBy(r => r.Referrals90d),
            SourceSort.Referrals12m => descending ? rows.OrderByDescending(r => r.Referrals12m) : rows.OrderBy(r => r.Referrals12m),
            SourceSort.ReferBacks12m => descending ? rows.OrderByDescending(r => r.ReferBacks12m) : rows.OrderBy(r => r.ReferBacks12m),
            SourceSort.LastTouchAt => descending
                ? rows.OrderBy(r => r.LastTouchAt == null).ThenByDescending(r => r.LastTouchAt)
                : rows.OrderByDescending(r => r.LastTouchAt == null).ThenBy(r => r.LastTouchAt),
            SourceSort.DaysSinceTouch => descending
                ? rows.OrderByDescending(r => r.LastTouchAt == null).ThenBy(r => r.LastTouchAt)
                : rows.OrderBy(r => r.LastTouchAt == null).ThenByDescending(r => r.LastTouchAt),
            SourceSort.LastReferBackAt => descending
                ? rows.OrderBy(r => r.LastReferBackAt == null).ThenByDescending(r => r.LastReferBackAt)
                : rows.OrderByDescending(r => r.LastReferBackAt == null).ThenBy(r => r.LastReferBackAt),
            _ => descending ? rows.OrderByDescending(r => r.LastName).ThenByDescending(r => r.FirstName) : rows.OrderBy(r => r.LastName).ThenBy(r => r.FirstName),
        };
        return ordered.ThenBy(r => r.Id);
    }

    private SourceSummary ToSummary(SourceRow r)
    {
        var today = time.Today();
        return new SourceSummary(r.Id, r.Npi, SourceNames.Display(r.FirstName, r.LastName, r.Credential), r.Specialty, r.Status,
            r.PracticeName, r.ClinicId, r.OwnerUserId, r.ActivePatients, r.Referrals90d, r.Referrals12m, r.LastTouchAt, r.LastTouchMethod,
            r.LastTouchAt is { } touched ? today.DayNumber - touched.DayNumber : null, r.ReferBacks12m, r.LastReferBackAt, r.Archived);
    }

    private sealed class SourceRow
    {
        public int Id { get; init; }
        public string? Npi { get; init; }
        public string? FirstName { get; init; }
        public required string LastName { get; init; }
        public string? Credential { get; init; }
        public string? Specialty { get; init; }
        public SourceStatus Status { get; init; }
        public string? PracticeName { get; init; }
        public int? ClinicId { get; init; }
        public string? OwnerUserId { get; init; }
        public bool Archived { get; init; }
        public int ActivePatients { get; init; }
        public int Referrals90d { get; init; }
        public int Referrals12m { get; init; }
        public DateOnly? LastTouchAt { get; init; }
        public TouchMethod? LastTouchMethod { get; init; }
        public int ReferBacks12m { get; init; }
        public DateOnly? LastReferBackAt { get; init; }
    }
}
