using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.ApiKeys;

public sealed record ApiKeySummary(int Id, string Name, string Prefix, string? CreatedBy, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>The plain key is shown once, at creation; only its hash is kept.</summary>
public sealed record CreatedApiKey(ApiKeySummary Key, string Secret);

public sealed record ApiKeyIdentity(int KeyId, int OrganizationId, string Name, DateTime? LastUsedAt);

public sealed class ApiKeyService(RapportDbContext db, PracticeClock time, Users.StaffNames staff)
{
    private const string KeyPrefix = "rk_";

    public async Task<CreatedApiKey> CreateAsync(string name, string? createdBy, CancellationToken cancellationToken = default)
    {
        if (Formats.Clean(name) is null)
        {
            throw new ValidationException("name", "Key name is required.");
        }
        // 256 bits of randomness; the prefix makes leaked keys easy to recognise in logs and scanners.
        var secret = KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Name = name.Trim(),
            Prefix = secret[..11],
            SecretHash = Hash(secret),
            CreatedBy = createdBy,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(ToSummary(key), secret);
    }

    public async Task<List<ApiKeySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var keys = await db.ApiKeys.OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeySummary(k.Id, k.Name, k.Prefix, k.CreatedBy, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
        var names = await staff.BookAsync(cancellationToken);
        return [.. keys.Select(k => k with { CreatedBy = names.Show(k.CreatedBy) })];
    }

    public async Task RevokeAsync(int id, CancellationToken cancellationToken = default)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken) ?? throw new NotFoundException($"API key {id}");
        key.RevokedAt ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Finds the organization a presented key belongs to. Runs before any organization is known,
    /// so it is the one read that looks across organizations, by the hash alone.
    /// </summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!presented.StartsWith(KeyPrefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return null;
        }
        var hash = Hash(presented);
        var key = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .Where(k => k.SecretHash == hash && k.RevokedAt == null)
            .Select(k => new ApiKeyIdentity(k.Id, k.OrganizationId, k.Name, k.LastUsedAt))
            .FirstOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        // "Last used" is for spotting stale keys; minute precision spares a write on every request.
        if (key is not null && (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1)))
        {
            await db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == key.KeyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }
        return key;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static ApiKeySummary ToSummary(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedBy, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
