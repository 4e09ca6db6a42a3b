using Microsoft.AspNetCore.Identity;

namespace Rapport.Users;

/// <summary>
/// A staff member. Identity needs to find users before anyone is signed in, so this table is not
/// under the organization query filter; <see cref="UserDirectory"/> is the only place that lists
/// users, and it filters by the current organization itself.
/// </summary>
public sealed class AppUser : IdentityUser
{
    public int OrganizationId { get; set; }
    public string? DisplayName { get; set; }
    /// <summary>Professional credentials printed after the name where the user signs, e.g. "PT, DPT, OCS".</summary>
    public string? Credentials { get; set; }
    /// <summary>When an administrator deactivated the account (UTC); a deactivated user cannot sign in and has no session. Null = active.</summary>
    public DateTime? DisabledAt { get; set; }
    /// <summary>Who deactivated it, as the audit trail records actors (an e-mail, "cli:…").</summary>
    public string? DisabledBy { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Manager = "Manager";
    public const string Liaison = "Liaison";
    public const string FrontDesk = "FrontDesk";
    public const string Clinician = "Clinician";

    public static readonly string[] All = [Admin, Manager, Liaison, FrontDesk, Clinician];

    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role?.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Claim carrying the user's organization id in the sign-in cookie.</summary>
public static class RapportClaims
{
    public const string OrganizationId = "rapport:org";
    public const string DisplayName = "rapport:name";
    /// <summary>Present when the user must set up two-step sign-in before anything else (an admin of a practice that requires it).</summary>
    public const string TwoFactorSetupRequired = "rapport:2fa-setup";
}
