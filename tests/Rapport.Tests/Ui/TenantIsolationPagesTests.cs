using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Ui;

public sealed class TenantIsolationPagesTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Another_practices_rows_are_not_found_through_the_pages(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var a = await app.CreateOrganizationAsync("Alder PT");
        var b = await app.CreateOrganizationAsync("Birch PT");
        var today = TestClock.Today;
        var (sourceId, patientId, referralId) = await app.InOrganizationAsync(b.Id, async sp =>
        {
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { FirstName = "Gregory", LastName = "House", Credential = "MD" });
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "B-1", FirstName = "Pat", LastName = "Birch" });
            var referral = await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput
            {
                PatientId = patient.Id, SourceId = source.Id, ClinicId = b.ClinicId, ReceivedOn = today,
            });
            return (source.Id, patient.Id, referral.Id);
        });

        using var client = await app.SignedInClientAsync(a.AdminEmail);
        foreach (var url in new[] { $"/Sources/{sourceId}", $"/Sources/{sourceId}/Edit", $"/Patients/{patientId}", $"/Patients/{patientId}/Edit", $"/Referrals/{referralId}/Edit" })
        {
            using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET {url} answered {(int)response.StatusCode}");
        }
        var posts = new (string Url, Dictionary<string, string> Fields)[]
        {
            ($"/Sources/{sourceId}/Edit", new() { ["Input.LastName"] = "Hacked", ["Input.Status"] = "DoNotContact" }),
            ($"/Sources/{sourceId}?handler=Archive", []),
            ($"/Patients/{patientId}?handler=Archive", []),
            ($"/Referrals/{referralId}/Edit", new() { ["Input.ClinicId"] = a.ClinicId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Input.ReceivedOn"] = "2020-01-01" }),
        };
        foreach (var (url, fields) in posts)
        {
            using var response = await Forms.PostAsync(client, url, fields, tokenFrom: "/Sources/New");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"POST {url} answered {(int)response.StatusCode}");
        }

        var (source, patient, referral) = await app.InOrganizationAsync(b.Id, async sp => (
            await sp.GetRequiredService<SourceQueries>().DetailsAsync(sourceId),
            await sp.GetRequiredService<PatientService>().GetAsync(patientId),
            await sp.GetRequiredService<ReferralService>().GetAsync(referralId)));
        Assert.Equal("House", source!.Profile.LastName);
        Assert.Equal(SourceStatus.Active, source.Profile.Status);
        Assert.Null(source.Profile.ArchivedAt);
        Assert.False(patient!.Archived);
        Assert.Equal(today, referral!.ReceivedOn);
        Assert.Equal(b.ClinicId, referral.ClinicId);
    }
}
