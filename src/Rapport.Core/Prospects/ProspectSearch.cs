using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Registry;

namespace Rapport.Prospects;

/// <summary>What to look for: a clinic, specialty groups (empty = the clinic's niche preset) and a radius in miles.</summary>
public sealed record ProspectQuery
{
    public const double DefaultRadiusMiles = 10;
    public const double MinRadiusMiles = 1;
    public const double MaxRadiusMiles = 100;

    /// <summary>A clinic id, or (CLI) its name.</summary>
    public string? Clinic { get; init; }
    public IReadOnlyList<string> Specialties { get; init; } = [];
    public double? RadiusMiles { get; init; }

    /// <summary>
    /// Specialty values as the doors receive them: the parameter repeated, or several in one value separated
    /// by ';' (the export link's form; NUCC classifications contain commas, so ',' cannot separate).
    /// </summary>
    public static IReadOnlyList<string> SplitSpecialties(IEnumerable<string?> values) =>
        [.. values.OfType<string>().SelectMany(v => v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>A radius from text; a problem on <c>radius</c> when it is not a number.</summary>
    public static double? ParseRadius(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var miles) ? miles
        : throw new ValidationException("radius", $"'{text}' is not a number of miles.");
}

/// <summary>
/// The parts of a prospect's score, each between 0 and 1, and their weights (docs/prospects.md).
/// Score = 100 × (0.35 fit + 0.30 proximity + 0.15 group + 0.20 colleagues), one decimal.
/// </summary>
public sealed record ProspectScore(double Fit, double Proximity, double Group, double Colleagues)
{
    public const double FitWeight = 0.35, ProximityWeight = 0.30, GroupWeight = 0.15, ColleaguesWeight = 0.20;
    /// <summary>Fit of a specialty in the niche's main group; any other chosen group is a related specialty.</summary>
    public const double MainFit = 1.0, RelatedFit = 0.6;
    /// <summary>Group size counts in full from this many other physicians at the address.</summary>
    public const int FullGroupOthers = 4;
    /// <summary>Referring colleagues count in full from this many.</summary>
    public const int FullColleagues = 2;

    public double Total => Math.Round(100 * (FitWeight * Fit + ProximityWeight * Proximity + GroupWeight * Group + ColleaguesWeight * Colleagues), 1);

    /// <summary>Each part's points toward <see cref="Total"/>: "fit 35 + distance 27 + group 15 + colleagues 10".</summary>
    public string Explain() => string.Create(CultureInfo.InvariantCulture,
        $"fit {100 * FitWeight * Fit:0.#} + distance {100 * ProximityWeight * Proximity:0.#} + group {100 * GroupWeight * Group:0.#} + colleagues {100 * ColleaguesWeight * Colleagues:0.#}");

    public static ProspectScore Of(bool mainGroup, double miles, double radius, int groupSize, int referringColleagues) => new(
        mainGroup ? MainFit : RelatedFit,
        radius <= 0 ? 1 : Math.Clamp(1 - miles / radius, 0, 1),
        Math.Min(Math.Max(groupSize - 1, 0), FullGroupOthers) / (double)FullGroupOthers,
        Math.Min(referringColleagues, FullColleagues) / (double)FullColleagues);
}

/// <summary>One registry physician who is not a source of the practice yet, ranked.</summary>
public sealed record ProspectRow(
    int Rank,
    string Npi,
    string Name,
    string? Credential,
    string? TaxonomyCode,
    string Specialty,
    string Group,
    string? AddressLine1,
    string? AddressLine2,
    string? City,
    string? State,
    string? Zip,
    string? Phone,
    string? Fax,
    double DistanceMiles,
    int GroupSize,
    IReadOnlyList<string> ReferringColleagues,
    ProspectScore Score,
    double Latitude,
    double Longitude)
{
    /// <summary>"1200 Magnolia Ave, Suite 300, Riverside, CA 92501".</summary>
    public string Address => string.Join(", ", new[] { AddressLine1, AddressLine2, City, $"{State} {ZipText}".Trim() }.Where(p => !string.IsNullOrWhiteSpace(p)));

    /// <summary>ZIP+4 as 92501-1234, five digits as they are.</summary>
    public string? ZipText => Zip is { Length: 9 } z && z.All(char.IsAsciiDigit) ? $"{z[..5]}-{z[5..]}" : Zip;
}

/// <summary>A source of the practice near the clinic, for the scatter (another mark than prospects).</summary>
public sealed record NearbySource(int Id, string Name, string? Specialty, double DistanceMiles, double Latitude, double Longitude);

public sealed record ProspectResult(
    int ClinicId,
    string ClinicName,
    string? ClinicZip,
    GeoPoint? Centre,
    IReadOnlyList<string> Specialties,
    string? Preset,
    double RadiusMiles,
    IReadOnlyList<ProspectRow> Rows,
    IReadOnlyList<NearbySource> Sources)
{
    /// <summary>Why there can be no rows (the clinic has no ZIP with a known location), said on every door; null otherwise.</summary>
    public string? Note { get; init; }
}

/// <summary>
/// Prospects: the registry's active individual providers of the chosen specialty groups within the radius
/// of a clinic's ZIP point (<see cref="RegistryArea.NearAsync"/>: one index range and the exact great-circle
/// filter) who are not sources of this practice under any status, ranked by <see cref="ProspectScore"/>.
/// Registry rows are public data: listing them is not a patient-data read.
/// </summary>
public sealed class ProspectSearch(RapportDbContext db, PracticeClock clock)
{
    public async Task<Clinic> ClinicAsync(string? clinic, CancellationToken cancellationToken)
    {
        var text = clinic?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return await db.Clinics.Where(c => c.ArchivedAt == null).OrderBy(c => c.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new ValidationException("clinic", "The practice has no clinic yet; add one in Settings → Clinics.");
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return await db.Clinics.FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
                ?? throw new ValidationException("clinic", $"Clinic {id} does not exist.");
        }
        var all = await db.Clinics.ToListAsync(cancellationToken);
        return all.FirstOrDefault(c => string.Equals(c.Name, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new ValidationException("clinic", $"No clinic is named '{text}' (clinics: {string.Join(", ", all.Select(c => c.Name))}).");
    }

    /// <summary>The groups as written in the taxonomy (any case, or a preset's key); a problem on <c>specialty</c> naming the unknown ones.</summary>
    public static IReadOnlyList<string> Groups(IReadOnlyList<string> specialties)
    {
        var result = new List<string>();
        var unknown = new List<string>();
        // A preset's key ("orthopaedics") stands for its groups.
        var names = specialties.Select(s => s.Trim()).Where(s => s.Length > 0)
            .SelectMany(s => ProspectPresets.Find(s) is { } preset ? preset.Groups : [s]);
        foreach (var name in names)
        {
            var codes = NuccTaxonomy.CodesOfGroup(name);
            if (codes.Count == 0)
            {
                unknown.Add(name);
                continue;
            }
            var canonical = NuccTaxonomy.Find(codes[0])!.Group;
            if (!result.Contains(canonical, StringComparer.OrdinalIgnoreCase))
            {
                result.Add(canonical);
            }
        }
        if (unknown.Count > 0)
        {
            throw new ValidationException("specialty",
                $"Not a specialty group: {string.Join(", ", unknown.Select(u => $"'{u}'"))}. Groups include {string.Join(", ", ProspectPresets.Choices.Take(8))}.");
        }
        return result;
    }

    public async Task<ProspectResult> SearchAsync(ProspectQuery query, CancellationToken cancellationToken)
    {
        var radius = query.RadiusMiles ?? ProspectQuery.DefaultRadiusMiles;
        if (double.IsNaN(radius) || radius < ProspectQuery.MinRadiusMiles || radius > ProspectQuery.MaxRadiusMiles)
        {
            throw new ValidationException("radius", $"The radius must be between {ProspectQuery.MinRadiusMiles:0} and {ProspectQuery.MaxRadiusMiles:0} miles.");
        }
        var clinic = await ClinicAsync(query.Clinic, cancellationToken);
        var groups = Groups(query.Specialties);
        string? preset = null;
        if (groups.Count == 0)
        {
            var niche = ProspectPresets.ForNiche(clinic.Niche);
            groups = niche.Groups;
            preset = niche.Key;
        }
        else
        {
            preset = ProspectPresets.All.FirstOrDefault(p => p.Groups.Count == groups.Count && p.Groups.All(g => groups.Contains(g, StringComparer.OrdinalIgnoreCase)))?.Key;
        }
        if (RegistryArea.LocationOf(clinic) is not { } centre)
        {
            // Not the request's fault: the clinic's record lacks what a distance needs.
            return new ProspectResult(clinic.Id, clinic.Name, clinic.Zip, null, groups, preset, radius, [], [])
            {
                Note = $"{clinic.Name} has no ZIP code with a known location ({clinic.Zip ?? "none"}); set its ZIP in Settings → Clinics to find prospects around it.",
            };
        }
        var mainGroup = groups[0];
        var codes = groups.SelectMany(NuccTaxonomy.CodesOfGroup).Distinct(StringComparer.Ordinal).ToList();

        var near = await RegistryArea.NearAsync(db, centre, radius, codes, cancellationToken);
        var sources = await db.Sources.AsNoTracking()
            .Select(s => new { s.Id, s.Npi, s.FirstName, s.LastName, s.Credential, s.TaxonomyCode, s.Specialty, s.AddressLine, s.Zip })
            .ToListAsync(cancellationToken);
        var sourceNpis = sources.Where(s => s.Npi != null).Select(s => s.Npi!).ToHashSet(StringComparer.Ordinal);
        var candidates = near.Where(n => n.Provider.EntityType == RegistryEntityType.Individual && !sourceNpis.Contains(n.Provider.Npi)).ToList();

        // Group size: the registry's active individuals at each candidate's address, one count per address.
        var keys = candidates.Select(c => c.Provider.AddressKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var groupSize = await RegistryArea.IndividualsAtAsync(db, keys, cancellationToken);
        // A source's address: where the registry says its NPI practises (primary-key look-ups), else what the practice typed.
        var registryKeyOfNpi = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in sourceNpis.Chunk(2_000))
        {
            foreach (var row in await db.RegistryProviders.AsNoTracking().Where(p => chunk.Contains(p.Npi) && p.AddressKey != null)
                .Select(p => new { p.Npi, p.AddressKey }).ToListAsync(cancellationToken))
            {
                registryKeyOfNpi[row.Npi] = row.AddressKey!;
            }
        }
        var keySet = keys.ToHashSet(StringComparer.Ordinal);
        var sourcesAtKeys = sources
            .Select(s => (Source: s, Key: s.Npi is { } npi && registryKeyOfNpi.TryGetValue(npi, out var key) ? key : RegistryArea.AddressKey(s.AddressLine, s.Zip)))
            .Where(s => s.Key is not null && keySet.Contains(s.Key))
            .ToList();
        var ids = sourcesAtKeys.Select(s => s.Source.Id).ToList();
        var since = clock.Today().AddMonths(-12);
        var referring = ids.Count == 0 ? [] : (await db.Referrals.AsNoTracking()
            .Where(r => r.SourceId != null && ids.Contains(r.SourceId.Value) && r.ReceivedOn > since)
            .Select(r => r.SourceId!.Value).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var colleagues = sourcesAtKeys.Where(s => referring.Contains(s.Source.Id))
            .GroupBy(s => s.Key!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(s => Sources.SourceNames.Display(s.Source.FirstName, s.Source.LastName, s.Source.Credential))
                .OrderBy(n => n, StringComparer.Ordinal)], StringComparer.Ordinal);

        // Registry text repeats (cities, street lines of a group, common names): each distinct value is made readable once.
        var readable = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? text(string? value) => value is null ? null : readable.TryGetValue(value, out var done) ? done : readable[value] = Readable(value);
        var tidied = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? credential(string? value) => value is null ? null : tidied.TryGetValue(value, out var done) ? done : tidied[value] = RegistryLookup.TidyCredential(value);
        var rows = candidates
            .Select(c =>
            {
                var p = c.Provider;
                var entry = NuccTaxonomy.Find(p.TaxonomyCode);
                var group = entry?.Group ?? "";
                var key = p.AddressKey;
                var size = key is not null && groupSize.TryGetValue(key, out var n) ? n : 1;
                var names = key is not null && colleagues.TryGetValue(key, out var list) ? list : [];
                var miles = Math.Round(c.Miles, 1);
                var score = ProspectScore.Of(string.Equals(group, mainGroup, StringComparison.OrdinalIgnoreCase), c.Miles, radius, size, names.Count);
                return new ProspectRow(0, p.Npi, PersonName(p, text), credential(p.Credential), p.TaxonomyCode, entry?.DisplayName ?? p.TaxonomyCode ?? "", group,
                    text(p.AddressLine1), text(p.AddressLine2), text(p.City), p.State, p.PostalCode, p.Phone, p.Fax, miles, size, names, score,
                    p.Latitude!.Value, p.Longitude!.Value);
            })
            .OrderByDescending(r => r.Score.Total).ThenBy(r => r.DistanceMiles).ThenBy(r => r.Npi, StringComparer.Ordinal)
            .Select((r, i) => r with { Rank = i + 1 })
            .ToList();

        var groupSet = groups.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var nearbySources = sources
            .Where(s => NuccTaxonomy.Find(s.TaxonomyCode)?.Group is { } g ? groupSet.Contains(g) : s.Specialty is { } sp && groupSet.Contains(sp))
            .Select(s => (Source: s, Point: ZipCentroids.Find(s.Zip)))
            .Where(s => s.Point is not null)
            .Select(s => new NearbySource(s.Source.Id, Sources.SourceNames.Display(s.Source.FirstName, s.Source.LastName, s.Source.Credential), s.Source.Specialty,
                Math.Round(GreatCircle.Miles(centre, s.Point!.Value), 1), s.Point.Value.Latitude, s.Point.Value.Longitude))
            .Where(s => s.DistanceMiles <= radius)
            .OrderBy(s => s.DistanceMiles).ThenBy(s => s.Id)
            .ToList();
        return new ProspectResult(clinic.Id, clinic.Name, clinic.Zip, centre, groups, preset, radius, rows, nearbySources);
    }

    /// <summary>"Robert Chase": the registry's upper-case names in the case people write them.</summary>
    public static string PersonName(RegistryProvider p) => PersonName(p, Readable);

    private static string PersonName(RegistryProvider p, Func<string?, string?> readable) =>
        p.EntityType == RegistryEntityType.Organization ? readable(p.BusinessName) ?? ""
        : string.Join(" ", new[] { readable(p.FirstName), readable(p.MiddleName), readable(p.LastName), p.NameSuffix }.Where(s => !string.IsNullOrWhiteSpace(s)));

    /// <summary>
    /// NPPES text is mostly upper case ("1200 MAGNOLIA AVE"): such text is shown in title case; text already
    /// in mixed case is kept as written. Compass points, PO and words with digits ("3RD") stay as they are.
    /// </summary>
    public static string? Readable(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Any(char.IsLower))
        {
            return text;
        }
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w =>
            KeptUpper.Contains(w) || w.Any(char.IsDigit) ? w : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant());
        return string.Join(" ", words);
    }

    private static readonly HashSet<string> KeptUpper = new(StringComparer.Ordinal) { "N", "S", "E", "W", "NE", "NW", "SE", "SW", "PO", "II", "III", "IV" };
}
