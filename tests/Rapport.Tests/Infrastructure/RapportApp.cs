using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Rapport.ApiKeys;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Tenancy;
using Rapport.Web;

namespace Rapport.Tests.Infrastructure;

/// <summary>
/// The real web app on a real Kestrel port over a fresh test database: what the browser, the API
/// clients and the CLI all talk to in tests.
/// </summary>
public sealed partial class RapportApp : IAsyncDisposable
{
    public const string Password = "correct-horse-battery-1";

    private readonly WebApplication app;

    private RapportApp(WebApplication app, TestDatabase database, Uri baseAddress)
    {
        this.app = app;
        Database = database;
        BaseAddress = baseAddress;
    }

    public TestDatabase Database { get; }
    public Uri BaseAddress { get; }
    public IServiceProvider Services => app.Services;

    /// <param name="now">Where the app's clock starts (it then runs at real speed); <see cref="TestClock.Now"/> unless given.</param>
    public static async Task<RapportApp> StartAsync(string databaseKind, Action<WebApplicationBuilder>? configure = null, DateTimeOffset? now = null)
    {
        var database = await TestDatabases.CreateMigratedAsync(databaseKind);
        var app = RapportWeb.Build(["--urls=http://127.0.0.1:0", "--environment=Testing", TestClock.Argument(now ?? TestClock.Now), .. database.ConfigurationArgs], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        await app.MigrateAsync();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RapportApp(app, database, new Uri(address));
    }

    /// <summary>Creates a practice with one clinic and an admin whose password is <see cref="Password"/>.</summary>
    public async Task<TestOrganization> CreateOrganizationAsync(string name, string timeZoneId = "UTC")
    {
        await using var scope = Services.CreateAsyncScope();
        var slug = OrganizationService.Slugify(name);
        var email = $"admin@{slug}.test";
        var (organization, _) = await scope.ServiceProvider.GetRequiredService<OrganizationService>()
            .CreateAsync(name, slug, $"{name} Main", email, Password, $"{name} Admin", timeZoneId);
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("tests", "tests");
        var clinics = await scope.ServiceProvider.GetRequiredService<OrganizationService>().ClinicsAsync();
        return new TestOrganization(organization.Id, slug, email, key.Secret, clinics[0].Id);
    }

    /// <summary>Runs service code as a member of the given organization.</summary>
    public async Task<T> InOrganizationAsync<T>(int organizationId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentOrganization>().Set(organizationId);
        return await work(scope.ServiceProvider);
    }

    public HttpClient ApiClient(string apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public HttpClient AnonymousClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = BaseAddress };

    /// <summary>A browser-like client signed in through the real login form (cookies and antiforgery).</summary>
    public async Task<HttpClient> SignedInClientAsync(string email, string password = Password)
    {
        var client = AnonymousClient();
        var form = await client.GetStringAsync("/Account/Login");
        using var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode}");
        }
        return client;
    }

    public static string AntiforgeryToken(string html) =>
        TokenPattern().Match(html) is { Success: true } match ? match.Groups[1].Value
            : throw new InvalidOperationException("The page has no antiforgery token.");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await Database.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

public sealed record TestOrganization(int Id, string Slug, string AdminEmail, string ApiKey, int ClinicId);

/// <summary>Runs the built `rapport` executable as a separate process, as a user at a terminal would.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs `rapport` with the test clock (<see cref="TestClock.Now"/>) unless the arguments set <c>--Clock:Now</c>.</summary>
    public static async Task<Result> RunAsync(TestDatabase database, params string[] args)
    {
        if (!args.Any(a => a.StartsWith("--Clock:Now", StringComparison.Ordinal)))
        {
            args = [.. args, TestClock.Argument(TestClock.Now)];
        }
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rapport.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var arg in database.ConfigurationArgs)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "250";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
