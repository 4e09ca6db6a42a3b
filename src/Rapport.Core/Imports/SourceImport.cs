using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Registry;
using Rapport.Sources;
using Rapport.Touchpoints;

namespace Rapport.Imports;

/// <summary>Referral sources keyed by NPI: without it a re-import could not tell an update from a new source.</summary>
internal sealed class SourceImport(RapportDbContext db, PracticeClock time) : ImportHandler
{
    private readonly KeyLines seen = new();
    private Dictionary<string, ReferralSource> existing = [];
    private Dictionary<string, RegistryProvider> registry = [];
    private bool registryImported;

    public override string EntityName => nameof(ReferralSource);

    public override IReadOnlyList<ImportColumn> Columns { get; } =
    [
        new("npi", true, "National Provider Identifier, ten digits with a valid check digit. The key.", "1234567893"),
        new("first_name", false, "Given name; blank for a group or facility.", "Gregory", MaxLength: MaxLength<ReferralSource>(db, nameof(ReferralSource.FirstName))),
        new("last_name", false, "Surname, or the whole name of a group or facility. Required unless the NPI registry supplies it (a new source's blank fields are filled from the registry).", "House", MaxLength: MaxLength<ReferralSource>(db, nameof(ReferralSource.LastName))),
        new("credential", false, "MD, DO, NP, PA-C, ...", "MD", MaxLength: MaxLength<ReferralSource>(db, nameof(ReferralSource.Credential))),
        new("taxonomy_code", false, "NUCC taxonomy code; sets the specialty when the catalogue knows it.", "207X00000X"),
        new("specialty", false, "Readable specialty, used when the taxonomy code is blank or unknown; a name that stands for one specialty sets its code too.", "Orthopaedic surgery", MaxLength: MaxLength<ReferralSource>(db, nameof(ReferralSource.Specialty))),
        new("practice_name", false, "Practice or group.", "Princeton Plainsboro Orthopaedics", MaxLength: MaxLength<ReferralSource>(db, nameof(ReferralSource.PracticeName))),
        new("address", false, "Street address.", "1 Hospital Dr", Field: "addressLine"),
        new("city", false, "City.", "Princeton"),
        new("state", false, "Two-letter state code.", "NJ"),
        new("zip", false, "ZIP or ZIP+4.", "08540"),
        new("phone", false, "US phone number, any punctuation.", "(609) 555-0100"),
        new("fax", false, "US fax number.", "609-555-0101"),
        new("email", false, "E-mail address.", "house@ppth.example"),
        new("preferred_contact_method", false, $"One of {string.Join(", ", Enum.GetNames<TouchMethod>())}.", "In person", Field: "preferredContactMethod"),
        new("status", false, $"One of {string.Join(", ", Enum.GetNames<SourceStatus>())}; blank keeps the current status (Active for a new source).", "Active"),
        new("touch_cadence_days", false, "Desired days between touches, 1–730; blank uses the practice default.", "30"),
        new("tags", false, "Free tags, comma-separated (quote the field).", "\"hip, knee\""),
        new("expects_refer_backs", false, "yes or no: whether the practice refers patients back to this source (the refer-back gap is raised only where it does); blank follows its specialty (Settings → Alerts).", "yes"),
        new("added_on", false, "When the practice started working with the source (yyyy-MM-dd), not in the future; touch overdue and the trend history count from it. Blank: the day of its first referral when a referrals import brings one earlier than the import.", "2019-04-01"),
    ];

    public override async Task LoadAsync(CancellationToken cancellationToken) =>
        registryImported = await db.RegistryProviders.AnyAsync(cancellationToken);

    public override async Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        existing = new(StringComparer.Ordinal);
        registry = new(StringComparer.Ordinal);
        foreach (var npis in KeysOf(rows, "npi"))
        {
            foreach (var source in await db.Sources.AsNoTracking().Where(s => npis.Contains(s.Npi!)).ToListAsync(cancellationToken))
            {
                existing[source.Npi!] = source;
            }
            // New sources are filled from the registry (SourceService.FillBlanks): one query per chunk of keys.
            var newNpis = npis.Where(npi => !existing.ContainsKey(npi)).ToList();
            if (registryImported && newNpis.Count > 0)
            {
                foreach (var provider in await db.RegistryProviders.AsNoTracking().Where(p => newNpis.Contains(p.Npi)).ToListAsync(cancellationToken))
                {
                    registry[provider.Npi] = provider;
                }
            }
        }
    }

    public override RowOutcome Stage(ImportRow row)
    {
        if (row.Text("npi") is not { } npi)
        {
            row.Add("npi", "NPI is required: it is the key that lets a re-import update a source instead of adding it twice.");
            return RowOutcome.Invalid;
        }
        if (IsRepeat(seen, npi, row, "npi", $"NPI {npi}"))
        {
            return RowOutcome.Invalid;
        }
        var current = existing.GetValueOrDefault(npi);
        var input = new SourceInput
        {
            Npi = npi,
            FirstName = row.Text("first_name", current?.FirstName),
            LastName = row.Text("last_name", current?.LastName),
            Credential = row.Text("credential", current?.Credential),
            TaxonomyCode = row.Text("taxonomy_code", current?.TaxonomyCode),
            Specialty = row.Text("specialty", current?.Specialty),
            PracticeName = row.Text("practice_name", current?.PracticeName),
            AddressLine = row.Text("address", current?.AddressLine),
            City = row.Text("city", current?.City),
            State = row.Text("state", current?.State),
            Zip = row.Text("zip", current?.Zip),
            Phone = row.Text("phone", current?.Phone),
            Fax = row.Text("fax", current?.Fax),
            Email = row.Text("email", current?.Email),
            PreferredContactMethod = row.Enum("preferred_contact_method", current?.PreferredContactMethod),
            Status = row.Enum("status", current?.Status),
            TouchCadenceDays = row.WholeNumber("touch_cadence_days", current?.TouchCadenceDays),
            ExpectsReferBacks = row.YesNo("expects_refer_backs", current?.ExpectsReferBacks),
            Tags = row.Text("tags", current?.Tags),
            // Not importable; kept as they are.
            OwnerUserId = current?.OwnerUserId,
            ClinicId = current?.ClinicId,
        };
        // The one autofill rule of every door: a new source's blank fields come from the registry.
        RegistryLookupResult? lookup = null;
        if (current is null && Formats.IsValidNpi(npi))
        {
            lookup = RegistryLookup.ResultOf(npi, registry.GetValueOrDefault(npi), registryImported);
            input = SourceService.FillBlanks(input, lookup.Fields);
        }
        var addedOn = row.Date("added_on");
        if (addedOn > time.Today())
        {
            row.Add("added_on", $"{addedOn:yyyy-MM-dd} is in the future; the date the practice started working with the source has passed.");
        }
        var problems = new Problems();
        SourceService.Check(input, problems, lookup);
        row.AddRuleProblems(problems, ColumnOfField);
        if (!row.IsValid)
        {
            return RowOutcome.Invalid;
        }
        if (lookup is { IsWarning: true })
        {
            Warnings.Add(new ImportError(row.Line, "npi", lookup.Message));
        }
        // Without added_on a new source's added date is only this import's moment; a referrals import
        // may move it back to its first referral (AddedOnFromReferrals). With it, the date is the
        // practice's word, for a new source or one already here.
        return Apply(row, db, current, () => new ReferralSource { LastName = "", AddedOnFromReferrals = addedOn is null }, target =>
        {
            SourceService.CopyOnto(target, input);
            if (addedOn is { } day)
            {
                target.CreatedAt = time.StartOfDayUtc(day);
                target.AddedOnFromReferrals = false;
            }
        });
    }

    public override IReadOnlyDictionary<string, string> ColumnOfField { get; } = new Dictionary<string, string>
    {
        ["addressLine"] = "address",
    };
}
