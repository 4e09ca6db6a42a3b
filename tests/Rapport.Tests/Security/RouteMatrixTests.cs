using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using Rapport.Users;
using static Rapport.Tests.Letters.LetterTestKit;

namespace Rapport.Tests.Security;

/// <summary>
/// Issue 12: a role × route matrix generated from the app's own endpoint list, so a page or API route
/// added tomorrow is covered without editing this file. Every GET route is opened by an anonymous
/// client, a signed-in user of each role and an API key, and the answer is checked against the
/// practice's access policy, written here independently of the attributes on the pages:
/// <list type="bullet">
/// <item>anonymous: only sign-in, first-run, error, survey, health and the API description open; other pages go to sign-in, the API answers 401;</item>
/// <item>Settings (and NPS settings) and Imports are for Admin and Manager; Settings → Practice for Admin only; every other page is for every role;</item>
/// <item>the API is for API keys only (a browser cookie gets 401); pages are for people (an API key goes to sign-in);</item>
/// <item>nobody ever gets a 500, and every answer carries the security headers.</item>
/// </list>
/// </summary>
public sealed partial class RouteMatrixTests
{
    private static readonly string[] AnonymousPrefixes = ["/Account/", "/Setup", "/Error", "/s/", "/healthz", "/api/v1/openapi.json"];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Every_get_route_answers_each_role_as_the_access_policy_says(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var samples = await SeedAsync(app, org);
        var routes = GetRoutes(app, samples);
        Assert.True(routes.Count > 80, $"only {routes.Count} GET routes found");

        var failures = new List<string>();
        using var anonymous = app.AnonymousClient();
        using var apiKeyOnPages = app.AnonymousClient();
        apiKeyOnPages.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", org.ApiKey);
        var staff = new Dictionary<string, HttpClient> { [Roles.Admin] = await app.SignedInClientAsync(org.AdminEmail) };
        foreach (var role in Roles.All.Where(r => r != Roles.Admin))
        {
            var email = $"{role.ToLowerInvariant()}@harbor.test";
            await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().AddAsync(email, RapportApp.Password, role, $"{role} Person"));
            staff[role] = await app.SignedInClientAsync(email);
        }

        foreach (var route in routes)
        {
            var isApi = route.StartsWith("/api/", StringComparison.Ordinal);
            var isAnonymous = AnonymousPrefixes.Any(p => route.StartsWith(p, StringComparison.Ordinal));
            await CheckAsync(anonymous, "anonymous", route, isAnonymous ? Outcome.NotRefused : isApi ? Outcome.Unauthorized : Outcome.SignIn, failures);
            foreach (var (role, client) in staff)
            {
                var expected = isAnonymous ? Outcome.NotRefused
                    : isApi ? Outcome.Unauthorized
                    : MayOpen(role, route) ? Outcome.Allowed : Outcome.Forbidden;
                await CheckAsync(client, role, route, expected, failures);
            }
            if (isApi)
            {
                using var key = app.ApiClient(org.ApiKey);
                await CheckAsync(key, "api key", route, isAnonymous ? Outcome.NotRefused : Outcome.Allowed, failures);
            }
            else
            {
                await CheckAsync(apiKeyOnPages, "api key", route, isAnonymous ? Outcome.NotRefused : Outcome.SignIn, failures);
            }
        }
        foreach (var client in staff.Values)
        {
            client.Dispose();
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {routes.Count * (Roles.All.Length + 2)} answers break the policy:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_write_route_refuses_anonymous_callers_and_cookies_on_the_api_and_forbidden_roles_on_settings()
    {
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var samples = await SeedAsync(app, org);
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().AddAsync("clinician@harbor.test", RapportApp.Password, Roles.Clinician, "Casey Clinician"));
        using var clinician = await app.SignedInClientAsync("clinician@harbor.test");
        using var anonymous = app.AnonymousClient();
        var failures = new List<string>();
        var checkedRoutes = 0;
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["POST"];
            foreach (var method in methods.Where(m => m != "GET"))
            {
                var route = Fill(pattern, samples);
                var isApi = route.StartsWith("/api/", StringComparison.Ordinal);
                if (AnonymousPrefixes.Any(p => route.StartsWith(p, StringComparison.Ordinal)) || (!isApi && !MayOpen(Roles.Admin, route)))
                {
                    continue;
                }
                checkedRoutes++;
                using var body = new StringContent("{}", Encoding.UTF8, "application/json");
                using (var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), route) { Content = body }, TestContext.Current.CancellationToken))
                {
                    var location = response.Headers.Location?.OriginalString ?? "";
                    var refused = isApi ? response.StatusCode == HttpStatusCode.Unauthorized
                        : response.StatusCode == HttpStatusCode.Redirect && location.StartsWith("/Account/Login", StringComparison.Ordinal);
                    if (!refused)
                    {
                        failures.Add($"anonymous {method} {route} → {(int)response.StatusCode} {location}");
                    }
                }
                if (isApi || !MayOpen(Roles.Clinician, route))
                {
                    // A JSON body for the API (routing answers 415 to any other type before anyone is asked who they are).
                    using HttpContent content = isApi ? new StringContent("{}", Encoding.UTF8, "application/json") : new FormUrlEncodedContent([]);
                    using var response = await clinician.SendAsync(new HttpRequestMessage(new HttpMethod(method), route) { Content = content }, TestContext.Current.CancellationToken);
                    var expected = isApi ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                    if (response.StatusCode != expected)
                    {
                        failures.Add($"Clinician {method} {route} → {(int)response.StatusCode} (expected {(int)expected})");
                    }
                }
            }
        }
        Assert.True(checkedRoutes > 30, $"only {checkedRoutes} write routes checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Fill(string pattern, IReadOnlyDictionary<string, string> samples) =>
        Parameter().Replace(pattern, match =>
        {
            var before = pattern[..match.Index].TrimEnd('/');
            var segment = before[(before.LastIndexOf('/') + 1)..];
            var name = match.Groups["name"].Value;
            return samples.TryGetValue($"{segment.ToLowerInvariant()}/{name}", out var value) || samples.TryGetValue(name, out value) ? value : "1";
        });

    /// <summary>The access policy for signed-in staff.</summary>
    private static bool MayOpen(string role, string route)
    {
        if (route.StartsWith("/Settings/Practice", StringComparison.Ordinal))
        {
            return role == Roles.Admin;
        }
        if (route.StartsWith("/Settings", StringComparison.Ordinal) || route.StartsWith("/Nps/Settings", StringComparison.Ordinal) || route.StartsWith("/Imports", StringComparison.Ordinal))
        {
            return role is Roles.Admin or Roles.Manager;
        }
        return true;
    }

    private enum Outcome { Allowed, Forbidden, SignIn, Unauthorized, NotRefused }

    private static async Task CheckAsync(HttpClient client, string who, string route, Outcome expected, List<string> failures)
    {
        using var response = await client.GetAsync(route, TestContext.Current.CancellationToken);
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.OriginalString ?? "";
        var signIn = response.StatusCode == HttpStatusCode.Redirect && location.StartsWith("/Account/Login", StringComparison.Ordinal);
        var ok = expected switch
        {
            // Allowed: the page or resource itself, or a redirect within the app that is not to sign-in or an error.
            Outcome.Allowed => status == 200 || (response.StatusCode == HttpStatusCode.Redirect && !signIn && !location.Contains("Error", StringComparison.Ordinal)),
            Outcome.Forbidden => response.StatusCode == HttpStatusCode.Forbidden,
            Outcome.SignIn => signIn,
            Outcome.Unauthorized => response.StatusCode == HttpStatusCode.Unauthorized,
            Outcome.NotRefused => status < 500 && status != 401 && status != 403,
            _ => false,
        };
        if (!ok)
        {
            failures.Add($"{who,-10} GET {route} → {status} {location} (expected {expected})");
        }
        if (status >= 500)
        {
            failures.Add($"{who,-10} GET {route} → {status}: never a server error");
        }
        // The header check on every route kind: pages, API JSON, PDFs, CSV, calendar files, redirects, errors.
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in RequiredHeaders)
        {
            // Pages with a form add no-cache (antiforgery) to no-store; no-store is what counts.
            // Stricter than the default is fine: the survey page sends no referrer at all.
            if (!headers.TryGetValue(name, out var actual) || (name switch
                {
                    "Cache-Control" => !actual.Split(',', StringSplitOptions.TrimEntries).Contains(value),
                    "Referrer-Policy" => actual is not ("same-origin" or "no-referrer"),
                    _ => actual != value,
                }))
            {
                failures.Add($"{who,-10} GET {route} → {name}: '{actual}' (expected '{value}')");
            }
        }
        if (headers.ContainsKey("Server"))
        {
            failures.Add($"{who,-10} GET {route} → has a Server header");
        }
    }

    private static readonly (string Name, string Value)[] RequiredHeaders =
    [
        ("Cache-Control", "no-store"),
        ("Content-Security-Policy", Rapport.Web.SecurityHeadersMiddleware.ContentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    ];

    /// <summary>Every GET route of the running app with its parameters filled from the seeded practice.</summary>
    internal static List<string> GetRoutes(RapportApp app, IReadOnlyDictionary<string, string> samples)
    {
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            if (methods is not null && !methods.Contains("GET"))
            {
                continue;
            }
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            var filled = Parameter().Replace(pattern, match =>
            {
                var before = pattern[..match.Index].TrimEnd('/');
                var segment = before[(before.LastIndexOf('/') + 1)..];
                var name = match.Groups["name"].Value;
                var key = $"{segment.ToLowerInvariant()}/{name}";
                if (samples.TryGetValue(key, out var value) || samples.TryGetValue(name, out value))
                {
                    return value;
                }
                missing.Add($"{pattern}: no sample for '{key}'");
                return match.Value;
            });
            routes.Add(filled + (RequiredQueries.TryGetValue(pattern, out var query) ? query : ""));
        }
        Assert.True(missing.Count == 0, "Add a sample value to SeedAsync for: " + string.Join("; ", missing));
        return [.. routes];
    }

    /// <summary>Routes that need a query parameter to mean anything (without it they answer 400, rightly).</summary>
    private static readonly Dictionary<string, string> RequiredQueries = new(StringComparer.Ordinal)
    {
        ["/api/v1/outcomes"] = "?instrument=lefs",
    };

    /// <summary>
    /// A small practice with one of everything, and the values that fill each route parameter. With
    /// <paramref name="hostile"/>, every free-text field the API takes carries text made from it (the XSS corpus).
    /// </summary>
    internal static async Task<Dictionary<string, string>> SeedAsync(RapportApp app, TestOrganization org, Func<int, string>? hostile = null)
    {
        using var api = app.ApiClient(org.ApiKey);
        var field = 0;
        string Text(string plain) => hostile is null ? plain : hostile(++field);
        // Short columns (credential: 40 characters) get the short form of the corpus.
        string Short(string plain) => hostile is null ? plain : "\"><img src=x onerror=alert(1)>";
        var source = (await api.PostCreatedAsync("/api/v1/sources", new
        {
            npi = ApiTestKit.NextNpi(), firstName = Text("Lisa"), lastName = Text("Cuddy"), credential = Short("MD"), specialty = "Orthopaedic surgery",
            email = "lisa.cuddy@plainsboro.test", fax = "(951) 555-0199", practiceName = Text("Plainsboro Orthopaedics"), addressLine = Text("1 Hospital Way"),
            city = Text("Riverside"), state = "CA", zip = "92501", tags = Text("knee"),
        })).GetProperty("id").GetInt32();
        var npi = (await api.GetOkAsync($"/api/v1/sources/{source}")).GetProperty("npi").GetString()!;
        // The public NPI registry holds the source's NPI, so GET /registry/{npi} answers with its row
        // (Short: the corpus's numbered entries stay on the fields they were written for).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Rapport.Data.RapportDbContext>();
            db.RegistryProviders.Add(new Rapport.Registry.RegistryProvider
            {
                Npi = npi, EntityType = Rapport.Registry.RegistryEntityType.Individual, LastName = Short("CUDDY"), FirstName = Short("LISA"), Credential = Short("M.D."),
                TaxonomyCode = "207X00000X", AddressLine1 = Short("1 HOSPITAL WAY"), City = Short("RIVERSIDE"), State = "CA", PostalCode = "92501", Zip5 = "92501",
                UpdatedAt = TestClock.UtcNow,
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var patient = (await api.PostCreatedAsync("/api/v1/patients", new
        {
            externalId = Short("MRN-1"), firstName = Text("Rosa"), lastName = Text("Whitfield"), birthDate = "1957-03-14", sex = "F", payer = Text("Medicare"),
        })).GetProperty("id").GetInt32();
        var referral = (await api.PostCreatedAsync("/api/v1/referrals", new
        {
            patientId = patient, sourceId = source, clinicId = org.ClinicId, therapist = Text("Elena Park"), receivedOn = Iso(Today.AddDays(-43)),
            scheduledOn = Iso(Today.AddDays(-42)), evaluatedOn = Iso(Today.AddDays(-40)), dischargedOn = Iso(Today.AddDays(-2)), visitCount = 12,
            bodyRegion = Text("Knee"), procedure = Text("Total knee arthroplasty"), diagnosisCodes = "M17.11",
        })).GetProperty("id").GetInt32();
        foreach (var (timepoint, on, answer) in new[] { ("Intake", Today.AddDays(-40), 1), ("Discharge", Today.AddDays(-2), 3) })
        {
            await api.PostCreatedAsync($"/api/v1/referrals/{referral}/assessments",
                new { instrument = "lefs", timepoint, assessedOn = Iso(on), answers = string.Join(",", Enumerable.Repeat(answer, 20)) });
        }
        var touch = (await api.PostCreatedAsync("/api/v1/touchpoints", new
        {
            sourceId = source, occurredOn = Iso(Today.AddDays(-3)), method = "Phone", purpose = Text("Check-in"), notes = Text("Talked about knees"),
        })).GetProperty("id").GetInt32();
        var referBack = (await api.PostCreatedAsync("/api/v1/referbacks", new
        {
            toSourceId = source, patientId = patient, sentOn = Iso(Today.AddDays(-1)), reason = Text("Post-op follow-up"), notes = Text("Wound check"),
        })).GetProperty("id").GetInt32();
        var campaign = (await api.PostCreatedAsync("/api/v1/campaigns", new
        {
            name = Text("Spring health fair"), kind = "HealthFair", startsOn = Iso(Today.AddDays(-10)), targetSpecialties = Text("Orthopaedic surgery"),
            notes = Text("Booth 14"), costs = new[] { new { description = Text("Booth fee"), amount = 450m } },
        })).GetProperty("id").GetInt32();
        await api.SendAsync(HttpMethod.Post, $"/api/v1/campaigns/{campaign}/people", new
        {
            purpose = Text("Met at the fair"), people = new object[] { new { sourceId = source, notes = Text("Asked about knees") } },
        });
        await api.SendAsync(HttpMethod.Post, $"/api/v1/campaigns/{campaign}/targets", new { sourceIds = new[] { source } });
        if (hostile is not null)
        {
            var (status, body, _) = await api.SendAsync(HttpMethod.Put, $"/api/v1/referrals/{referral}/letters/discharge/notes", new { notes = Text("notes") });
            Assert.True(status == HttpStatusCode.NoContent, body.ToString());
        }
        static string Id(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sources/id"] = Id(source),
            ["campaigns/id"] = Id(campaign),
            ["patients/id"] = Id(patient),
            ["episodes/id"] = Id(referral),
            ["referrals/id"] = Id(referral),
            ["referralId"] = Id(referral),
            ["touchpoints/id"] = Id(touch),
            ["referbacks/id"] = Id(referBack),
            ["letters/kind"] = "discharge",
            ["templates/kind"] = Rapport.Letters.LetterTemplates.TemplateKey(Rapport.Letters.LetterKind.Discharge),
            ["by-npi/npi"] = npi,
            ["registry/npi"] = npi,
            ["token"] = "no-such-survey",
            ["export/kind"] = "sources",
            ["exports/kind"] = "patients",
        };
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(:[^}]*)?\}(?<suffix>)")]
    private static partial Regex Parameter();
}
