using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Data;

namespace Rapport.Tenancy;

/// <summary>
/// A named lease in the database: while one node holds it (until <see cref="Until"/>), no other node
/// runs the work it names. Not organization-owned: the name carries whatever scope it needs.
/// </summary>
public sealed class JobLease
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    /// <summary>UTC. After this instant the lease is free for any node to take.</summary>
    public DateTime Until { get; set; }
}

public sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> builder)
    {
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(200);
        builder.Property(l => l.Holder).HasMaxLength(100);
    }
}

/// <summary>This process's name as a lease and claim holder: unique per start, readable in the database.</summary>
public static class NodeIdentity
{
    public static readonly string Id = $"{Guid.NewGuid():N}@{Environment.MachineName}" is var id && id.Length > 64 ? id[..64] : id;
}

/// <summary>
/// Takes, renews and gives back <see cref="JobLease"/>s. Every step is one conditional statement, so
/// two nodes racing for the same lease cannot both win on SQLite or PostgreSQL: the update only
/// matches a lease that has run out (or is already ours), and the first insert of a name is decided
/// by its primary key.
/// </summary>
public sealed class JobLeases(RapportDbContext db, TimeProvider time)
{
    /// <summary>Who takes the leases: this process (tests give each simulated node its own name).</summary>
    public string Holder { get; init; } = NodeIdentity.Id;

    /// <summary>Takes the lease for <paramref name="length"/> when it is free or already ours (then it is renewed); false when another node holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, TimeSpan length, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + length;
        var holder = Holder;
        var taken = await db.JobLeases
            .Where(l => l.Name == name && (l.Until <= now || l.Holder == holder))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.Until, until), cancellationToken);
        if (taken == 1)
        {
            return true;
        }
        // No such lease yet, or held by another node: only the first insert of a name succeeds.
        var inserted = await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "JobLeases" ("Name", "Holder", "Until") VALUES ({name}, {holder}, {until}) ON CONFLICT ("Name") DO NOTHING""",
            cancellationToken);
        return inserted == 1;
    }

    /// <summary>Gives the lease back at once (when this node holds it), so the next node need not wait for it to run out.</summary>
    public async Task ReleaseAsync(string name, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var holder = Holder;
        await db.JobLeases.Where(l => l.Name == name && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Until, now), cancellationToken);
    }
}
