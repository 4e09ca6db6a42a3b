using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rapport.Data;

/// <summary>
/// The data-protection keys (which sign the sign-in cookie, antiforgery tokens and password-reset
/// links) live in the database beside the practices' data, so a database backup or dump alone must
/// not be enough to forge a session. Every key is stored encrypted (AES-256-GCM) under a key-encryption
/// key that is never in the database: <c>DataProtection:Key</c> (32 bytes, Base64) from configuration,
/// else the file <c>DataProtection:KeyFile</c>, else <c>DataFolder/data-protection.key</c>, created on first
/// start with owner-only permissions. Several nodes sharing one PostgreSQL must be given the same key.
/// (HIPAA Security Rule 45 CFR 164.312(a)(2)(iv) encryption; OWASP ASVS 4.0.3 §6.4.1 key management.)
/// </summary>
public sealed class KeyEncryptionKey
{
    public const int Length = 32;
    public const string ConfigurationKey = "DataProtection:Key";
    public const string FileConfigurationKey = "DataProtection:KeyFile";
    public const string DefaultFileName = "data-protection.key";

    private KeyEncryptionKey(byte[] key, string origin)
    {
        Key = key;
        Origin = origin;
        Fingerprint = Convert.ToHexString(SHA256.HashData(key), 0, 8).ToLowerInvariant();
    }

    internal byte[] Key { get; }

    /// <summary>Where the key came from (configuration or a file path), for messages.</summary>
    public string Origin { get; }

    /// <summary>A short hash that names the key in the stored XML, so a wrong key gives a clear error.</summary>
    public string Fingerprint { get; }

    public static KeyEncryptionKey Load(IConfiguration configuration)
    {
        if (configuration[ConfigurationKey] is { Length: > 0 } configured)
        {
            return new KeyEncryptionKey(Decode(configured, ConfigurationKey), ConfigurationKey);
        }
        var path = Path.GetFullPath(configuration[FileConfigurationKey] is { Length: > 0 } file
            ? file
            : Path.Combine(configuration["DataFolder"] ?? "data", DefaultFileName));
        return new KeyEncryptionKey(Decode(ReadOrCreate(path), path), path);
    }

    /// <summary>A fresh key in the form <c>DataProtection:Key</c> takes.</summary>
    public static string NewKeyText() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(Length));

    private static byte[] Decode(string text, string origin)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{origin} is not Base64; it must hold {Length} random bytes in Base64 (e.g. `openssl rand -base64 32`).");
        }
        return key.Length == Length ? key
            : throw new InvalidOperationException($"{origin} holds {key.Length} bytes; it must hold {Length} (e.g. `openssl rand -base64 32`).");
    }

    private static string ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write under a temporary name and move into place without overwriting: two processes starting
        // at once both end up with the key the first one wrote.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
        {
            writer.Write(NewKeyText());
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
        return File.ReadAllText(path);
    }
}

/// <summary>Encrypts each data-protection key's XML with the <see cref="KeyEncryptionKey"/> before it is stored.</summary>
public sealed class AesGcmXmlEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    internal const string ElementName = "rapportEncryptedKey";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using (var aes = new AesGcm(key.Key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(ElementName,
            new XAttribute("key", key.Fingerprint),
            new XComment(" Encrypted with Rapport's key-encryption key (DataProtection:Key); see README, Deploying behind TLS. "),
            new XElement("value", Convert.ToBase64String([.. nonce, .. tag, .. ciphertext])));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>The data-protection system creates decryptors by type, handing them its service provider.</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<KeyEncryptionKey>();
        var stored = (string?)encryptedElement.Attribute("key");
        if (stored is not null && stored != key.Fingerprint)
        {
            throw new CryptographicException(
                $"A data-protection key was encrypted with key-encryption key {stored}, but {key.Origin} holds {key.Fingerprint}. "
                + "Give every node the same DataProtection:Key.");
        }
        var data = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        var nonce = data.AsSpan(0, NonceSize);
        var tag = data.AsSpan(NonceSize, TagSize);
        var ciphertext = data.AsSpan(NonceSize + TagSize);
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(key.Key, TagSize))
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }
        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
    }
}

public static class DataProtectionSetup
{
    /// <summary>
    /// One key ring for the web app and the CLI (a reset link printed by a verb must open in the browser):
    /// kept in the database, shared by every node, each key encrypted at rest by <see cref="KeyEncryptionKey"/>.
    /// </summary>
    public static IServiceCollection AddRapportDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => KeyEncryptionKey.Load(configuration));
        services.AddDataProtection().SetApplicationName("Rapport").PersistKeysToDbContext<RapportDbContext>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((options, provider) => options.XmlEncryptor = new AesGcmXmlEncryptor(provider.GetRequiredService<KeyEncryptionKey>()));
        return services;
    }
}
