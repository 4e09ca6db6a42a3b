using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Users;

/// <summary>
/// The per-request session check with one query. Identity's validator, checking on every request,
/// reloads the user, rebuilds the whole principal (user, user claims, roles, each role's claims, the
/// practice's two-step rule: seven queries) and reissues the cookie. Here one query reads what the
/// principal was built from — security stamp, deactivation, roles, display name, the two-step rule —
/// and when all of it still matches the cookie, the principal is kept as it is. Anything that differs
/// (a sign-out elsewhere, a password or e-mail change, deactivation, a new role, a renamed user) goes
/// to Identity's own check, which signs the session out or rebuilds the principal, as before.
/// </summary>
public sealed class SessionCheck(IOptions<SecurityStampValidatorOptions> options, SignInManager<AppUser> signInManager, ILoggerFactory logger,
    RapportDbContext db, IOptions<IdentityOptions> identityOptions, PracticeReadCache readCache)
    : SecurityStampValidator<AppUser>(options, signInManager, logger)
{
    public override async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        // With an interval Identity checks only now and then; that choice is Identity's to run.
        if (Options.ValidationInterval > TimeSpan.Zero || context.Principal is not { } principal
            || !await StillMatchesAsync(principal, context.HttpContext.RequestAborted))
        {
            await base.ValidateAsync(context);
        }
    }

    private async Task<bool> StillMatchesAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var claimTypes = identityOptions.Value.ClaimsIdentity;
        if (principal.FindFirstValue(claimTypes.UserIdClaimType) is not { } userId)
        {
            return false;
        }
        // Users are found before anyone's practice is known, so no organization filter applies here.
        var user = await db.Users.IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.SecurityStamp,
                u.DisabledAt,
                u.DisplayName,
                u.Email,
                u.UserName,
                u.TwoFactorEnabled,
                TwoStepRequiredForAdmins = db.Organizations.Where(o => o.Id == u.OrganizationId).Select(o => o.RequireTwoFactorForAdmins).FirstOrDefault(),
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, role) => role.Name).ToList(),
                u.OrganizationId,
                // The page's cached views are checked against it: read here, it costs no round trip of its own.
                DataVersion = db.PracticeDataVersions.Where(v => v.OrganizationId == u.OrganizationId).Select(v => (long?)v.Version).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (user is null || user.DisabledAt is not null || user.SecurityStamp != principal.FindFirstValue(claimTypes.SecurityStampClaimType))
        {
            return false;
        }
        var rolesInCookie = principal.FindAll(claimTypes.RoleClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        // The same facts RapportClaimsPrincipalFactory writes into the cookie.
        var twoStepSetupRequired = !user.TwoFactorEnabled && UserAccounts.TwoStepRequired(user.TwoStepRequiredForAdmins, user.Roles);
        var matches = rolesInCookie.SetEquals(user.Roles.OfType<string>())
            && principal.FindFirstValue(RapportClaims.DisplayName) == UserNames.Display(user.DisplayName, user.Email ?? user.UserName)
            && principal.HasClaim(c => c.Type == RapportClaims.TwoFactorSetupRequired) == twoStepSetupRequired;
        if (matches)
        {
            readCache.Know(user.OrganizationId, user.DataVersion ?? 0);
        }
        return matches;
    }
}
