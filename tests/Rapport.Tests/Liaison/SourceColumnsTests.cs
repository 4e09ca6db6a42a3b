using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Liaison;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;
using Rapport.Users;

namespace Rapport.Tests.Liaison;

/// <summary>The sources table's column chooser (issue 13, item 7): remembered per user on the server, a plain form.</summary>
public sealed class SourceColumnsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Each_user_keeps_their_own_choice_of_source_columns(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            await sp.GetRequiredService<UserDirectory>().AddAsync("ann@harbor-pt.test", RapportApp.Password, Roles.Liaison, "Ann Liaison");
            return await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { FirstName = "Lisa", LastName = "Cuddy", Specialty = "Orthopaedic Surgery" });
        });
        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        using var ann = await app.SignedInClientAsync("ann@harbor-pt.test");
        static async Task<List<string>> ColumnsAsync(HttpClient client, string url = "/Sources") =>
            [.. (await Forms.ParseAsync(await client.GetAsync(url, TestContext.Current.CancellationToken)))
                .QuerySelectorAll("#sources tbody tr[data-source-id] td[data-col]").Select(td => td.GetAttribute("data-col")!)];

        Assert.Equal(["name", .. SourceColumns.Default], await ColumnsAsync(admin));

        // The admin keeps three (an unknown key is dropped) and comes back to the same sorted view.
        using var saved = await PostColumnsAsync(admin, [("columns", "last-touch"), ("columns", "active-patients"), ("columns", "referrals-12m"), ("columns", "nonsense"),
            ("returnUrl", "/Sources?sort=Referrals12m&desc=true")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/Sources?sort=Referrals12m&desc=true", saved.Headers.Location?.OriginalString);
        Assert.Equal(["name", "active-patients", "referrals-12m", "last-touch"], await ColumnsAsync(admin));
        var head = await Forms.ParseAsync(await admin.GetAsync("/Sources", ct));
        Assert.Equal(4, head.QuerySelectorAll("#sources thead th").Length);
        Assert.Equal("3", head.QuerySelector("#columns summary")?.TextContent.Split('(')[1].Split(' ')[0]);
        Assert.True(await app.InOrganizationAsync(org.Id, async sp =>
            (await sp.GetRequiredService<LiaisonWeekService>().SourceColumnsAsync((await sp.GetRequiredService<UserDirectory>().ListAsync()).Single(u => u.Email == org.AdminEmail).Id))
                .SequenceEqual(["active-patients", "referrals-12m", "last-touch"])));

        // Another user's table is untouched; a foreign return address goes to the list.
        Assert.Equal(["name", .. SourceColumns.Default], await ColumnsAsync(ann));
        using var foreign = await PostColumnsAsync(ann, [("columns", "status"), ("returnUrl", "https://evil.example/Sources")]);
        Assert.Equal("/Sources", foreign.Headers.Location?.OriginalString);
        Assert.Equal(["name", "status"], await ColumnsAsync(ann));
        Assert.Equal(["name", "active-patients", "referrals-12m", "last-touch"], await ColumnsAsync(admin));

        // Reset shows every column again; filters and sorting still work with a choice in place.
        using var reset = await PostColumnsAsync(admin, [("reset", "true")]);
        Assert.Equal(["name", .. SourceColumns.Default], await ColumnsAsync(admin));
        Assert.Single(await ColumnsAsync(ann, "/Sources?q=cuddy&sort=DaysSinceTouch"), c => c == "name");
    }

    private static async Task<HttpResponseMessage> PostColumnsAsync(HttpClient client, (string Name, string Value)[] fields)
    {
        var page = await client.GetStringAsync("/Sources", TestContext.Current.CancellationToken);
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Append(new("__RequestVerificationToken", RapportApp.AntiforgeryToken(page)));
        return await client.PostAsync("/Sources?handler=Columns", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }
}
