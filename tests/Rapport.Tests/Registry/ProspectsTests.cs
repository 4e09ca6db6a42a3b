using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Health;
using Rapport.Patients;
using Rapport.Prospects;
using Rapport.Referrals;
using Rapport.Registry;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Users;

namespace Rapport.Tests.Registry;

/// <summary>
/// Prospects around a clinic in Boston (ZIP 02115): ranking, radius, presets, "add as prospect" and the
/// API and CLI shapes, on both databases. Distances are between ZCTA internal points: 02115 → 02139
/// (Cambridge) is 1.84 miles (ReferenceDataTests), 02115 → 02215 about 0.8.
/// </summary>
public sealed class ProspectsTests
{
    // Registry NPIs: Formats.NpiWithCheckDigit of nine digits, so every one is valid.
    private static readonly string Referrer = Npi(500000001);      // a source of the practice that refers, at 100 Main St, Cambridge
    private static readonly string Partner = Npi(500000002);       // orthopaedist at the referrer's address, not a source
    private static readonly string Near = Npi(500000003);          // solo orthopaedist at the clinic's own ZIP
    private static readonly string Far = Npi(500000004);           // solo orthopaedist in Cambridge (1.84 mi)
    private static readonly string Sports = Npi(500000005);        // sports medicine at the clinic's ZIP (related fit)
    private static readonly string DormantSource = Npi(500000006); // a Dormant source of the practice: never a prospect
    private static readonly string Deactivated = Npi(500000007);
    private static readonly string Organization = Npi(500000008);
    private static readonly string Urologist = Npi(500000009);
    private static readonly string Faraway = Npi(500000010);       // orthopaedist in Worcester, ~40 miles

    private static string Npi(int nineDigits) => Formats.NpiWithCheckDigit(nineDigits.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Partners_of_a_referring_source_rank_first_closer_beats_farther_and_sources_never_appear(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await SeedAsync(app);
        var result = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<ProspectSearch>().SearchAsync(
            new ProspectQuery { Clinic = org.ClinicId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, TestContext.Current.CancellationToken));

        // The clinic's niche ("orthopaedics, sports") chooses the orthopaedic preset.
        Assert.Equal("orthopaedics", result.Preset);
        Assert.Equal(["Orthopaedic surgery", "Sports medicine"], result.Specialties);
        Assert.Equal(10, result.RadiusMiles);
        var npis = result.Rows.Select(r => r.Npi).ToList();
        Assert.Equal([Partner, Near, Far, Sports], npis);
        Assert.DoesNotContain(Referrer, npis);
        Assert.DoesNotContain(DormantSource, npis);
        Assert.DoesNotContain(Deactivated, npis);
        Assert.DoesNotContain(Organization, npis);
        Assert.DoesNotContain(Urologist, npis);
        Assert.DoesNotContain(Faraway, npis);

        var partner = result.Rows[0];
        Assert.Equal((1, "Robert Chase", "MD"), (partner.Rank, partner.Name, partner.Credential));
        Assert.Equal(["Referring Ref, MD"], partner.ReferringColleagues);
        Assert.Equal(2, partner.GroupSize);
        Assert.Equal(1.8, partner.DistanceMiles);
        Assert.Equal("100 Main St, Suite 2, Cambridge, MA 02139-1234", partner.Address);
        // 35 fit + 30 × (1 − 1.84/10) + 15 × 1/4 + 20 × 1/2.
        Assert.Equal(35 + 30 * (1 - 1.84 / 10) + 3.75 + 10, partner.Score.Total, 0.1);
        Assert.Equal(0.5, partner.Score.Colleagues);
        Assert.Equal(0.25, partner.Score.Group);

        var near = result.Rows.Single(r => r.Npi == Near);
        var far = result.Rows.Single(r => r.Npi == Far);
        Assert.Equal((near.Score.Fit, near.Score.Group, near.Score.Colleagues), (far.Score.Fit, far.Score.Group, far.Score.Colleagues));
        Assert.True(near.Score.Total > far.Score.Total);
        Assert.Equal(0.0, near.DistanceMiles);
        Assert.Equal(65.0, near.Score.Total);
        // Sports medicine is the related specialty of an orthopaedic niche.
        Assert.Equal(ProspectScore.RelatedFit, result.Rows.Single(r => r.Npi == Sports).Score.Fit);
        // Existing sources of the niche within the radius are the scatter's other mark, nearest first; the
        // dormant one got her first name and Fenway address from the registry when she was added by NPI.
        Assert.Equal(["Dora Dormant, MD", "Referring Ref, MD"], result.Sources.Select(s => s.Name));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_radius_is_exact_great_circle_miles_and_bounded(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await SeedAsync(app);
        var ct = TestContext.Current.CancellationToken;
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var search = sp.GetRequiredService<ProspectSearch>();
            // Cambridge's point is 1.84 miles from the clinic's: out at 1.8, in at 1.9.
            var inside = await search.SearchAsync(new ProspectQuery { Specialties = ["Orthopaedic surgery"], RadiusMiles = 1.9 }, ct);
            var outside = await search.SearchAsync(new ProspectQuery { Specialties = ["Orthopaedic surgery"], RadiusMiles = 1.8 }, ct);
            Assert.Contains(Far, inside.Rows.Select(r => r.Npi));
            Assert.DoesNotContain(Far, outside.Rows.Select(r => r.Npi));
            Assert.Equal([Near], outside.Rows.Select(r => r.Npi));
            // Worcester is about 40 miles away: in at 50.
            Assert.Contains(Faraway, (await search.SearchAsync(new ProspectQuery { Specialties = ["orthopaedics"], RadiusMiles = 50 }, ct)).Rows.Select(r => r.Npi));
            var tooWide = await Assert.ThrowsAsync<ValidationException>(() => search.SearchAsync(new ProspectQuery { RadiusMiles = 101 }, ct));
            Assert.Contains("radius", tooWide.Errors.Keys);
            await Assert.ThrowsAsync<ValidationException>(() => search.SearchAsync(new ProspectQuery { RadiusMiles = 0.5 }, ct));
            var unknown = await Assert.ThrowsAsync<ValidationException>(() => search.SearchAsync(new ProspectQuery { Specialties = ["Astrology"] }, ct));
            Assert.Contains("Astrology", unknown.Errors["specialty"][0]);
            // A clinic without a known ZIP has no prospects, and every door says why (not a bad request).
            var db = sp.GetRequiredService<RapportDbContext>();
            db.Clinics.Add(new Rapport.Organizations.Clinic { Name = "Nowhere" });
            await db.SaveChangesAsync(ct);
            var nowhere = await search.SearchAsync(new ProspectQuery { Clinic = "nowhere" }, ct);
            Assert.Empty(nowhere.Rows);
            Assert.Contains("has no ZIP code with a known location", nowhere.Note);
            return 0;
        });
    }

    [Fact]
    public void Every_preset_names_groups_that_have_taxonomy_codes_and_niches_choose_presets()
    {
        Assert.Equal(["orthopaedics", "pelvic-health", "neuro-rehab", "paediatrics", "podiatry", "pain-management", "primary-care"], ProspectPresets.All.Select(p => p.Key));
        foreach (var preset in ProspectPresets.All)
        {
            foreach (var group in preset.Groups)
            {
                Assert.True(NuccTaxonomy.CodesOfGroup(group).Count > 0, $"{preset.Label}: '{group}' has no taxonomy code");
                // Written exactly as the taxonomy's group, so the page's checkboxes tick it.
                Assert.Equal(group, NuccTaxonomy.Find(NuccTaxonomy.CodesOfGroup(group)[0])!.Group);
            }
        }
        Assert.Contains("208800000X", NuccTaxonomy.CodesOfGroup("Urology"));
        Assert.Contains("207X00000X", NuccTaxonomy.CodesOfGroup("Orthopaedic surgery"));
        Assert.Equal("orthopaedics", ProspectPresets.ForNiche("orthopaedics, joint replacement").Key);
        Assert.Equal("orthopaedics", ProspectPresets.ForNiche("sports, running, concussion").Key);
        Assert.Equal("neuro-rehab", ProspectPresets.ForNiche("geriatrics, balance, neurology, vestibular").Key);
        Assert.Equal("pelvic-health", ProspectPresets.ForNiche("Pelvic health").Key);
        Assert.Equal("paediatrics", ProspectPresets.ForNiche("pediatric development").Key);
        Assert.Equal("podiatry", ProspectPresets.ForNiche("foot and ankle").Key);
        Assert.Equal("pain-management", ProspectPresets.ForNiche("spine").Key);
        Assert.Equal("primary-care", ProspectPresets.ForNiche(null).Key);
        Assert.Equal("primary-care", ProspectPresets.ForNiche("aquatic therapy").Key);
        Assert.All(ProspectPresets.Choices, c => Assert.NotEmpty(NuccTaxonomy.CodesOfGroup(c)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Add_as_prospect_creates_the_source_from_the_registry_refuses_a_duplicate_and_puts_a_first_touch_on_the_call_list(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await SeedAsync(app);
        var ct = TestContext.Current.CancellationToken;
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var liaison = await sp.GetRequiredService<UserDirectory>().AddAsync("liaison@prospects.test", RapportApp.Password, Roles.Liaison, "Lia Son");
            var intake = sp.GetRequiredService<ProspectIntake>();
            var db = sp.GetRequiredService<RapportDbContext>();
            var sourceWritesBefore = await db.AuditEvents.CountAsync(a => a.EntityType == "ReferralSource" && a.Action == "Added", ct);
            var source = await intake.AddAsync(new ProspectAddInput { Npi = Partner, ClinicId = org.ClinicId, OwnerUserId = liaison.Id, TouchCadenceDays = 45 }, ct);
            var saved = await db.Sources.AsNoTracking().SingleAsync(s => s.Id == source.Id, ct);
            Assert.Equal((SourceStatus.Prospect, "Robert", "Chase", "MD"), (saved.Status, saved.FirstName, saved.LastName, saved.Credential));
            Assert.Equal(("207X00000X", "Orthopaedic surgery"), (saved.TaxonomyCode, saved.Specialty));
            Assert.Equal(("100 Main St, Suite 2", "Cambridge", "MA", "02139-1234"), (saved.AddressLine, saved.City, saved.State, saved.Zip));
            Assert.Equal(("(617) 555-0100", "(617) 555-0101"), (saved.Phone, saved.Fax));
            Assert.Equal("Cambridge Bone & Joint", saved.PracticeName);
            Assert.Equal((org.ClinicId, liaison.Id, 45), (saved.ClinicId, saved.OwnerUserId, saved.TouchCadenceDays));
            // Written through the normal path: audited like any source write.
            Assert.Equal(sourceWritesBefore + 1, await db.AuditEvents.CountAsync(a => a.EntityType == "ReferralSource" && a.Action == "Added", ct));

            var again = await Assert.ThrowsAsync<ConflictException>(() => intake.AddAsync(new ProspectAddInput { Npi = Partner, ClinicId = org.ClinicId }, ct));
            Assert.Contains("already a source", again.Message);
            var deactivated = await Assert.ThrowsAsync<ValidationException>(() => intake.AddAsync(new ProspectAddInput { Npi = Deactivated, ClinicId = org.ClinicId }, ct));
            Assert.Contains("deactivated", deactivated.Message);
            var batch = await intake.AddManyAsync([Near, Referrer], org.ClinicId, liaison.Id, null, ct);
            Assert.Equal([Near], batch.Added.Select(s => s.Npi));
            Assert.Equal([Referrer], batch.Refused.Select(r => r.Npi));
            Assert.Contains("already a source", batch.Refused[0].Reason);

            // On the liaison's call list this week, with the reason.
            var calls = await sp.GetRequiredService<CallListService>().BuildAsync(cancellationToken: ct);
            var mine = calls.Owners.Single(g => g.Owner == "Lia Son");
            var call = mine.Calls.Single(c => c.Source.Id == source.Id);
            Assert.Contains(call.Reasons, r => r.StartsWith(HealthEvaluator.FirstTouchReason, StringComparison.Ordinal));
            Assert.Contains(mine.Calls, c => c.Source.Npi == Near);
            // And no longer a prospect in the list.
            var after = await sp.GetRequiredService<ProspectSearch>().SearchAsync(new ProspectQuery(), ct);
            Assert.DoesNotContain(Partner, after.Rows.Select(r => r.Npi));
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_api_lists_and_adds_prospects_and_the_cli_prints_npi_and_miles(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await SeedAsync(app);
        var ct = TestContext.Current.CancellationToken;
        using var api = app.ApiClient(org.ApiKey);

        using var list = await api.GetAsync($"/api/v1/prospects?clinic={org.ClinicId}&specialty=Orthopaedic%20surgery&specialty=Sports%20medicine&radius=10", ct);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var json = JsonDocument.Parse(await list.Content.ReadAsStringAsync(ct));
        Assert.Equal(4, json.RootElement.GetProperty("total").GetInt32());
        var first = json.RootElement.GetProperty("rows")[0];
        Assert.Equal(Partner, first.GetProperty("npi").GetString());
        Assert.Equal(1.8, first.GetProperty("distanceMiles").GetDouble());
        Assert.Equal(first.GetProperty("score").GetDouble(), first.GetProperty("scoreParts").EnumerateObject().Sum(p => p.Value.GetDouble()), 0.2);
        Assert.Equal("Referring Ref, MD", first.GetProperty("referringColleagues")[0].GetString());

        using var bad = await api.GetAsync($"/api/v1/prospects?clinic={org.ClinicId}&radius=500", ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("radius", await bad.Content.ReadAsStringAsync(ct));

        using var created = await api.PostAsJsonAsync("/api/v1/prospects", new { npi = Partner, clinicId = org.ClinicId, touchCadenceDays = 30 }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var source = JsonDocument.Parse(await created.Content.ReadAsStringAsync(ct));
        Assert.Equal("Prospect", source.RootElement.GetProperty("status").GetString());
        Assert.Equal(Partner, source.RootElement.GetProperty("npi").GetString());
        Assert.StartsWith("/api/v1/sources/", created.Headers.Location!.OriginalString);
        using var duplicate = await api.PostAsJsonAsync("/api/v1/prospects", new { npi = Partner, clinicId = org.ClinicId }, ct);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        var csv = await Infrastructure.Cli.RunAsync(app.Database, "prospects", "--clinic", "Prospect PT Main", "--specialty", "orthopaedics", "--radius", "10", "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        var lines = csv.Stdout.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("rank,npi,name,", lines[0]);
        Assert.Contains("distanceMiles", lines[0]);
        Assert.StartsWith($"1,{Near},", lines[1]);
        Assert.Equal(4, lines.Length); // Partner is a source now

        var table = await Infrastructure.Cli.RunAsync(app.Database, "prospects", "--clinic", org.ClinicId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "table");
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains(Far, table.Stdout);
        Assert.Contains("1.8", table.Stdout);

        var add = await Infrastructure.Cli.RunAsync(app.Database, "prospects", "add", Far, "--clinic", "Prospect PT Main", "--owner", org.AdminEmail, "--cadence", "60");
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Contains("as a prospect", add.Stdout);
        var twice = await Infrastructure.Cli.RunAsync(app.Database, "prospects", "add", Far, "--clinic", "Prospect PT Main");
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("already a source", twice.Stdout + twice.Stderr);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_page_ranks_draws_the_scatter_downloads_and_adds_the_ticked_rows(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await SeedAsync(app);
        var ct = TestContext.Current.CancellationToken;
        using var client = await app.SignedInClientAsync(org.AdminEmail);
        var view = $"/Prospects?clinic={org.ClinicId}&specialty=Orthopaedic%20surgery&specialty=Sports%20medicine&radius=10";
        var html = await client.GetStringAsync(view, ct);
        Assert.Contains("<svg class=\"scatter\"", html);
        Assert.Contains("10 mi", html);
        Assert.DoesNotContain("<script>", html);
        var rows = System.Text.RegularExpressions.Regex.Matches(html, "<tr data-npi=\"(\\d{10})\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([Partner, Near, Far, Sports], rows);
        Assert.Contains("Referring Ref, MD", html);
        // The download carries the filters on screen (groups joined by ';').
        var link = System.Text.RegularExpressions.Regex.Match(html, "href=\"(/Export/prospects\\?format=csv[^\"]*)\"").Groups[1].Value;
        Assert.Contains("specialty=Orthopaedic%20surgery;Sports%20medicine", link);
        var csv = await client.GetStringAsync(System.Net.WebUtility.HtmlDecode(link), ct);
        Assert.Equal(5, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains($"1,{Partner},Robert Chase,MD,207X00000X", csv);

        using var post = await client.PostAsync("/Prospects?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = RapportApp.AntiforgeryToken(html), ["clinicId"] = org.ClinicId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["clinic"] = org.ClinicId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["radius"] = "10", ["specialty"] = "Orthopaedic surgery",
            ["npi"] = Near, ["owner"] = "", ["cadence"] = "",
        }), ct);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/Prospects?clinic=", post.Headers.Location!.OriginalString);
        var after = await client.GetStringAsync(post.Headers.Location.OriginalString, ct);
        Assert.Contains("Added 1 prospect: Near Nearby, MD.", after);
        Assert.DoesNotContain($"data-npi=\"{Near}\"", after);
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var added = await sp.GetRequiredService<RapportDbContext>().Sources.SingleAsync(s => s.Npi == Near, ct);
            Assert.Equal(SourceStatus.Prospect, added.Status);
            return 0;
        });
    }

    /// <summary>A practice with one clinic at 02115, a referring source with a registry colleague, and the registry around it.</summary>
    private static async Task<TestOrganization> SeedAsync(RapportApp app)
    {
        var org = await app.CreateOrganizationAsync("Prospect PT");
        var ct = TestContext.Current.CancellationToken;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            db.RegistryProviders.AddRange(
                Person(Referrer, "REF", "REFERRING", "MD", "207X00000X", "100 MAIN ST", "021391234"),
                Person(Partner, "ROBERT", "CHASE", "M.D.", "207X00000X", "100 MAIN ST", "021391234"),
                Person(Near, "NEAR", "NEARBY", "MD", "207X00000X", "1 FENWAY", "02115"),
                Person(Far, "FAR", "FARTHER", "MD", "207X00000X", "200 MASS AVE", "02139"),
                Person(Sports, "SAM", "SPORTS", "DO", "207QS0010X", "3 FENWAY", "02115"),
                Person(DormantSource, "DORA", "DORMANT", "MD", "207X00000X", "5 FENWAY", "02115"),
                Person(Urologist, "URI", "UROLOGIST", "MD", "208800000X", "7 FENWAY", "02115"),
                Person(Faraway, "WILL", "WORCESTER", "MD", "207X00000X", "1 MAIN ST", "01608"),
                new RegistryProvider { Npi = Deactivated, DeactivationDate = new DateOnly(2024, 1, 2), UpdatedAt = TestClock.UtcNow },
                Person(Organization, null, null, null, "207X00000X", "100 MAIN ST", "021391234") is var o ? With(o, "CAMBRIDGE BONE & JOINT") : null!);
            // A deactivated NPI that still has an address in an older file: never listed.
            var stale = Person(Npi(500000011), "OLD", "RETIRED", "MD", "207X00000X", "9 FENWAY", "02115");
            stale.DeactivationDate = new DateOnly(2025, 5, 1);
            db.RegistryProviders.Add(stale);
            await db.SaveChangesAsync(ct);
        }
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            var clinic = await db.Clinics.SingleAsync(c => c.Id == org.ClinicId, ct);
            clinic.Zip = "02115";
            clinic.Niche = "orthopaedics, sports";
            await db.SaveChangesAsync(ct);
            var sources = sp.GetRequiredService<SourceService>();
            // Typed by hand at another spelling of the address: the registry says where it practises.
            var referrer = await sources.CreateAsync(new SourceInput { Npi = Referrer, FirstName = "Referring", LastName = "Ref", Credential = "MD", TaxonomyCode = "207X00000X", AddressLine = "100 Main Street", Zip = "02139" }, ct);
            await sources.CreateAsync(new SourceInput { Npi = DormantSource, LastName = "Dormant", TaxonomyCode = "207X00000X", Status = SourceStatus.Dormant }, ct);
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "P1", FirstName = "Pat", LastName = "Ient" });
            await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput { PatientId = patient.Id, SourceId = referrer.Id, ClinicId = org.ClinicId, ReceivedOn = TestClock.Today.AddMonths(-2) });
            return 0;
        });
        return org;
    }

    private static RegistryProvider With(RegistryProvider organization, string name)
    {
        organization.EntityType = RegistryEntityType.Organization;
        organization.BusinessName = name;
        return organization;
    }

    private static RegistryProvider Person(string npi, string? first, string? last, string? credential, string code, string line1, string zip)
    {
        var point = ZipCentroids.Find(zip);
        return new RegistryProvider
        {
            Npi = npi, EntityType = RegistryEntityType.Individual, FirstName = first, LastName = last, Credential = credential, TaxonomyCode = code,
            AddressLine1 = line1, AddressLine2 = line1 == "100 MAIN ST" ? "SUITE 2" : null, City = zip.StartsWith("0213", StringComparison.Ordinal) ? "CAMBRIDGE" : zip == "01608" ? "WORCESTER" : "BOSTON",
            State = "MA", PostalCode = zip, Zip5 = ZipCentroids.Zip5(zip), CountryCode = "US", Phone = "6175550100", Fax = "6175550101",
            Latitude = point?.Latitude, Longitude = point?.Longitude, AddressKey = RegistryArea.AddressKey(line1, zip), UpdatedAt = TestClock.UtcNow,
        };
    }
}
