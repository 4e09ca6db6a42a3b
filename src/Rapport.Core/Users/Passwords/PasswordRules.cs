using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rapport.Data;

namespace Rapport.Users;

/// <summary>
/// The password rules of every door (first-run setup, users add, reset, change), per NIST SP 800-63B
/// §5.1.1.2 (memorized secrets) and OWASP ASVS 4.0.3 V2.1: at least 12 characters and at most
/// <see cref="MaximumLength"/>, any printable character including spaces and Unicode, no composition
/// rules (no "one digit, one capital"), and refused when it is a commonly used or breached password,
/// repetitive, or the account's own e-mail or practice name. Identity's own length check runs too
/// (<see cref="IdentitySetup"/> sets it to the same minimum).
/// </summary>
public sealed class PasswordRules(RapportDbContext db) : IPasswordValidator<AppUser>
{
    public const int MinimumLength = 12;
    /// <summary>NIST asks that at least 64 be allowed; the cap only keeps hashing a pasted novel cheap.</summary>
    public const int MaximumLength = 128;

    public const string Hint = "At least 12 characters; a phrase of several words is easiest to remember. Common or breached passwords, and your e-mail or practice name, are refused.";

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommon);

    public async Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        var practiceName = user.OrganizationId == 0 ? null
            : await db.Organizations.Where(o => o.Id == user.OrganizationId).Select(o => o.Name).FirstOrDefaultAsync();
        return Check(password, user.Email, practiceName) is { } problem
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordRules", Description = problem })
            : IdentityResult.Success;
    }

    /// <summary>The one problem with this password for this account, or null when it is acceptable.</summary>
    public static string? Check(string? password, string? email, string? practiceName)
    {
        password ??= "";
        // Length is counted in characters as people see them (a surrogate pair or an accented letter counts once).
        var length = new StringInfo(password.Normalize(NormalizationForm.FormC)).LengthInTextElements;
        if (length < MinimumLength)
        {
            return $"The password must be at least {MinimumLength} characters long; a phrase of several words is easiest to remember.";
        }
        if (length > MaximumLength)
        {
            return $"The password can be at most {MaximumLength} characters long.";
        }
        if (password.Any(c => char.IsControl(c)))
        {
            return "The password cannot contain control characters such as tabs or line breaks.";
        }
        if (password.Distinct().Count() < 5)
        {
            return "The password repeats too few characters (like \"aaaaaaaaaaaa\" or \"abababababab\"); choose a phrase instead.";
        }
        var plain = Plain(password);
        if (Common.Value.Contains(plain) || Common.Value.Contains(WithoutTrailingDigitsAndSymbols(plain)) || Common.Value.Contains(password.ToLowerInvariant()))
        {
            return "That password is one of the most commonly used or breached passwords; choose another.";
        }
        foreach (var word in ContextWords(email, practiceName))
        {
            if (plain == word || WithoutTrailingDigitsAndSymbols(plain) == word)
            {
                return "The password cannot be your e-mail, your name in it, the practice's name or the app's name.";
            }
        }
        return null;
    }

    private static IEnumerable<string> ContextWords(string? email, string? practiceName)
    {
        yield return "rapport";
        if (!string.IsNullOrWhiteSpace(email))
        {
            yield return Plain(email);
            yield return Plain(email.Split('@')[0]);
        }
        if (!string.IsNullOrWhiteSpace(practiceName))
        {
            yield return Plain(practiceName);
        }
    }

    /// <summary>Lower case without spaces, so "Riverside Physical Therapy" and "riversidephysicaltherapy" are one word.</summary>
    private static string Plain(string text) => string.Concat(text.ToLowerInvariant().Where(c => !char.IsWhiteSpace(c)));

    /// <summary>"password2024!" is still "password": people meet composition rules by appending.</summary>
    private static string WithoutTrailingDigitsAndSymbols(string text) => text.TrimEnd("0123456789!@#$%^&*()-_=+.?~ ".ToCharArray());

    private static HashSet<string> LoadCommon()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Rapport.Users.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is missing from the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim().Length > 0) set.Add(line.Trim().ToLowerInvariant());
        }
        return set;
    }
}
