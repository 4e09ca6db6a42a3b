using Microsoft.EntityFrameworkCore;
using Rapport.Common;
using Rapport.Data;

namespace Rapport.Users;

/// <summary>
/// The one rule for showing a staff member: the display name when it is set, else the full e-mail
/// (a local part like "demo" says too little and collides between people). Where the person signs
/// (letters), their credentials follow the name: "Jane Smith, PT, DPT".
/// </summary>
public static class UserNames
{
    public const int DisplayNameMaxLength = 200;
    public const int CredentialsMaxLength = 100;

    public static string Display(string? displayName, string? email) =>
        Formats.Clean(displayName) ?? Formats.Clean(email) ?? "(unnamed user)";

    public static string Signature(string? displayName, string? credentials, string? email) =>
        Formats.Clean(credentials) is { } letters ? $"{Display(displayName, email)}, {letters}" : Display(displayName, email);

    /// <summary>
    /// Checks a display name and credentials as every door takes them (profile, settings, CLI):
    /// within the column lengths and free of control characters (a tab or line break in a name
    /// breaks letters, CSV exports and the header). Problems go on fields "displayName" and "credentials".
    /// </summary>
    public static void Check(Problems problems, string? displayName, string? credentials)
    {
        CheckText(problems, "displayName", "Name", displayName, DisplayNameMaxLength);
        CheckText(problems, "credentials", "Credentials", credentials, CredentialsMaxLength);
    }

    private static void CheckText(Problems problems, string field, string label, string? value, int maxLength)
    {
        if (Formats.Clean(value) is not { } text)
        {
            return;
        }
        if (text.Length > maxLength)
        {
            problems.Add(field, $"{label} is at most {maxLength} characters; got {text.Length}.");
        }
        if (text.Any(char.IsControl))
        {
            problems.Add(field, $"{label} cannot contain control characters such as tabs or line breaks.");
        }
    }
}

/// <summary>A staff member's name as the <see cref="UserNames"/> rule shows it, and as they sign.</summary>
public sealed record StaffName(string UserId, string Email, string Name, string Signature);

/// <summary>
/// The names of the organization's staff, to show a person wherever records keep a user id or the
/// acting e-mail (audit trail, letters sent, touches, closed follow-ups). Loaded once per scope.
/// </summary>
public sealed class StaffNames(RapportDbContext db)
{
    private StaffNameBook? book;

    public async Task<StaffNameBook> BookAsync(CancellationToken cancellationToken = default)
    {
        if (book is null)
        {
            var organizationId = db.Organization.RequiredId;
            var users = await db.Users.AsNoTracking().Where(u => u.OrganizationId == organizationId)
                .Select(u => new { u.Id, u.Email, u.DisplayName, u.Credentials }).ToListAsync(cancellationToken);
            book = new StaffNameBook([.. users.Select(u => new StaffName(u.Id, u.Email ?? "", UserNames.Display(u.DisplayName, u.Email),
                UserNames.Signature(u.DisplayName, u.Credentials, u.Email)))]);
        }
        return book;
    }
}

public sealed class StaffNameBook
{
    private readonly Dictionary<string, StaffName> byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StaffName> byEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, StaffName> byName = new(StringComparer.OrdinalIgnoreCase);

    public StaffNameBook(IEnumerable<StaffName> staff)
    {
        foreach (var s in staff)
        {
            byId[s.UserId] = s;
            if (s.Email.Length > 0) byEmail[s.Email] = s;
            byName.TryAdd(s.Name, s);
        }
    }

    /// <summary>The staff member a stored reference (user id, e-mail, or the name itself) points to.</summary>
    public StaffName? Find(string? reference) =>
        Formats.Clean(reference) is not { } key ? null
        : byId.GetValueOrDefault(key) ?? byEmail.GetValueOrDefault(key) ?? byName.GetValueOrDefault(key);

    /// <summary>
    /// How a recorded actor reads: a staff member's name when the record points to one, else the
    /// record as written ("cli:jo", "import", a name typed on an imported touch).
    /// </summary>
    public string? Show(string? reference) => Find(reference)?.Name ?? Formats.Clean(reference);

    /// <summary>
    /// A record that keeps both a written "by" (a name as typed, or the e-mail acted as) and the
    /// user id of whoever entered it: the written one wins, since it may name a colleague.
    /// </summary>
    public string? Show(string? written, string? userId) => Show(written) ?? Find(userId)?.Name;
}
