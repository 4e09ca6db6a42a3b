using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.ApiKeys;
using Rapport.Demo;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Health;

/// <summary>/api/v1/alerts pages and filters by owner; without paging it returns every alert, as before, with the total.</summary>
public sealed class AlertsPagingTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Pages_are_slices_of_the_unpaged_list_and_owner_keeps_one_owner(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database, b => b.Services.AddSingleton<TimeProvider>(
            new FakeTimeProvider(new DateTimeOffset(Today.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero))));
        string apiKey;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, ct)).Created);
            apiKey = (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("alerts", "tests")).Secret;
        }
        using var api = app.ApiClient(apiKey);
        static List<string> Keys(JsonElement list) => [.. list.GetProperty("alerts").EnumerateArray()
            .Select(a => $"{a.GetProperty("kind").GetString()}/{a.GetProperty("source").GetProperty("id").GetInt32()}/{a.GetProperty("reasons")[0].GetString()}")];

        var all = await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts", ct);
        var everyAlert = Keys(all);
        Assert.True(everyAlert.Count > 12, "enough alerts for three pages");
        Assert.Equal(everyAlert.Count, all.GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("pageSize").ValueKind);
        Assert.True(all.TryGetProperty("computeMilliseconds", out _));

        var second = await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts?page=2&pageSize=5", ct);
        Assert.Equal(everyAlert.Skip(5).Take(5), Keys(second));
        Assert.Equal(everyAlert.Count, second.GetProperty("total").GetInt32());
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(5, second.GetProperty("pageSize").GetInt32());
        var defaultSize = await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts?page=1", ct);
        Assert.Equal(everyAlert.Take(100), Keys(defaultSize));
        var pastTheEnd = await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?page={everyAlert.Count + 1}&pageSize=1", ct);
        Assert.Empty(Keys(pastTheEnd));

        var owner = all.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("ownerUserId").GetString()).First(o => o is not null);
        var owned = await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?ownerId={Uri.EscapeDataString(owner!)}&pageSize=1000", ct);
        var expected = all.GetProperty("alerts").EnumerateArray().Count(a => a.GetProperty("ownerUserId").GetString() == owner);
        Assert.InRange(expected, 1, everyAlert.Count - 1);
        Assert.Equal(expected, owned.GetProperty("total").GetInt32());
        Assert.All(owned.GetProperty("alerts").EnumerateArray(), a => Assert.Equal(owner, a.GetProperty("ownerUserId").GetString()));

        var unassigned = await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts?ownerId=unassigned&pageSize=1000", ct);
        Assert.Equal(all.GetProperty("alerts").EnumerateArray().Count(a => a.GetProperty("ownerUserId").ValueKind == JsonValueKind.Null), unassigned.GetProperty("total").GetInt32());
        Assert.All(unassigned.GetProperty("alerts").EnumerateArray(), a => Assert.Equal(JsonValueKind.Null, a.GetProperty("ownerUserId").ValueKind));

        foreach (var bad in new[] { "pageSize=0", "pageSize=1001", "page=0" })
        {
            var response = await api.GetAsync($"/api/v1/alerts?{bad}", ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(bad.Split('=')[0], await response.Content.ReadAsStringAsync(ct));
        }
    }
}
