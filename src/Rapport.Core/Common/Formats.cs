using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Rapport.Common;

public static partial class Formats
{
    /// <summary>
    /// NPI check digit: Luhn over the nine-digit identifier prefixed with 80840 (the ISO
    /// card-issuer prefix CMS assigned to US health applications), per the CMS NPI
    /// "Check Digit" specification. Adding the constant 24 for the prefix is equivalent.
    /// </summary>
    public static bool IsValidNpi(string? npi)
    {
        if (npi is null || npi.Length != 10 || !npi.All(char.IsAsciiDigit))
        {
            return false;
        }
        var sum = 24;
        var doubleIt = true;
        for (var i = 8; i >= 0; i--)
        {
            var digit = npi[i] - '0';
            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }
            sum += digit;
            doubleIt = !doubleIt;
        }
        var check = (10 - sum % 10) % 10;
        return check == npi[9] - '0';
    }

    /// <summary>Builds a valid NPI from nine digits by appending the Luhn check digit.</summary>
    public static string NpiWithCheckDigit(string nineDigits)
    {
        for (var check = 0; check <= 9; check++)
        {
            var candidate = nineDigits + (char)('0' + check);
            if (IsValidNpi(candidate))
            {
                return candidate;
            }
        }
        throw new ArgumentException("Nine digits expected.", nameof(nineDigits));
    }

    public static bool IsValidEmail(string? email) =>
        !string.IsNullOrWhiteSpace(email) && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email.Trim()
        && email.Contains('.', StringComparison.Ordinal);

    /// <summary>US phone numbers: ten digits once punctuation and an optional leading 1 are removed.</summary>
    public static string? NormalizePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 11 && digits[0] == '1')
        {
            digits = digits[1..];
        }
        if (digits.Length != 10 || PhoneJunk().IsMatch(phone))
        {
            return null;
        }
        return $"({digits[..3]}) {digits[3..6]}-{digits[6..]}";
    }

    public static bool IsValidZip(string? zip) => zip is not null && ZipPattern().IsMatch(zip);

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"[A-Za-z]")]
    private static partial Regex PhoneJunk();

    [GeneratedRegex(@"^\d{5}(-?\d{4})?$")]
    private static partial Regex ZipPattern();
}
