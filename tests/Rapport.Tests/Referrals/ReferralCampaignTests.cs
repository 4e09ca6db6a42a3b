using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Campaigns;
using Rapport.Data;
using Rapport.Imports;
using Rapport.Referrals;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using Rapport.Tests.Ui;

namespace Rapport.Tests.Referrals;

/// <summary>The campaign a direct-access patient names at intake, through every door: form, API, import, list and export.</summary>
public sealed class ReferralCampaignTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<int> AddCampaignAsync(RapportApp app, TestOrganization org, string name, bool archived = false) =>
        app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            var campaign = new Campaign { Name = name, Kind = CampaignKind.HealthFair, StartsOn = TestClock.Today.AddDays(-60), ArchivedAt = archived ? TestClock.Now.UtcDateTime : null,
                // The DbContext does not stamp campaigns (yet): set here so the test does not depend on it.
                CreatedAt = TestClock.Now.UtcDateTime, UpdatedAt = TestClock.Now.UtcDateTime };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync(Ct);
            return campaign.Id;
        });

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_api_takes_a_campaign_by_id_or_name_for_direct_access_only(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var other = await app.CreateOrganizationAsync("Other PT");
        var fair = await AddCampaignAsync(app, org, "Spring Health Fair");
        var foreign = await AddCampaignAsync(app, other, "Their fair");
        using var api = app.ApiClient(org.ApiKey);
        var patient = await api.CreatePatientAsync("MRN-1");
        var source = await api.CreateSourceAsync();
        object Body(object? sourceId, string channel, object? campaignId = null, string? campaign = null) =>
            new { patientId = patient, sourceId, clinicId = org.ClinicId, receivedOn = ApiTestKit.Today, acquisitionChannel = channel, campaignId, campaign };

        // By name, ignoring case: stored as the id, and read back with its name.
        var byName = await api.PostCreatedAsync("/api/v1/referrals", Body(null, "Event", campaign: "spring health FAIR"));
        Assert.Equal((fair, "Spring Health Fair"), (byName.GetProperty("campaignId").GetInt32(), byName.GetProperty("campaign").GetString()));
        var (_, read, _) = await api.SendAsync(HttpMethod.Get, $"/api/v1/referrals/{byName.GetProperty("id").GetInt32()}");
        Assert.Equal(fair, read.GetProperty("campaignId").GetInt32());

        // An unknown name, another practice's id, and a physician referral naming one: each refused on its field, nothing saved.
        var (_, unknown, unknownResponse) = await api.SendAsync(HttpMethod.Post, "/api/v1/referrals", Body(null, "Event", campaign: "Winter gala"));
        ApiTestKit.AssertProblem(unknownResponse, HttpStatusCode.BadRequest, unknown);
        Assert.Equal(CampaignNames.Unknown("Winter gala"), unknown.GetProperty("errors").GetProperty("campaign")[0].GetString());
        var (_, stranger, strangerResponse) = await api.SendAsync(HttpMethod.Post, "/api/v1/referrals", Body(null, "Event", campaignId: foreign));
        ApiTestKit.AssertProblem(strangerResponse, HttpStatusCode.BadRequest, stranger);
        Assert.Contains($"Campaign {foreign} does not exist", stranger.GetProperty("errors").GetProperty("campaignId")[0].GetString(), StringComparison.Ordinal);
        var (_, physician, physicianResponse) = await api.SendAsync(HttpMethod.Post, "/api/v1/referrals", Body(source, "Physician", campaignId: fair));
        ApiTestKit.AssertProblem(physicianResponse, HttpStatusCode.BadRequest, physician);
        Assert.Contains("Only a direct-access referral names the event or campaign", physician.GetProperty("errors").GetProperty("campaignId")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Referrals.CountAsync(Ct)));

        // The referral list carries it too, and the download has a Campaign column.
        var (_, list, _) = await api.SendAsync(HttpMethod.Get, "/api/v1/referrals");
        Assert.Equal("Spring Health Fair", list.GetProperty("items")[0].GetProperty("campaign").GetString());
        var csv = await api.GetStringAsync("/api/v1/exports/referrals?format=csv", Ct);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.EndsWith(",Campaign", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",Spring Health Fair", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_intake_and_edit_forms_offer_the_practices_campaigns_under_direct_access(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var fair = await AddCampaignAsync(app, org, "Spring Health Fair");
        var old = await AddCampaignAsync(app, org, "Old booth", archived: true);
        using var api = app.ApiClient(org.ApiKey);
        var source = await api.CreateSourceAsync();
        using var client = await app.SignedInClientAsync(org.AdminEmail);

        var form = await client.GetStringAsync("/Referrals/New", Ct);
        Assert.Contains("Which event or campaign?", form, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{fair}\">Spring Health Fair</option>", form, StringComparison.Ordinal);
        Assert.DoesNotContain("Old booth", form, StringComparison.Ordinal);

        Dictionary<string, string> Fields(params (string Key, string Value)[] extra)
        {
            var fields = new Dictionary<string, string>
            {
                ["NewPatient.ExternalId"] = "MRN-9", ["NewPatient.FirstName"] = "Grace", ["NewPatient.LastName"] = "Hopper",
                ["Input.ClinicId"] = org.ClinicId.ToString(CultureInfo.InvariantCulture), ["Input.ReceivedOn"] = ApiTestKit.Today,
                ["Input.CampaignId"] = fair.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in extra) fields[key] = value;
            return fields;
        }

        // A physician referral: the campaign left in the hidden direct-access half is not part of the answer.
        using (var physician = await Forms.PostAsync(client, "/Referrals/New", Fields(("ChannelKind", "physician"), ("Input.SourceId", source.ToString(CultureInfo.InvariantCulture)))))
        {
            Assert.Equal(HttpStatusCode.Redirect, physician.StatusCode);
        }
        using (var direct = await Forms.PostAsync(client, "/Referrals/New", Fields(("ChannelKind", "direct"), ("DirectChannel", "Event"), ("NewPatient.ExternalId", "MRN-10"), ("NewPatient.LastName", "Lovelace"))))
        {
            Assert.Equal(HttpStatusCode.Redirect, direct.StatusCode);
        }
        var stored = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Referrals.AsNoTracking()
            .OrderBy(r => r.Id).Select(r => new { r.Id, r.SourceId, r.CampaignId }).ToListAsync(Ct));
        Assert.Equal([(int?)null, fair], stored.Select(r => r.CampaignId));
        var directId = stored[1].Id;

        // The queue shows it beside the channel; the edit form keeps it selected, and offers an archived campaign only to the referral naming it.
        var queue = await client.GetStringAsync("/Referrals", Ct);
        Assert.Matches("· <a href=\"/Campaigns/\\d+\">Spring Health Fair</a>", queue);
        var edit = await client.GetStringAsync($"/Referrals/{directId}/Edit", Ct);
        Assert.Contains($"<option value=\"{fair}\" selected=\"selected\">Spring Health Fair</option>", edit, StringComparison.Ordinal);
        Assert.DoesNotContain("Old booth", edit, StringComparison.Ordinal);
        using (var moved = await Forms.PostAsync(client, $"/Referrals/{directId}/Edit", new Dictionary<string, string>
        {
            ["ChannelKind"] = "direct", ["DirectChannel"] = "Event", ["Input.CampaignId"] = old.ToString(CultureInfo.InvariantCulture),
            ["Input.ClinicId"] = org.ClinicId.ToString(CultureInfo.InvariantCulture), ["Input.ReceivedOn"] = ApiTestKit.Today,
        }, tokenFrom: $"/Referrals/{directId}/Edit"))
        {
            Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        }
        var again = await client.GetStringAsync($"/Referrals/{directId}/Edit", Ct);
        Assert.Contains($"<option value=\"{old}\" selected=\"selected\">Old booth</option>", again, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_referrals_import_names_a_campaign_and_refuses_an_unknown_one_on_its_line(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var fair = await AddCampaignAsync(app, org, "Spring Health Fair");
        using var api = app.ApiClient(org.ApiKey);
        await api.CreatePatientAsync("P1");
        var npi = ApiTestKit.NextNpi();
        await api.CreateSourceAsync(npi: npi);

        Task<ImportResult> Import(string csv) => app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<CsvImporter>()
            .ImportAsync(ImportKind.Referrals, new StringReader(csv), "referrals.csv", new ImportOptions(), null, Ct));

        var bad = await Import($"""
            external_id,source_npi,patient_external_id,received_date,acquisition_channel,campaign
            R1,,P1,2024-06-03,Event,SPRING health fair
            R2,,P1,2024-06-04,Event,Winter gala
            R3,{npi},P1,2024-06-05,Physician,Spring Health Fair
            """);
        Assert.True(bad.Rejected);
        Assert.Collection(bad.Errors.Select(e => e.Format("referrals.csv")),
            l => Assert.Equal($"referrals.csv:3: campaign: {CampaignNames.Unknown("Winter gala")}", l),
            l => Assert.StartsWith("referrals.csv:4: campaign: Only a direct-access referral names the event or campaign", l, StringComparison.Ordinal));

        var good = await Import("""
            external_id,source_npi,patient_external_id,received_date,acquisition_channel,campaign
            R1,,P1,2024-06-03,Event,SPRING health fair
            R2,,P1,2024-06-04,WebSearch,
            """);
        Assert.Empty(good.Errors);
        var stored = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Referrals.AsNoTracking()
            .OrderBy(r => r.ExternalId).Select(r => r.CampaignId).ToListAsync(Ct));
        Assert.Equal([fair, null], stored);
    }
}
