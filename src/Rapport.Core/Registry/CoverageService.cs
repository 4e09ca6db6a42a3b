using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Sources;

namespace Rapport.Registry;

/// <summary>
/// One specialty group around one clinic (definitions: docs/coverage.md). Every count is of registry
/// physicians (individual, active NPIs) within the radius; a physician is "referring" when a source of
/// this practice has the NPI and at least one referral received in the last 12 months, a "prospect"
/// when such a source has status Prospect and is not referring, and "neither" otherwise.
/// </summary>
/// <param name="Neither">Neither referring nor a prospect: physicians − referring − prospects.</param>
/// <param name="NotYetSources">Of <paramref name="Neither"/>, those the practice has no source for at all: the untouched niche.</param>
/// <param name="Referrals12m">Referrals received in the last 12 months from the referring physicians of this row.</param>
/// <param name="ReferralsPerReferringPhysician">Referrals12m / Referring, one decimal; null when nobody refers.</param>
/// <param name="ReferringShare">The share of physicians who refer, 0–1; null when the radius holds none.</param>
public sealed record CoverageRow(
    string Group,
    int Physicians,
    int Referring,
    int Prospects,
    int Neither,
    int NotYetSources,
    int Referrals12m,
    double? ReferralsPerReferringPhysician,
    double? ReferringShare);

/// <summary>One clinic's coverage. <see cref="Located"/> is false when its ZIP is missing or unknown (then no rows).</summary>
public sealed record ClinicCoverage(int ClinicId, string ClinicName, string? Zip, bool Located, string? Note, IReadOnlyList<CoverageRow> Rows);

/// <param name="ReferralsFrom">The referral window: received after this day (exclusive) up to <paramref name="AsOf"/>.</param>
/// <param name="RegistryImported">False until an NPI registry is imported (rapport import nppes): every count is then 0.</param>
public sealed record CoverageReport(
    DateOnly AsOf,
    double RadiusMiles,
    DateOnly ReferralsFrom,
    string SortRule,
    bool RegistryImported,
    IReadOnlyList<ClinicCoverage> Clinics);

/// <summary>
/// The coverage view: per clinic and PT referral group (<see cref="SpecialtyCatalog.Categories"/>), how
/// many physicians of the registry practise within the radius of the clinic's ZIP, how many of them
/// refer, how many are prospects and how many neither — so a manager sees which niche is under-served.
/// </summary>
public sealed class CoverageService(RapportDbContext db, PracticeClock time)
{
    public const double DefaultRadiusMiles = 10;
    public const double MaxRadiusMiles = 100;

    public const string SortRule =
        "Most physicians not yet sources first; then fewest referring; then the group name.";

    /// <summary>A clinic of this practice by id or name (case-insensitive), for the CLI's --clinic; null for none given.</summary>
    public async Task<int?> ResolveClinicAsync(string? text, CancellationToken cancellationToken = default)
    {
        if (Formats.Clean(text) is not { } clinic)
        {
            return null;
        }
        var found = int.TryParse(clinic, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? await db.Clinics.AsNoTracking().Where(c => c.Id == id).Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken)
            : await db.Clinics.AsNoTracking().Where(c => c.Name.ToLower() == clinic.ToLower()).Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken);
        return found ?? throw new ValidationException("clinic", $"No clinic of this practice has id or name '{clinic}'.");
    }

    public async Task<CoverageReport> ReportAsync(int? clinicId, double? radiusMiles, CancellationToken cancellationToken = default)
    {
        var radius = radiusMiles ?? DefaultRadiusMiles;
        if (double.IsNaN(radius) || radius <= 0 || radius > MaxRadiusMiles)
        {
            throw new ValidationException("radius", $"The radius must be more than 0 and at most {MaxRadiusMiles:0} miles.");
        }
        var clinics = await db.Clinics.AsNoTracking()
            .Where(c => c.ArchivedAt == null || c.Id == clinicId)
            .Where(c => clinicId == null || c.Id == clinicId)
            .OrderBy(c => c.Name).ToListAsync(cancellationToken);
        if (clinicId is { } id && clinics.Count == 0)
        {
            throw new NotFoundException($"Clinic {id}");
        }

        var today = time.Today();
        var since = today.AddMonths(-12);
        // The practice's sources with an NPI (archived too: their referrals happened), and each one's
        // referrals in the window: a few thousand rows at most, read once for every clinic.
        var sources = await db.Sources.AsNoTracking().Where(s => s.Npi != null)
            .Select(s => new { s.Id, s.Npi, s.Status }).ToListAsync(cancellationToken);
        var referrals = await db.Referrals.AsNoTracking()
            .Where(r => r.SourceId != null && r.ReceivedOn > since && r.ReceivedOn <= today)
            .GroupBy(r => r.SourceId!.Value).Select(g => new { SourceId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.SourceId, g => g.Count, cancellationToken);
        var byNpi = new Dictionary<string, (SourceStatus Status, int Referrals)>(StringComparer.Ordinal);
        foreach (var s in sources)
        {
            // NPIs are unique per practice; should two rows ever share one, their referrals add up.
            var count = referrals.GetValueOrDefault(s.Id);
            byNpi[s.Npi!] = byNpi.TryGetValue(s.Npi!, out var seen) ? (seen.Status, seen.Referrals + count) : (s.Status, count);
        }

        var groups = SpecialtyCatalog.Categories;
        var groupOfCode = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            foreach (var code in NuccTaxonomy.CodesOfGroup(group))
            {
                groupOfCode.TryAdd(code, group);
            }
        }

        var result = new List<ClinicCoverage>(clinics.Count);
        foreach (var clinic in clinics)
        {
            if (RegistryArea.LocationOf(clinic) is not { } centre)
            {
                result.Add(new ClinicCoverage(clinic.Id, clinic.Name, clinic.Zip, false,
                    Formats.Clean(clinic.Zip) is { } zip
                        ? $"ZIP {zip} has no Census ZIP code area, so distances cannot be measured from it (Settings → Clinics)."
                        : "The clinic has no ZIP code: set it in Settings → Clinics to measure distances from it.",
                    []));
                continue;
            }
            var near = await RegistryArea.NearAsync(db, centre, radius, groupOfCode.Keys, cancellationToken);
            var rows = groups.Select(group => Row(group,
                    near.Where(n => n.Provider.EntityType == RegistryEntityType.Individual && groupOfCode[n.Provider.TaxonomyCode!] == group),
                    byNpi))
                .OrderByDescending(r => r.NotYetSources).ThenBy(r => r.Referring).ThenBy(r => r.Group, StringComparer.Ordinal)
                .ToList();
            result.Add(new ClinicCoverage(clinic.Id, clinic.Name, clinic.Zip, true, null, rows));
        }
        return new CoverageReport(today, radius, since, SortRule, await db.RegistryProviders.AnyAsync(cancellationToken), result);
    }

    private static CoverageRow Row(string group, IEnumerable<NearbyProvider> physicians, Dictionary<string, (SourceStatus Status, int Referrals)> byNpi)
    {
        int total = 0, referring = 0, prospects = 0, notSources = 0, referrals = 0;
        foreach (var physician in physicians)
        {
            total++;
            if (!byNpi.TryGetValue(physician.Provider.Npi, out var source))
            {
                notSources++;
            }
            else if (source.Referrals > 0)
            {
                referring++;
                referrals += source.Referrals;
            }
            else if (source.Status == SourceStatus.Prospect)
            {
                prospects++;
            }
        }
        return new CoverageRow(group, total, referring, prospects, total - referring - prospects, notSources, referrals,
            referring == 0 ? null : Math.Round((double)referrals / referring, 1),
            total == 0 ? null : Math.Round((double)referring / total, 3));
    }
}
