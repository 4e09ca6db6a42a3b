using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Users;

public sealed record UserSummary(string Id, string Email, string? DisplayName, string? Credentials, IReadOnlyList<string> Roles)
{
    /// <summary>The name shown for this user everywhere (see <see cref="UserNames"/>).</summary>
    public string Name => UserNames.Display(DisplayName, Email);
}

/// <summary>What a user may change about themselves; admins change it for others.</summary>
public sealed record UserProfileInput(string? DisplayName, string? Credentials);

/// <summary>The users of the current organization. Users are outside the query filter (see AppUser), so every read here filters explicitly.</summary>
public sealed class UserDirectory(RapportDbContext db, UserManager<AppUser> users, RoleManager<IdentityRole> roles)
{
    public Task<AppUser?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id && u.OrganizationId == db.Organization.RequiredId, cancellationToken);

    /// <summary>The staff member acting in this scope (a signed-in user; null for an API key or the CLI), found by the e-mail they act as.</summary>
    public async Task<string?> ActingUserIdAsync(CancellationToken cancellationToken = default) =>
        db.Organization.Actor is { } actor
            ? await db.Users.Where(u => u.Email == actor && u.OrganizationId == db.Organization.RequiredId).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken)
            : null;

    public async Task<List<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var organizationId = db.Organization.RequiredId;
        var rows = await db.Users.Where(u => u.OrganizationId == organizationId).OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Credentials }).ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           join u in db.Users on ur.UserId equals u.Id
                           where u.OrganizationId == organizationId
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        return rows.Select(u => new UserSummary(u.Id, u.Email!, u.DisplayName, u.Credentials,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToList())).ToList();
    }

    public Task<AppUser> AddAsync(string email, string password, string role, string? displayName = null, string? credentials = null) =>
        CreateAsync(users, roles, db.Organization.RequiredId, email, password, role, displayName, credentials);

    /// <summary>Changes a user's display name and credentials (blank clears them); the one path for the profile page, settings and the CLI.</summary>
    public async Task<AppUser> UpdateProfileAsync(string userId, UserProfileInput input, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId, cancellationToken) ?? throw new NotFoundException($"User {userId}");
        var problems = new Problems();
        UserNames.Check(problems, input.DisplayName, input.Credentials);
        problems.ThrowIfAny();
        user.DisplayName = Formats.Clean(input.DisplayName);
        user.Credentials = Formats.Clean(input.Credentials);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>The refusal for an e-mail address that already signs in to Rapport, in this practice or another.</summary>
    public const string EmailUnavailable = "This e-mail address cannot be used for a new account. If the person is already in the list above, "
        + "change their role or reactivate them there; otherwise ask them for another address, or contact support.";

    internal static async Task<AppUser> CreateAsync(UserManager<AppUser> users, RoleManager<IdentityRole> roles, int organizationId, string email, string password, string role,
        string? displayName, string? credentials = null)
    {
        var problems = new Problems();
        UserNames.Check(problems, displayName, credentials);
        problems.ThrowIfAny();
        var normalizedRole = Roles.Normalize(role)
            ?? throw new ValidationException("role", $"'{role}' is not a role; use one of {string.Join(", ", Roles.All)}.");
        if (!Formats.IsValidEmail(email))
        {
            throw new ValidationException("email", $"'{email}' is not a valid e-mail address.");
        }
        if (await users.FindByEmailAsync(email) is not null)
        {
            // One answer whether the address is on this practice's list or belongs to staff of another
            // practice: saying "already exists" told an admin who works elsewhere (issue 12, item 5).
            throw new ValidationException("email", EmailUnavailable);
        }
        if (!await roles.RoleExistsAsync(normalizedRole))
        {
            Check(await roles.CreateAsync(new IdentityRole(normalizedRole)), "role");
        }
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, OrganizationId = organizationId, DisplayName = Formats.Clean(displayName),
            Credentials = Formats.Clean(credentials) };
        Check(await users.CreateAsync(user, password), "password");
        Check(await users.AddToRoleAsync(user, normalizedRole), "role");
        return user;
    }

    private static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            throw new ValidationException(field, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
