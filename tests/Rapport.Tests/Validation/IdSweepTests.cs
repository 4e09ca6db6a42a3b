using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Validation;

/// <summary>
/// Letter PDF/fax/notes/send, follow-up close and assessment delete answered 500 for a missing id or another
/// practice's (issue 12, item 8). Every API route with an id, read from the app's own endpoint list (a new
/// route is covered without editing this test), is called with a missing id and with another practice's ids:
/// never a 5xx, never a success, and a plain read or delete is a 404.
/// </summary>
public sealed class IdSweepTests
{
    private const int MissingId = 987_654;

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Every_id_route_answers_a_missing_or_foreign_id_without_a_500(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, org, client) = await ApiTestKit.StartWithOrganizationAsync(database);
        await using var _app = app;
        using var _client = client;

        // The other practice's rows, one of each kind a route can name.
        var other = await app.CreateOrganizationAsync("Elsewhere PT");
        using var otherClient = app.ApiClient(other.ApiKey);
        var theirs = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["sources"] = await otherClient.CreateSourceAsync(),
            ["patients"] = await otherClient.CreatePatientAsync("MRN-THEIRS"),
        };
        theirs["referrals"] = (await otherClient.PostCreatedAsync("/api/v1/referrals", new
        {
            patientId = theirs["patients"], sourceId = theirs["sources"], clinicId = other.ClinicId,
            receivedOn = ApiTestKit.Today, evaluatedOn = ApiTestKit.Today,
        })).GetProperty("id").GetInt32();
        theirs["touchpoints"] = (await otherClient.PostCreatedAsync("/api/v1/touchpoints",
            new { sourceId = theirs["sources"], occurredOn = ApiTestKit.Today, method = "Phone" })).GetProperty("id").GetInt32();
        theirs["referbacks"] = (await otherClient.PostCreatedAsync("/api/v1/referbacks",
            new { toSourceId = theirs["sources"], sentOn = ApiTestKit.Today })).GetProperty("id").GetInt32();
        var theirNpi = (await otherClient.GetOkAsync($"/api/v1/sources/{theirs["sources"]}")).GetProperty("npi").GetString()!;

        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true && e.RoutePattern.Parameters.Count > 0)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => (Method: method, Pattern: e.RoutePattern)))
            .ToList();
        Assert.True(routes.Count >= 20, $"Only {routes.Count} id routes found");
        Assert.Contains(routes, r => r.Pattern.RawText!.Contains("fax-cover", StringComparison.Ordinal));

        var failures = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            foreach (var foreign in new[] { false, true })
            {
                var path = PathOf(pattern, foreign, theirs, theirNpi);
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent(BodyFor(path), Encoding.UTF8, "application/json");
                }
                using var response = await client.SendAsync(request, ct);
                var status = (int)response.StatusCode;
                var onlyIds = pattern.Parameters.All(p => IsId(p.Name));
                if (status >= 500 || response.IsSuccessStatusCode || (onlyIds && method is "GET" or "DELETE" && status != 404))
                {
                    failures.Add($"{method} {path} ({(foreign ? "another practice's" : "missing")}) → {status}: {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The page doors of the same actions: a follow-up closed or an assessment deleted by a missing or foreign id is a 404.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Page_actions_on_a_missing_or_foreign_id_answer_404(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Pages PT");
        var other = await app.CreateOrganizationAsync("Elsewhere PT");
        using var otherClient = app.ApiClient(other.ApiKey);
        var theirPatient = await otherClient.CreatePatientAsync("MRN-THEIRS");
        var theirReferral = (await otherClient.PostCreatedAsync("/api/v1/referrals",
            new { patientId = theirPatient, clinicId = other.ClinicId, receivedOn = ApiTestKit.Today })).GetProperty("id").GetInt32();

        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var token = RapportApp.AntiforgeryToken(await browser.GetStringAsync("/Nps/FollowUps", ct));
        foreach (var (path, fields) in new (string, Dictionary<string, string>)[]
        {
            ($"/Nps/FollowUps?handler=Close&id={MissingId}", new() { ["note"] = "Called back." }),
            ($"/Episodes/{MissingId}?handler=Delete&assessmentId={MissingId}", []),
            ($"/Episodes/{theirReferral}?handler=Delete&assessmentId={MissingId}", []),
            ($"/Episodes/{theirReferral}/Letters/evaluation?handler=Notes", new() { ["Notes"] = "Plan." }),
            ($"/Episodes/{theirReferral}/Letters/evaluation?handler=Send", new() { ["via"] = "fax" }),
        })
        {
            fields["__RequestVerificationToken"] = token;
            using var response = await browser.PostAsync(path, new FormUrlEncodedContent(fields), ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"POST {path} → {(int)response.StatusCode}");
        }
        foreach (var path in new[] { $"/Episodes/{theirReferral}/Letters/evaluation?handler=Pdf", $"/Episodes/{MissingId}/Letters/discharge?handler=FaxCover" })
        {
            using var response = await browser.GetAsync(path, ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET {path} → {(int)response.StatusCode}");
        }
    }

    private static bool IsId(string name) => name.Equals("id", StringComparison.Ordinal) || name.EndsWith("Id", StringComparison.Ordinal);

    /// <summary>Fills a route: ids with a missing number or the other practice's row of the kind the segment before names; other values plausible.</summary>
    private static string PathOf(RoutePattern pattern, bool foreign, Dictionary<string, int> theirs, string theirNpi)
    {
        var path = new StringBuilder();
        string? previousLiteral = null;
        foreach (var segment in pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        path.Append(literal.Content);
                        previousLiteral = literal.Content;
                        break;
                    case RoutePatternSeparatorPart separator:
                        path.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter when IsId(parameter.Name):
                        var id = foreign && previousLiteral is not null && theirs.TryGetValue(previousLiteral, out var their) ? their : MissingId;
                        path.Append(id.ToString(CultureInfo.InvariantCulture));
                        break;
                    case RoutePatternParameterPart parameter:
                        path.Append(parameter.Name switch
                        {
                            "kind" => "evaluation",
                            "npi" => foreign ? theirNpi : "1234567893",
                            "code" => "ndi",
                            _ => "x",
                        });
                        break;
                }
            }
        }
        return path.ToString();
    }

    /// <summary>A body that would be valid for the row, so only the id decides the answer.</summary>
    private static string BodyFor(string path) => path switch
    {
        _ when path.EndsWith("/notes", StringComparison.Ordinal) => """{"notes":"Plan: strength."}""",
        _ when path.EndsWith("/send", StringComparison.Ordinal) => """{"via":"fax"}""",
        _ when path.Contains("/followups/", StringComparison.Ordinal) => """{"note":"Called back."}""",
        _ when path.Contains("/sources/", StringComparison.Ordinal) => """{"lastName":"House"}""",
        _ when path.Contains("/touchpoints/", StringComparison.Ordinal) => $$"""{"sourceId":{{MissingId}},"occurredOn":"{{ApiTestKit.Today}}","method":"Phone"}""",
        _ => "{}",
    };
}
