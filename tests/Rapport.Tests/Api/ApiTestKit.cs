using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rapport.Common;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Small helpers for talking JSON to /api/v1 the way an outside client would.</summary>
internal static class ApiTestKit
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static int npiCounter = 100_000_000;

    /// <summary>A valid, test-unique NPI.</summary>
    public static string NextNpi() => Formats.NpiWithCheckDigit(Interlocked.Increment(ref npiCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string Today => TestClock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(
        this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw)
        {
            request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }
        var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var element = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, element, response);
    }

    public static async Task<JsonElement> GetOkAsync(this HttpClient client, string path)
    {
        var (status, body, _) = await client.SendAsync(HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {(int)status}: {body}");
        return body;
    }

    public static async Task<JsonElement> PostCreatedAsync(this HttpClient client, string path, object body)
    {
        var (status, json, response) = await client.SendAsync(HttpMethod.Post, path, body);
        Assert.True(status == HttpStatusCode.Created, $"POST {path} answered {(int)status}: {json}");
        Assert.Equal($"{path.TrimEnd('/')}/{json.GetProperty("id").GetInt32()}", response.Headers.Location?.OriginalString);
        return json;
    }

    public static async Task<int> CreateSourceAsync(this HttpClient client, string lastName = "House", string? npi = null) =>
        (await client.PostCreatedAsync("/api/v1/sources", new { npi = npi ?? NextNpi(), firstName = "Gregory", lastName, credential = "MD", specialty = "Orthopaedic surgery" }))
        .GetProperty("id").GetInt32();

    public static async Task<int> CreatePatientAsync(this HttpClient client, string externalId) =>
        (await client.PostCreatedAsync("/api/v1/patients", new { externalId, firstName = "Pat", lastName = "Ient" + externalId, birthDate = "1960-04-01", sex = "F" }))
        .GetProperty("id").GetInt32();

    /// <summary>Asserts an RFC 9457 problem document with the given status.</summary>
    public static void AssertProblem(HttpResponseMessage response, HttpStatusCode expected, JsonElement body)
    {
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, body.GetProperty("status").GetInt32());
    }

    public static async Task<(RapportApp App, TestOrganization Org, HttpClient Client)> StartWithOrganizationAsync(string database)
    {
        var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Summit Physical Therapy");
        return (app, org, app.ApiClient(org.ApiKey));
    }
}
