using System.Net;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Rapport.Data;
using Rapport.Tests.Infrastructure;
using Rapport.Users;

namespace Rapport.Tests.Security;

/// <summary>
/// Issue 12, items 6 and 10: behind a TLS proxy the cookies are Secure and HSTS is sent (only when the
/// proxy is one the practice named), the Host header never reaches a redirect, data-protection keys are
/// encrypted at rest, and a role without access sees "Not allowed" with 403 where it asked.
/// </summary>
public sealed class TransportTests
{
    [Fact]
    public async Task Behind_a_named_proxy_https_requests_get_secure_cookies_and_hsts()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite,
            builder => builder.Configuration["ForwardedHeaders:KnownProxies"] = "127.0.0.1");
        var org = await app.CreateOrganizationAsync("Harbor PT");
        // Cookies by hand: a cookie jar rightly keeps Secure cookies off this test's plain-HTTP leg.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        // HSTS is never sent to localhost; the proxy passes on the practice's own host name.
        client.DefaultRequestHeaders.Host = "rapport.harbor-pt.test";

        using var form = await client.GetAsync("/Account/Login", TestContext.Current.CancellationToken);
        Assert.Contains("max-age=", string.Join(" ", form.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.NotEmpty(SetCookies(form));
        Assert.All(SetCookies(form), cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));

        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = org.AdminEmail,
                ["Password"] = RapportApp.Password,
                ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)),
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", SetCookies(form).Select(c => c.Split(';')[0])));
        using var signIn = await client.SendAsync(post, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = Assert.Single(SetCookies(signIn), c => c.StartsWith("rapport=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Forwarded_headers_from_a_proxy_nobody_named_are_ignored()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        await app.CreateOrganizationAsync("Harbor PT");
        using var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var form = await client.GetAsync("/Account/Login", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.False(form.Headers.Contains("Strict-Transport-Security"));
        Assert.NotEmpty(SetCookies(form));
        Assert.All(SetCookies(form), cookie => Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_forged_host_header_never_reaches_a_redirect()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        await app.CreateOrganizationAsync("Harbor PT");
        using var client = app.AnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Patients?page=2");
        request.Headers.Host = "evil.test";
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.DoesNotContain("evil", location, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/Account/Login?ReturnUrl=%2FPatients%3Fpage%3D2", location);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Data_protection_keys_are_stored_encrypted(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        using (await app.SignedInClientAsync(org.AdminEmail))
        {
        }
        var stored = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.NotEmpty(stored);
        foreach (var xml in stored)
        {
            var key = XElement.Parse(xml!);
            var descriptor = key.Element("descriptor")!;
            Assert.Empty(descriptor.Descendants("masterKey")); // the secret is not in the clear
            Assert.Single(descriptor.Descendants(AesGcmXmlEncryptor.ElementName));
        }
    }

    [Fact]
    public void A_key_encrypted_under_one_key_encryption_key_does_not_open_under_another_and_says_why()
    {
        var folder = Directory.CreateTempSubdirectory("rapport-kek-").FullName;
        try
        {
            var first = KeyEncryptionKey.Load(Configuration(("DataFolder", folder)));
            var again = KeyEncryptionKey.Load(Configuration(("DataFolder", folder)));
            Assert.Equal(first.Fingerprint, again.Fingerprint); // created once, then read back
            Assert.Equal(KeyEncryptionKey.Length, Convert.FromBase64String(File.ReadAllText(Path.Combine(folder, KeyEncryptionKey.DefaultFileName))).Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, KeyEncryptionKey.DefaultFileName)));
            }

            var secret = new XElement("masterKey", new XElement("value", "c2VjcmV0"));
            var encrypted = new AesGcmXmlEncryptor(first).Encrypt(secret);
            Assert.DoesNotContain("c2VjcmV0", encrypted.EncryptedElement.ToString(), StringComparison.Ordinal);
            Assert.Equal(secret.ToString(), new AesGcmXmlDecryptor(Provider(first)).Decrypt(encrypted.EncryptedElement).ToString());

            var other = KeyEncryptionKey.Load(Configuration((KeyEncryptionKey.ConfigurationKey, KeyEncryptionKey.NewKeyText())));
            var error = Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => new AesGcmXmlDecryptor(Provider(other)).Decrypt(encrypted.EncryptedElement));
            Assert.Contains("same DataProtection:Key", error.Message, StringComparison.Ordinal);

            var wrongLength = Assert.Throws<InvalidOperationException>(() => KeyEncryptionKey.Load(Configuration((KeyEncryptionKey.ConfigurationKey, Convert.ToBase64String(new byte[16])))));
            Assert.Contains("holds 16 bytes; it must hold 32", wrongLength.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_role_without_access_gets_403_not_allowed_where_it_asked(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().AddAsync("clinician@harbor.test", RapportApp.Password, Roles.Clinician, "Casey Clinician"));
        using var client = await app.SignedInClientAsync("clinician@harbor.test");
        using var response = await client.GetAsync("/Settings/Practice", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<h1>Not allowed</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Not found", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_manager_cannot_add_an_administrator(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().AddAsync("manager@harbor.test", RapportApp.Password, Roles.Manager, "Morgan Manager"));
        using var manager = await app.SignedInClientAsync("manager@harbor.test");
        var form = await manager.GetStringAsync("/Settings/Users", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("<option value=\"Admin\">", form, StringComparison.Ordinal);
        using var response = await manager.PostAsync("/Settings/Users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Mallory",
            ["Input.Email"] = "mallory@harbor.test",
            ["Input.Role"] = "Admin",
            ["Input.Password"] = "a long passphrase nobody guesses",
            ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(form),
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Only an administrator can add another administrator.", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var staff = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().ListAsync());
        Assert.DoesNotContain(staff, u => u.Email == "mallory@harbor.test");
    }

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static IServiceProvider Provider(KeyEncryptionKey key) =>
        new ServiceCollection().AddSingleton(key).BuildServiceProvider();
}
