using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;
using Rapport.Registry;
using Rapport.Sources;

namespace Rapport.Prospects;

/// <summary>"Add as prospect": who owns the new relationship and how often to touch it (null = the practice's prospect cadence).</summary>
public sealed record ProspectAddInput
{
    public required string Npi { get; init; }
    public required int ClinicId { get; init; }
    public string? OwnerUserId { get; init; }
    public int? TouchCadenceDays { get; init; }
}

/// <summary>One NPI of a batch that was not added, and why.</summary>
public sealed record ProspectRefusal(string Npi, string Reason);

public sealed record ProspectBatchResult(IReadOnlyList<ReferralSource> Added, IReadOnlyList<ProspectRefusal> Refused);

/// <summary>
/// Turns a registry physician into a source with status Prospect, filled from the registry (name, credential,
/// taxonomy and specialty, practice address, phone, fax; the practice name when the address has an
/// organization NPI), through <see cref="SourceService"/>: the same checks, the same audit trail and the same
/// NPI conflict as any source written by hand. A prospect never touched is on its owner's call list at once
/// with the reason "First touch: new prospect" (docs/health.md, touch_overdue).
/// </summary>
public sealed class ProspectIntake(RapportDbContext db, SourceService sources)
{
    public async Task<ReferralSource> AddAsync(ProspectAddInput input, CancellationToken cancellationToken)
    {
        var npi = Formats.Clean(input.Npi) ?? throw new ValidationException("npi", "An NPI is required.");
        if (!Formats.IsValidNpi(npi))
        {
            throw new ValidationException("npi", $"'{npi}' is not a valid NPI: ten digits whose last digit is the Luhn check digit.");
        }
        var provider = await db.RegistryProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Npi == npi, cancellationToken)
            ?? throw new ValidationException("npi", $"NPI {npi} is not in the NPI registry; import the NPPES file or add the source by hand.");
        if (provider.IsDeactivated)
        {
            throw new ValidationException("npi", $"NPI {npi} was deactivated on {provider.DeactivationDate:yyyy-MM-dd}: not a prospect.");
        }
        if (await db.Sources.AnyAsync(s => s.Npi == npi, cancellationToken))
        {
            var existing = await db.Sources.Where(s => s.Npi == npi).Select(s => new { s.FirstName, s.LastName, s.Credential, s.Status }).FirstAsync(cancellationToken);
            throw new ConflictException("npi", npi,
                $"NPI {npi} is already a source of this practice ({SourceNames.Display(existing.FirstName, existing.LastName, existing.Credential)}, {existing.Status}).");
        }
        var practice = provider.AddressKey is null ? null : await db.RegistryProviders.AsNoTracking()
            .Where(p => p.AddressKey == provider.AddressKey && p.EntityType == RegistryEntityType.Organization && p.BusinessName != null)
            .OrderBy(p => p.Npi).Select(p => p.BusinessName).FirstOrDefaultAsync(cancellationToken);
        // Name, credential, specialty, address, phone and fax come from the registry through the one autofill
        // rule every door uses (SourceService fills a new source's blank fields from its NPI's registry row).
        return await sources.CreateAsync(new SourceInput
        {
            Npi = npi,
            PracticeName = ProspectSearch.Readable(practice),
            OwnerUserId = Formats.Clean(input.OwnerUserId),
            ClinicId = input.ClinicId,
            Status = SourceStatus.Prospect,
            TouchCadenceDays = input.TouchCadenceDays,
        }, cancellationToken);
    }

    /// <summary>Several NPIs with one owner and cadence: each is added or refused on its own, with the reason.</summary>
    public async Task<ProspectBatchResult> AddManyAsync(IReadOnlyList<string> npis, int clinicId, string? ownerUserId, int? touchCadenceDays,
        CancellationToken cancellationToken)
    {
        var added = new List<ReferralSource>();
        var refused = new List<ProspectRefusal>();
        foreach (var npi in npis.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal))
        {
            try
            {
                added.Add(await AddAsync(new ProspectAddInput { Npi = npi, ClinicId = clinicId, OwnerUserId = ownerUserId, TouchCadenceDays = touchCadenceDays }, cancellationToken));
            }
            catch (ValidationException e)
            {
                db.ChangeTracker.Clear();
                refused.Add(new ProspectRefusal(npi, string.Join(" ", e.Errors.SelectMany(x => x.Value))));
            }
        }
        return new ProspectBatchResult(added, refused);
    }
}
