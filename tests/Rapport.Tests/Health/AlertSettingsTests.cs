using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Health;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Health;

public sealed class AlertSettingsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Settings_page_changes_the_cadence_the_alerts_use_and_rejects_nonsense(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Cadence PT");
        var sourceId = await app.InOrganizationAsync(org.Id, async services =>
        {
            var source = await services.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Chase", Npi = Formats.NpiWithCheckDigit("333444555") }, ct);
            await services.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput
            {
                SourceId = source.Id, OccurredOn = TestClock.Today.AddDays(-45), Method = TouchMethod.Email,
            }, cancellationToken: ct);
            return source.Id;
        });
        async Task<IReadOnlyList<string>> KindsAsync() => await app.InOrganizationAsync(org.Id, async services =>
            (IReadOnlyList<string>)(await services.GetRequiredService<AlertService>().ListAsync(sourceId: sourceId, cancellationToken: ct)).Alerts.Select(a => a.Kind).ToList());
        Assert.DoesNotContain(AlertKinds.TouchOverdue, await KindsAsync());

        using var browser = await app.SignedInClientAsync(org.AdminEmail);
        var form = new HtmlParser().ParseDocument(await browser.GetStringAsync("/Settings/Alerts", ct));
        // A list, not a dictionary: the form repeats __Invariant once per number field.
        var fields = form.QuerySelectorAll("form#alert-settings input[name]")
            .Select(i => KeyValuePair.Create(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")).ToList();
        string Get(string name) => fields.Single(f => f.Key == name).Value;
        void Set(string name, string value) => fields[fields.FindIndex(f => f.Key == name)] = KeyValuePair.Create(name, value);
        Assert.Equal("60", Get("Input.OtherCadenceDays"));
        Assert.Equal(519m, decimal.Parse(Get("Input.NonMonetaryCapUsd"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("15", Get("Input.CallsPerOwner"));

        Set("Input.OtherCadenceDays", "30");
        Set("Input.CallsPerOwner", "8");
        var saved = await browser.PostAsync("/Settings/Alerts", new FormUrlEncodedContent(fields), ct);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var calls = await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<CallListService>().BuildAsync(cancellationToken: ct));
        Assert.Equal(8, calls.CallsPerOwner);
        var overdue = Assert.Single((await app.InOrganizationAsync(org.Id, services => services.GetRequiredService<AlertService>().ListAsync(sourceId: sourceId, cancellationToken: ct))).Alerts);
        Assert.Equal("Last touch 45 days ago by e-mail (cadence 30).", overdue.Reasons[0]);

        Set("Input.FalseDiscoveryRate", "3");
        var rejected = await browser.PostAsync("/Settings/Alerts", new FormUrlEncodedContent(fields), ct);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Contains("False discovery rate must be between", await rejected.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}
