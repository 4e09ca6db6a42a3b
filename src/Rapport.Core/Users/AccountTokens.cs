using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Rapport.Users;

/// <summary>
/// Password-reset links: a random 256-bit token whose SHA-256 is kept with the account (Identity's
/// user tokens), valid for <see cref="Lifetime"/>, for one use. It is tied to the security stamp, which
/// a reset changes, so a used link (or one sent before a later sign-out everywhere) is dead; asking
/// again replaces the previous link. Unlike Identity's data-protection tokens it needs no shared key
/// ring, so `rapport users reset-password` can print a link the web app accepts (OWASP ASVS 4.0.3 V2.5).
/// </summary>
public sealed class ResetLinkTokenProvider(TimeProvider time) : IUserTwoFactorTokenProvider<AppUser>
{
    public const string Name = "RapportResetLink";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private const string LoginProvider = "Rapport";

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) => Task.FromResult(false);

    public async Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user)
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var stamp = await manager.GetSecurityStampAsync(user);
        await manager.SetAuthenticationTokenAsync(user, LoginProvider, purpose, $"{Hash(token)}|{expires}|{Hash(stamp)}");
        return token;
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        if (await manager.GetAuthenticationTokenAsync(user, LoginProvider, purpose) is not { } stored || stored.Split('|') is not [var hash, var expires, var stampHash])
        {
            return false;
        }
        var stamp = await manager.GetSecurityStampAsync(user);
        return long.TryParse(expires, System.Globalization.CultureInfo.InvariantCulture, out var expiresAt)
            && time.GetUtcNow().ToUnixTimeSeconds() <= expiresAt
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Hash(token ?? "")))
            && stampHash == Hash(stamp);
    }

    private static string Hash(string? value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value ?? "")));
}

/// <summary>
/// Time-based one-time codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) from an authenticator
/// app, checked on the app's clock (the injected <see cref="TimeProvider"/>, which tests and
/// back-tests set) rather than the machine's: Identity's own provider reads the wall clock. One step
/// either side is accepted for clock drift (RFC 6238 §5.2).
/// </summary>
public sealed class AuthenticatorCodeProvider(TimeProvider time) : IUserTwoFactorTokenProvider<AppUser>
{
    public const string Name = "RapportAuthenticator";

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>The app never sends these codes; the user's authenticator computes them.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        var code = new string((token ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (code.Length != 6 || !code.All(char.IsAsciiDigit) || await manager.GetAuthenticatorKeyAsync(user) is not { } key || Totp.FromBase32(key) is not { } secret)
        {
            return false;
        }
        var step = Totp.Step(time.GetUtcNow());
        for (var drift = -1; drift <= 1; drift++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Totp.Code(secret, step + drift)), Encoding.ASCII.GetBytes(code)))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>RFC 6238 / RFC 4226 arithmetic and the RFC 4648 base-32 the keys are written in.</summary>
public static class Totp
{
    public static long Step(DateTimeOffset at) => at.ToUnixTimeSeconds() / 30;

    public static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1; its use here is not collision-sensitive.
        var hash = HMACSHA1.HashData(secret, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static byte[]? FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant())
        {
            if (c is '=' or ' ' or '-') continue;
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0) return null;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return output.Count == 0 ? null : [.. output];
    }
}
