using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Rapport.ApiKeys;
using Rapport.Cli;
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

/// <summary>
/// Runs `rapport` verbs as a user at a terminal would. <see cref="RunAsync"/> runs the same entry point
/// (<see cref="RapportCli.RunAsync"/>) inside the test process with its own stdout and stderr: a cold
/// `dotnet rapport.dll` costs seconds of CPU (JIT, host, EF model) and the suite runs over a hundred verbs.
/// <see cref="RunProcessAsync"/> starts the built executable, for the tests that prove the binary itself works;
/// RAPPORT_TEST_CLI=process sends every verb through a real process.
/// </summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs `rapport` with the test clock (<see cref="TestClock.Now"/>) unless the arguments set <c>--Clock:Now</c>.</summary>
    public static async Task<Result> RunAsync(TestDatabase database, params string[] args)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("RAPPORT_TEST_CLI"), "process", StringComparison.OrdinalIgnoreCase)
            || ProcessOnlyVerbs.Any(verb => args.AsSpan().StartsWith(verb)))
        {
            return await RunProcessAsync(database, args);
        }
        return await ConsoleCapture.RunAsync(() => RapportCli.RunAsync(Arguments(database, args)));
    }

    /// <summary>Runs the built `rapport` executable as a separate process, with the test clock as <see cref="RunAsync"/>.</summary>
    public static async Task<Result> RunProcessAsync(TestDatabase database, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rapport.dll"));
        foreach (var arg in Arguments(database, args))
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in ConsoleCapture.Environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Verbs that need a process of their own: `import nppes` caps the GC heap (GCHeapHardLimit), which
    /// would cap the whole test run's heap if it ran in here; the others write bytes to
    /// Console.OpenStandardOutput(), which the in-process capture of Console.Out cannot see.
    /// </summary>
    private static readonly string[][] ProcessOnlyVerbs = [["import", "nppes"], ["export"], ["channels"], ["prospects"], ["referrals"], ["report"]];

    private static string[] Arguments(TestDatabase database, string[] args)
    {
        if (!args.Any(a => a.StartsWith("--Clock:Now", StringComparison.Ordinal)))
        {
            args = [.. args, TestClock.Argument(TestClock.Now)];
        }
        return [.. args, .. database.ConfigurationArgs];
    }

    /// <summary>
    /// Console.Out and Console.Error are process-wide; tests run in parallel. Both are replaced once by writers
    /// that send each write to the capture of the async flow it comes from (or to the real console outside any).
    /// </summary>
    private static class ConsoleCapture
    {
        /// <summary>What a terminal-less child process got: no colour, and the width tables are laid out for.</summary>
        public static readonly (string Name, string Value)[] Environment = [("NO_COLOR", "1"), ("COLUMNS", "250")];

        private static readonly AsyncLocal<Captured?> Current = new();
        private static readonly Lazy<bool> Installed = new(() =>
        {
            foreach (var (name, value) in Environment)
            {
                System.Environment.SetEnvironmentVariable(name, value);
            }
            Console.SetOut(new RoutingWriter(Console.Out, c => c.Stdout));
            Console.SetError(new RoutingWriter(Console.Error, c => c.Stderr));
            return true;
        });

        public static async Task<Result> RunAsync(Func<Task<int>> run)
        {
            _ = Installed.Value;
            var captured = new Captured();
            Current.Value = captured;
            try
            {
                var exitCode = await Task.Run(run);
                return new Result(exitCode, captured.Stdout.ToString(), captured.Stderr.ToString());
            }
            finally
            {
                Current.Value = null;
            }
        }

        private sealed class Captured
        {
            public StringWriter Stdout { get; } = new();
            public StringWriter Stderr { get; } = new();
        }

        private sealed class RoutingWriter(TextWriter console, Func<Captured, StringWriter> pick) : TextWriter
        {
            private TextWriter Target => Current.Value is { } captured ? pick(captured) : console;

            public override System.Text.Encoding Encoding => console.Encoding;
            public override IFormatProvider FormatProvider => console.FormatProvider;
            public override void Write(char value) => Target.Write(value);
            public override void Write(string? value) => Target.Write(value);
            public override void Write(char[] buffer, int index, int count) => Target.Write(buffer, index, count);
            public override void Write(ReadOnlySpan<char> buffer) => Target.Write(buffer);
            public override void WriteLine() => Target.WriteLine();
            public override void WriteLine(string? value) => Target.WriteLine(value);
            public override void WriteLine(ReadOnlySpan<char> buffer) => Target.WriteLine(buffer);
            public override Task WriteAsync(char value) { Target.Write(value); return Task.CompletedTask; }
            public override Task WriteAsync(string? value) { Target.Write(value); return Task.CompletedTask; }
            public override Task WriteAsync(char[] buffer, int index, int count) { Target.Write(buffer, index, count); return Task.CompletedTask; }
            public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) { Target.Write(buffer.Span); return Task.CompletedTask; }
            public override Task WriteLineAsync() { Target.WriteLine(); return Task.CompletedTask; }
            public override Task WriteLineAsync(char value) { Target.WriteLine(value); return Task.CompletedTask; }
            public override Task WriteLineAsync(string? value) { Target.WriteLine(value); return Task.CompletedTask; }
            public override Task WriteLineAsync(char[] buffer, int index, int count) { Target.WriteLine(buffer, index, count); return Task.CompletedTask; }
            public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) { Target.WriteLine(buffer.Span); return Task.CompletedTask; }
            public override void Flush() => Target.Flush();
            public override Task FlushAsync() { Target.Flush(); return Task.CompletedTask; }
        }
    }
}
