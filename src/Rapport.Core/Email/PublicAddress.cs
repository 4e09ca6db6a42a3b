namespace Rapport.Email;

/// <summary>
/// The address people outside reach the app at, for links in e-mails. Set by configuration
/// (<c>PublicUrl</c>, e.g. https://rapport.example-pt.com); when unset, the web app fills it with the
/// address it listens on once started, which suits a single-node install.
/// </summary>
public sealed class PublicAddress(Microsoft.Extensions.Configuration.IConfiguration configuration)
{
    private Uri? baseUrl = Uri.TryCreate(configuration["PublicUrl"], UriKind.Absolute, out var configured) ? configured : null;

    public Uri BaseUrl => baseUrl ?? new Uri("http://localhost:5000/");

    public bool IsConfigured => baseUrl is not null;

    public void UseListeningAddress(Uri address) => baseUrl ??= address;

    public Uri Link(string relativePath) => new(BaseUrl, relativePath.TrimStart('/'));
}
