using Microsoft.EntityFrameworkCore;
using Rapport.Data;
using Rapport.Organizations;

namespace Rapport.Demo;

public enum DemoScale { Small, Large }

public sealed record DemoOptions
{
    public const int DefaultSeed = 20190320;
    public int Seed { get; init; } = DefaultSeed;
    public DemoScale Scale { get; init; } = DemoScale.Small;
}

public sealed record DemoProgress(string Stage, long Done, long Total);

public sealed record DemoResult(bool Created, string OrganizationName, string OrganizationSlug);

/// <summary>Deterministic demo practice. (Placeholder: creates the practice and its admin only.)</summary>
public sealed class DemoSeeder(RapportDbContext db, OrganizationService organizations)
{
    public const string AdminEmail = "demo@rapport.test";
    public const string AdminPassword = "rapport-demo-1";

    public async Task<DemoResult> SeedIfEmptyAsync(DemoOptions options, IProgress<DemoProgress>? progress, CancellationToken cancellationToken)
    {
        if (await db.Organizations.AnyAsync(cancellationToken))
        {
            return new DemoResult(false, "", "");
        }
        var (organization, _) = await organizations.CreateAsync("Riverside Physical Therapy", "riverside", "Riverside Downtown", AdminEmail, AdminPassword, "Demo Admin", cancellationToken);
        return new DemoResult(true, organization.Name, organization.Slug);
    }
}
