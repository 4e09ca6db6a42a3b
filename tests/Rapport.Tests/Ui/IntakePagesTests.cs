using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;
using Rapport.Users;

namespace Rapport.Tests.Ui;

public sealed class IntakePagesTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Referral_intake_without_script_creates_the_patient_and_referral_or_nothing(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var npi = Formats.NpiWithCheckDigit("987654321");
        var sourceId = await app.InOrganizationAsync(org.Id, async sp =>
            (await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "House", Npi = npi })).Id);
        using var client = await app.SignedInClientAsync(org.AdminEmail);
        var today = TestClock.Today;
        var clinic = org.ClinicId.ToString(CultureInfo.InvariantCulture);

        // A future received date is refused: neither the new patient nor the referral is kept.
        using var refused = await Forms.PostAsync(client, "/Referrals/New", new Dictionary<string, string>
        {
            ["NewPatient.ExternalId"] = "MRN-7", ["NewPatient.FirstName"] = "Ada", ["NewPatient.LastName"] = "Lovelace",
            ["ChannelKind"] = "physician", ["SourceText"] = npi, ["Input.ClinicId"] = clinic, ["Input.ReceivedOn"] = today.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await Forms.ParseAsync(refused);
        Assert.Contains("cannot be in the future", page.QuerySelector("[data-valmsg-for='Input.ReceivedOn']")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, (await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<PatientService>().ListAsync(new PatientListQuery()))).Total);

        // The source typed as an NPI (no script) and a new patient entered inline.
        using var saved = await Forms.PostAsync(client, "/Referrals/New", new Dictionary<string, string>
        {
            ["NewPatient.ExternalId"] = "MRN-7", ["NewPatient.FirstName"] = "Ada", ["NewPatient.LastName"] = "Lovelace",
            ["ChannelKind"] = "physician", ["SourceText"] = npi, ["Input.ClinicId"] = clinic, ["Input.ReceivedOn"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Input.BodyRegion"] = "Knee", ["Input.PayerCategory"] = "Medicare",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/Sources/{sourceId}", saved.Headers.Location?.OriginalString);
        var referrals = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ReferralService>().ListAsync(new ReferralListQuery()));
        var referral = Assert.Single(referrals.Items);
        Assert.Equal(sourceId, referral.SourceId);
        Assert.Equal("Lovelace, Ada", referral.PatientName);
        Assert.Equal("Knee", referral.BodyRegion);
        Assert.Equal(PayerCategory.Medicare, referral.PayerCategory);

        // A touch logged by picking the source's label from the suggestions.
        using var touched = await Forms.PostAsync(client, "/Touchpoints/New", new Dictionary<string, string>
        {
            ["SourceText"] = $"House (NPI {npi})", ["Input.Method"] = "InPerson", ["Input.OccurredOn"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, touched.StatusCode);
        var touch = Assert.Single((await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<TouchpointService>().ListAsync(new TouchpointListQuery()))).Items);
        Assert.Equal(TouchMethod.InPerson, touch.Method);
        Assert.Equal("Harbor PT Admin", touch.ByName);

        // The lookup the script calls answers JSON labels.
        var lookup = await client.GetStringAsync("/Sources?handler=Lookup&term=hou", TestContext.Current.CancellationToken);
        Assert.Contains($"\"id\":{sourceId}", lookup, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Settings_are_for_admins_and_managers_only(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<UserDirectory>().AddAsync("desk@harbor.test", RapportApp.Password, Roles.FrontDesk, "Front Desk"));

        using var desk = await app.SignedInClientAsync("desk@harbor.test");
        foreach (var url in new[] { "/Settings/Clinics", "/Settings/ApiKeys", "/Settings/Users" })
        {
            using var denied = await desk.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.True(denied.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"{url} answered {(int)denied.StatusCode}");
            if (denied.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Contains("code=403", denied.Headers.Location?.OriginalString, StringComparison.Ordinal);
            }
        }
        Assert.DoesNotContain("/Settings/Clinics", await desk.GetStringAsync("/", TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        using var created = await Forms.PostAsync(admin, "/Settings/ApiKeys?handler=Create", new Dictionary<string, string> { ["Name"] = "EMR export" }, tokenFrom: "/Settings/ApiKeys");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.StartsWith("rk_", (await Forms.ParseAsync(created)).QuerySelector("#new-secret")?.TextContent, StringComparison.Ordinal);
    }
}
