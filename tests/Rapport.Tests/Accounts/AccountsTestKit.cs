using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Patients;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;

namespace Rapport.Tests.Accounts;

internal static partial class AccountsTestKit
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<AppUser> AddUserAsync(RapportApp app, TestOrganization org, string email, string role, string password = RapportApp.Password) =>
        app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().AddAsync(email, password, role));

    public static Task<int> PatientAsync(RapportApp app, TestOrganization org) =>
        app.InOrganizationAsync(org.Id, async sp => (await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput
        {
            ExternalId = "P-4567", FirstName = "Jane", LastName = "Roe", BirthDate = new DateOnly(1960, 4, 2),
        }, Ct)).Id);

    /// <summary>Posts the sign-in form; returns the response (302 on success).</summary>
    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        Forms.PostAsync(client, "/Account/Login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });

    public static async Task<string?> ErrorAsync(HttpResponseMessage response) =>
        (await Forms.ParseAsync(response)).QuerySelector(".error-summary")?.TextContent.Trim();

    /// <summary>A client that sends only the given cookie header, as an attacker who copied it would.</summary>
    public static HttpClient WithCookie(RapportApp app, string cookie)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    /// <summary>The sign-in cookie the client holds, as a Cookie header value.</summary>
    public static string SessionCookie(RapportApp app, HttpClient client, HttpClientHandler handler) =>
        handler.CookieContainer.GetCookieHeader(app.BaseAddress);

    public static (HttpClient Client, HttpClientHandler Handler) Browser(RapportApp app)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        return (new HttpClient(handler) { BaseAddress = app.BaseAddress }, handler);
    }

    public static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location?.OriginalString.Replace(response.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Authority), "", StringComparison.Ordinal),
            StringComparison.Ordinal);
    }

    /// <summary>RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) computed here, independently of the app's code, at the app's clock.</summary>
    public static string TotpCode(string base32Key, DateTimeOffset at)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in base32Key.ToUpperInvariant().Where(c => c != '=' && c != ' '))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8) { bytes.Add((byte)(buffer >> (bits - 8))); bits -= 8; }
        }
        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian) Array.Reverse(counter);
#pragma warning disable CA5350
        using var hmac = new System.Security.Cryptography.HMACSHA1([.. bytes]);
#pragma warning restore CA5350
        var hash = hmac.ComputeHash(counter);
        var offset = hash[^1] & 0xf;
        var value = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string ResetLink(string text) => ResetLinkPattern().Match(text).Value;

    [GeneratedRegex(@"https?://\S+/Account/ResetPassword\?\S+")]
    private static partial Regex ResetLinkPattern();
}
