using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rapport.Audit;
using Rapport.Common;
using Rapport.Data;
using Rapport.Email;

namespace Rapport.Users;

/// <summary>An account as the users page shows it: who, which role, active or not, and whether two-step sign-in is on.</summary>
public sealed record AccountState(string Id, string Email, string Name, string Role, bool Active, bool TwoStep);

/// <summary>
/// The rules for staff accounts, shared by Settings → Users, My profile, the sign-in pages and
/// `rapport users`: deactivate and reactivate, change role, password reset and change, two-step
/// sign-in. Every change that must end a session changes the security stamp, which the web app
/// checks on every request (NIST SP 800-63B §7.1, OWASP ASVS 4.0.3 V3.3). Admin actions are recorded
/// in the audit trail, never with a password, token or code.
/// </summary>
public sealed class UserAccounts(RapportDbContext db, UserManager<AppUser> users, RoleManager<IdentityRole> roles, AuditTrail audit, PracticeClock time,
    MailServer mail, EmailOutbox outbox, PublicAddress address)
{
    public const string EntityType = "User";
    public const string ResetPurpose = "ResetPassword";

    /// <summary>The reason a reset link cannot be e-mailed without a mail server, with what to do instead.</summary>
    public const string NoMailServer = "No mail server is configured, so no reset link can be e-mailed. An administrator sets Email:Host (see Settings → E-mail outbox), "
        + "or runs `rapport users reset-password EMAIL` on the server and gives the printed link to the person.";

    /// <summary>A user of the current practice by id or e-mail.</summary>
    public async Task<AppUser> FindAsync(string idOrEmail, CancellationToken cancellationToken = default)
    {
        var organizationId = db.Organization.RequiredId;
        var key = idOrEmail.Trim();
        var normalized = users.NormalizeEmail(key);
        return await db.Users.FirstOrDefaultAsync(u => u.OrganizationId == organizationId && (u.Id == key || u.NormalizedEmail == normalized), cancellationToken)
            ?? throw new NotFoundException($"User {key}");
    }

    public async Task<List<AccountState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var organizationId = db.Organization.RequiredId;
        var rows = await db.Users.AsNoTracking().Where(u => u.OrganizationId == organizationId)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.DisabledAt, u.TwoFactorEnabled }).ToListAsync(cancellationToken);
        var roleOf = await RolesAsync(organizationId, cancellationToken);
        return [.. rows.Select(u => new AccountState(u.Id, u.Email ?? "", UserNames.Display(u.DisplayName, u.Email), roleOf.GetValueOrDefault(u.Id) ?? "",
            u.DisabledAt is null, u.TwoFactorEnabled))];
    }

    /// <summary>Deactivates an account: it cannot sign in, and any session it holds ends with its next request.</summary>
    public async Task<AppUser> DisableAsync(string idOrEmail, string? actingUserId, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(idOrEmail, cancellationToken);
        if (user.Id == actingUserId)
        {
            throw new ValidationException("user", "You cannot deactivate your own account; another administrator can.");
        }
        if (user.DisabledAt is not null)
        {
            return user;
        }
        await EnsureAnotherActiveAdminAsync(user, "deactivate", cancellationToken);
        user.DisabledAt = time.UtcNow;
        user.DisabledBy = db.Organization.Actor;
        Check(await users.UpdateAsync(user));
        Check(await users.UpdateSecurityStampAsync(user));
        await audit.RecordAsync("Deactivated", EntityType, user.Id, $"Deactivated the account of {user.Email}; its sessions ended.", cancellationToken);
        return user;
    }

    public async Task<AppUser> EnableAsync(string idOrEmail, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(idOrEmail, cancellationToken);
        if (user.DisabledAt is null)
        {
            return user;
        }
        user.DisabledAt = null;
        user.DisabledBy = null;
        Check(await users.UpdateAsync(user));
        Check(await users.ResetAccessFailedCountAsync(user));
        await audit.RecordAsync("Reactivated", EntityType, user.Id, $"Reactivated the account of {user.Email}.", cancellationToken);
        return user;
    }

    /// <summary>
    /// Gives the user exactly one role. The signed-in session picks it up with its next request (the
    /// web app rebuilds the principal from the database each request).
    /// </summary>
    public async Task<AppUser> SetRoleAsync(string idOrEmail, string role, CancellationToken cancellationToken = default)
    {
        var normalizedRole = Roles.Normalize(role)
            ?? throw new ValidationException("role", $"'{role}' is not a role; use one of {string.Join(", ", Roles.All)}.");
        var user = await FindAsync(idOrEmail, cancellationToken);
        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == normalizedRole)
        {
            return user;
        }
        if (current.Contains(Roles.Admin) && normalizedRole != Roles.Admin)
        {
            await EnsureAnotherActiveAdminAsync(user, "take the Admin role from", cancellationToken);
        }
        if (!await roles.RoleExistsAsync(normalizedRole))
        {
            Check(await roles.CreateAsync(new IdentityRole(normalizedRole)));
        }
        Check(await users.RemoveFromRolesAsync(user, current));
        Check(await users.AddToRoleAsync(user, normalizedRole));
        await audit.RecordAsync("RoleChanged", EntityType, user.Id,
            $"Role of {user.Email}: {(current.Count == 0 ? "none" : string.Join(", ", current))} → {normalizedRole}.", cancellationToken);
        return user;
    }

    /// <summary>E-mails the user a one-time link to choose a new password (Settings → Users, "Send reset link").</summary>
    public async Task SendResetLinkAsync(string idOrEmail, CancellationToken cancellationToken = default)
    {
        if (!mail.IsConfigured)
        {
            throw new ValidationException("email", NoMailServer);
        }
        var user = await FindAsync(idOrEmail, cancellationToken);
        if (user.DisabledAt is not null)
        {
            throw new ValidationException("user", $"{user.Email} is deactivated; reactivate the account first.");
        }
        outbox.Add(ResetMessage(user, await ResetLinkAsync(user)));
        await audit.RecordAsync("PasswordResetSent", EntityType, user.Id, $"E-mailed a password reset link to {user.Email}.", cancellationToken);
    }

    /// <summary>A one-time reset link for the user, to hand over by other means (`rapport users reset-password`).</summary>
    public async Task<Uri> CreateResetLinkAsync(string idOrEmail, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(idOrEmail, cancellationToken);
        var link = await ResetLinkAsync(user);
        await audit.RecordAsync("PasswordResetLinkCreated", EntityType, user.Id, $"Created a password reset link for {user.Email}.", cancellationToken);
        return link;
    }

    /// <summary>Sets a password chosen by an administrator (`rapport users reset-password --password`); the user's sessions end.</summary>
    public async Task SetPasswordAsync(string idOrEmail, string password, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(idOrEmail, cancellationToken);
        Check(await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password), "password");
        await users.SetLockoutEndDateAsync(user, null);
        await audit.RecordAsync("PasswordSet", EntityType, user.Id, $"An administrator set a new password for {user.Email}; its sessions ended.", cancellationToken);
    }

    /// <summary>
    /// "Forgot password?": e-mails a reset link when the address belongs to an active account and a
    /// mail server is configured; otherwise does nothing. The caller answers the same either way, so
    /// the page does not tell who has an account (OWASP ASVS 4.0.3 V2.5.1).
    /// </summary>
    public async Task RequestResetAsync(string? email, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(email) || !mail.IsConfigured || await users.FindByEmailAsync(email.Trim()) is not { DisabledAt: null } user)
        {
            return;
        }
        EnterPracticeOf(user);
        outbox.Add(ResetMessage(user, await ResetLinkAsync(user)));
        await audit.RecordAsync("PasswordResetSent", EntityType, user.Id, $"E-mailed a password reset link to {user.Email} (asked for on the sign-in page).", cancellationToken);
    }

    /// <summary>Chooses a new password with a reset link's token. False when the link is not valid (any reason: the page says one thing).</summary>
    public async Task<bool> ResetPasswordAsync(string? email, string? token, string? newPassword, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(token) || await users.FindByEmailAsync(email.Trim()) is not { DisabledAt: null } user
            || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, ResetPurpose, token))
        {
            return false;
        }
        if (PasswordProblem(await ValidateAsync(user, newPassword)) is { } problem)
        {
            throw new ValidationException("newPassword", problem);
        }
        var result = await users.ResetPasswordAsync(user, token, newPassword!);
        if (!result.Succeeded)
        {
            return false;
        }
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        EnterPracticeOf(user);
        await audit.RecordAsync("PasswordReset", EntityType, user.Id, $"{user.Email} chose a new password with a reset link; other sessions ended.", cancellationToken);
        return true;
    }

    /// <summary>Changes the user's own password (My profile): the current one first. Other sessions end; the caller re-signs this one in.</summary>
    public async Task<AppUser> ChangePasswordAsync(string userId, string? currentPassword, string? newPassword, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId, cancellationToken);
        if (string.IsNullOrEmpty(currentPassword) || !await users.CheckPasswordAsync(user, currentPassword))
        {
            throw new ValidationException("currentPassword", "That is not your current password.");
        }
        Check(await users.ChangePasswordAsync(user, currentPassword, newPassword ?? ""), "newPassword");
        await audit.RecordAsync("PasswordChanged", EntityType, user.Id, $"{user.Email} changed their password; other sessions ended.", cancellationToken);
        return user;
    }

    /// <summary>Ends every session of the user (sign-out): the cookie they had no longer opens any page.</summary>
    public async Task EndSessionsAsync(string userId)
    {
        if (await users.FindByIdAsync(userId) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }
    }

    // ---- Two-step sign-in (TOTP, RFC 6238) ----

    /// <summary>
    /// The authenticator key to show while setting up (made on first ask, which changes the security
    /// stamp: the caller re-signs the session in when Created), and its otpauth:// URI for a QR code.
    /// </summary>
    public async Task<(string Key, string Uri, bool Created)> AuthenticatorSetupAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId, cancellationToken);
        var key = await users.GetAuthenticatorKeyAsync(user);
        var created = string.IsNullOrEmpty(key);
        if (created)
        {
            Check(await users.ResetAuthenticatorKeyAsync(user));
            key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key was made.");
        }
        var issuer = Uri.EscapeDataString("Rapport");
        var uri = $"otpauth://totp/{issuer}:{Uri.EscapeDataString(user.Email ?? "")}?secret={key}&issuer={issuer}&algorithm=SHA1&digits=6&period=30";
        return (key!, uri, created);
    }

    /// <summary>Turns two-step sign-in on once the user proves their authenticator works; returns 10 recovery codes, shown once.</summary>
    public async Task<IReadOnlyList<string>> EnableTwoStepAsync(string userId, string? code, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId, cancellationToken);
        if (string.IsNullOrWhiteSpace(code) || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            throw new ValidationException("code", "That code does not match; check the time on your phone and enter the 6 digits shown now.");
        }
        Check(await users.SetTwoFactorEnabledAsync(user, true));
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))?.ToList() ?? [];
        await audit.RecordAsync("TwoStepEnabled", EntityType, user.Id, $"{user.Email} turned on two-step sign-in.", cancellationToken);
        return codes;
    }

    public async Task DisableTwoStepAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId, cancellationToken);
        if (await TwoStepRequiredAsync(user, cancellationToken))
        {
            throw new ValidationException("twoStep", "Your practice requires two-step sign-in for administrators, so it stays on.");
        }
        Check(await users.SetTwoFactorEnabledAsync(user, false));
        Check(await users.ResetAuthenticatorKeyAsync(user));
        await audit.RecordAsync("TwoStepDisabled", EntityType, user.Id, $"{user.Email} turned off two-step sign-in.", cancellationToken);
    }

    /// <summary>The rule, from the facts: two-step sign-in is required of an administrator of a practice that requires it.</summary>
    public static bool TwoStepRequired(bool practiceRequiresForAdmins, IEnumerable<string?> roles) =>
        practiceRequiresForAdmins && roles.Contains(Roles.Admin);

    /// <summary>Whether this user must use two-step sign-in: an administrator of a practice that requires it.</summary>
    public async Task<bool> TwoStepRequiredAsync(AppUser user, CancellationToken cancellationToken = default) =>
        await db.Organizations.AnyAsync(o => o.Id == user.OrganizationId && o.RequireTwoFactorForAdmins, cancellationToken)
        && TwoStepRequired(practiceRequiresForAdmins: true, await users.GetRolesAsync(user));

    public async Task<bool> TwoStepRequiredForAdminsAsync(CancellationToken cancellationToken = default) =>
        await db.Organizations.Where(o => o.Id == db.Organization.RequiredId).Select(o => o.RequireTwoFactorForAdmins).FirstAsync(cancellationToken);

    public async Task SetTwoStepRequiredForAdminsAsync(bool required, CancellationToken cancellationToken = default)
    {
        var organization = await db.Organizations.FirstAsync(o => o.Id == db.Organization.RequiredId, cancellationToken);
        if (organization.RequireTwoFactorForAdmins == required)
        {
            return;
        }
        organization.RequireTwoFactorForAdmins = required;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync("TwoStepPolicyChanged", "Organization", organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            required ? "Administrators must use two-step sign-in." : "Two-step sign-in is optional for administrators.", cancellationToken);
    }

    // ---- helpers ----

    private async Task EnsureAnotherActiveAdminAsync(AppUser user, string verb, CancellationToken cancellationToken)
    {
        var roleOf = await RolesAsync(user.OrganizationId, cancellationToken);
        if (roleOf.GetValueOrDefault(user.Id) != Roles.Admin)
        {
            return;
        }
        var otherActiveAdmins = await db.Users.Where(u => u.OrganizationId == user.OrganizationId && u.Id != user.Id && u.DisabledAt == null)
            .Select(u => u.Id).ToListAsync(cancellationToken);
        if (!otherActiveAdmins.Any(id => roleOf.GetValueOrDefault(id) == Roles.Admin))
        {
            throw new ValidationException("user", $"You cannot {verb} {user.Email}: the practice must keep at least one active administrator.");
        }
    }

    /// <summary>Each user's role (the highest if several, Admin first).</summary>
    private async Task<Dictionary<string, string>> RolesAsync(int organizationId, CancellationToken cancellationToken)
    {
        var pairs = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           join u in db.Users on ur.UserId equals u.Id
                           where u.OrganizationId == organizationId
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        return pairs.GroupBy(p => p.UserId).ToDictionary(g => g.Key,
            g => g.Select(p => p.Name!).OrderBy(n => Array.IndexOf(Roles.All, n) is var i and >= 0 ? i : int.MaxValue).First(), StringComparer.Ordinal);
    }

    private async Task<Uri> ResetLinkAsync(AppUser user)
    {
        var token = await users.GenerateUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, ResetPurpose);
        return address.Link($"/Account/ResetPassword?email={Uri.EscapeDataString(user.Email ?? "")}&token={Uri.EscapeDataString(token)}");
    }

    private EmailMessage ResetMessage(AppUser user, Uri link)
    {
        var hours = (int)ResetLinkTokenProvider.Lifetime.TotalHours;
        var text = $"Hello {UserNames.Display(user.DisplayName, user.Email)},\n\n"
            + $"Someone asked to reset your Rapport password. To choose a new one, open this link within {hours} hours (it works once):\n\n{link}\n\n"
            + "If you did not ask for this, ignore this message: your password stays as it is.";
        var html = string.Join("", text.Split("\n\n").Select(p => $"<p>{System.Net.WebUtility.HtmlEncode(p)}</p>"));
        return new EmailMessage(user.Email!, "Reset your Rapport password", text, html);
    }

    private async Task<IdentityResult> ValidateAsync(AppUser user, string? password)
    {
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            if (!result.Succeeded) return result;
        }
        return IdentityResult.Success;
    }

    private static string? PasswordProblem(IdentityResult result) =>
        result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => e.Description));

    /// <summary>Anonymous pages (forgot, reset) act for the account's practice: its outbox and audit trail.</summary>
    private void EnterPracticeOf(AppUser user)
    {
        db.Organization.Set(user.OrganizationId);
        db.Organization.Actor ??= user.Email;
    }

    private static void Check(IdentityResult result, string field = "user")
    {
        if (!result.Succeeded)
        {
            throw new ValidationException(field, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
