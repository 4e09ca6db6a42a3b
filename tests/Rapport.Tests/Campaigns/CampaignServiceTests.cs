using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Campaigns;
using Rapport.Common;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;

namespace Rapport.Tests.Campaigns;

/// <summary>Campaign records: writes and their rules, delete refused when the campaign has history, the bulk log and targets.</summary>
public sealed class CampaignServiceTests
{
    private static readonly DateOnly Today = TestClock.Today;

    private static readonly string[] ExpectedProblemFields =
        [.. new[] { "name", "kind", "endsOn", "budget", "costs[1].description", "costs[2].amount", "costs[3].amount", "costs[4].amount" }.Order(StringComparer.Ordinal)];

    private static CampaignInput Fair(string name = "Spring health fair") => new()
    {
        Name = name, Kind = CampaignKind.HealthFair, StartsOn = Today.AddDays(-20), EndsOn = Today.AddDays(-19), Budget = 1500m,
        TargetSpecialties = "Orthopedic Surgery,  sports medicine ,", Notes = "Booth 14",
        Costs = [new() { Description = "Booth fee", Amount = 450m, IncurredOn = Today.AddDays(-30) }, new() { Description = "Printing", Amount = 120.50m }],
    };

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Create_get_update_replace_cost_lines_and_refuse_bad_input(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Campaign Practice");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var campaigns = sp.GetRequiredService<CampaignService>();
            var second = await sp.GetRequiredService<OrganizationService>().SaveClinicAsync(null, new ClinicInput { Name = "Eastside", Zip = "92501" });
            var created = await campaigns.CreateAsync(Fair() with { ClinicIds = [org.ClinicId, second.Id] });
            var details = (await campaigns.GetAsync(created.Id))!;
            Assert.Equal("Spring health fair", details.Name);
            Assert.Equal("Health fair", details.KindLabel);
            Assert.Equal("Orthopedic Surgery, sports medicine", details.TargetSpecialties);
            Assert.Equal(["Campaign Practice Main", "Eastside"], details.Clinics.Select(c => c.Name));
            Assert.Equal([("Booth fee", 450m), ("Printing", 120.50m)], details.Costs.Select(c => (c.Description, c.Amount)));
            Assert.Equal(570.50m, details.CostLinesTotal);
            Assert.Equal(0, details.TouchCount);

            // Update replaces the lines exactly (one kept with a new amount, one dropped, one added) and the clinics.
            await campaigns.UpdateAsync(created.Id, Fair() with
            {
                ClinicIds = [second.Id], EndsOn = null,
                Costs = [new() { Description = "Booth fee", Amount = 500m }, new(), new() { Description = "Catering", Amount = 89.99m }],
            });
            details = (await campaigns.GetAsync(created.Id))!;
            Assert.Equal([("Booth fee", 500m), ("Catering", 89.99m)], details.Costs.Select(c => (c.Description, c.Amount)));
            Assert.Equal(589.99m, details.CostLinesTotal);
            Assert.Equal(["Eastside"], details.Clinics.Select(c => c.Name));
            Assert.Null(details.EndsOn);
            var db = sp.GetRequiredService<RapportDbContext>();
            Assert.Equal(2, await db.Set<CampaignCost>().CountAsync(c => c.CampaignId == created.Id, TestContext.Current.CancellationToken));

            // The name is unique ignoring case: a conflict (409 on the API), on create and on rename.
            var conflict = await Assert.ThrowsAsync<ConflictException>(() => campaigns.CreateAsync(Fair("SPRING HEALTH FAIR")));
            Assert.Equal("name", conflict.Field);
            Assert.Contains("already exists", conflict.Message, StringComparison.Ordinal);
            var other = await campaigns.CreateAsync(Fair("Newsletter") with { Kind = CampaignKind.Newsletter });
            await Assert.ThrowsAsync<ConflictException>(() => campaigns.UpdateAsync(other.Id, Fair("spring Health Fair")));
            await campaigns.UpdateAsync(other.Id, Fair("Newsletter") with { Kind = CampaignKind.Newsletter, Name = "newsletter" });  // its own name in another case

            // Every rule names its field in camelCase; cost lines by their row.
            var bad = await Assert.ThrowsAsync<ValidationException>(() => campaigns.CreateAsync(new CampaignInput
            {
                Name = " ", StartsOn = Today, EndsOn = Today.AddDays(-1), Budget = 10_000_000.01m,
                Costs = [new() { Description = "Ok", Amount = 1m }, new() { Amount = 2m }, new() { Description = "Cents", Amount = 1.005m }, new() { Description = "Negative", Amount = -1m },
                    new() { Description = "No amount" }],
            }));
            var e = bad.Errors;
            Assert.Equal("Name is required.", Assert.Single(e["name"]));
            Assert.StartsWith("Kind is required (HealthFair, Booth", Assert.Single(e["kind"]), StringComparison.Ordinal);
            Assert.Equal($"End date ({Today.AddDays(-1):yyyy-MM-dd}) cannot be before the start date ({Today:yyyy-MM-dd}).", Assert.Single(e["endsOn"]));
            Assert.Equal("Budget must be between 0 and 10,000,000 dollars.", Assert.Single(e["budget"]));
            Assert.Equal("Cost line 2: description is required.", Assert.Single(e["costs[1].description"]));
            Assert.Equal("Cost line 3: amount has at most two decimals (cents).", Assert.Single(e["costs[2].amount"]));
            Assert.Equal("Cost line 4: amount must be between 0 and 10,000,000 dollars.", Assert.Single(e["costs[3].amount"]));
            Assert.Equal("Cost line 5: amount is required.", Assert.Single(e["costs[4].amount"]));
            Assert.False(e.ContainsKey("costs[0].amount"));
            Assert.Equal(ExpectedProblemFields, e.Keys.Order(StringComparer.Ordinal));

            var missingStart = await Assert.ThrowsAsync<ValidationException>(() => campaigns.CreateAsync(new CampaignInput { Name = "X", Kind = CampaignKind.Other }));
            Assert.Equal("Start date is required.", Assert.Single(missingStart.Errors["startsOn"]));
            var strangers = await Assert.ThrowsAsync<ValidationException>(() => campaigns.CreateAsync(Fair("Y") with { OwnerUserId = "nobody", ClinicIds = [987654] }));
            Assert.Equal("The campaign owner must be a user of this practice.", Assert.Single(strangers.Errors["ownerUserId"]));
            Assert.Equal("Clinic 987654 is not one of this practice's clinics.", Assert.Single(strangers.Errors["clinicIds"]));
            var tooLong = await Assert.ThrowsAsync<ValidationException>(() => campaigns.CreateAsync(Fair(new string('n', 201))));
            Assert.Contains("at most 200", Assert.Single(tooLong.Errors["name"]), StringComparison.Ordinal);
            Assert.Equal(2, await db.Campaigns.CountAsync(TestContext.Current.CancellationToken));
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Delete_is_refused_while_touches_name_the_campaign_and_archive_hides_it(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Campaign Practice");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var campaigns = sp.GetRequiredService<CampaignService>();
            var fair = await campaigns.CreateAsync(Fair());
            var empty = await campaigns.CreateAsync(Fair("Never ran"));
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Cuddy" });
            await sp.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput
            {
                SourceId = source.Id, OccurredOn = Today.AddDays(-20), Method = TouchMethod.Event, CampaignId = fair.Id,
            });

            var refused = await Assert.ThrowsAsync<ValidationException>(() => campaigns.DeleteAsync(fair.Id));
            Assert.Equal("Campaign \"Spring health fair\" has 1 touch: deleting it would take them out of its results. Archive it instead.", Assert.Single(refused.Errors["id"]));
            Assert.NotNull(await campaigns.GetAsync(fair.Id));

            await campaigns.DeleteAsync(empty.Id);
            Assert.Null(await campaigns.GetAsync(empty.Id));
            await Assert.ThrowsAsync<NotFoundException>(() => campaigns.DeleteAsync(empty.Id));

            Assert.Contains(await campaigns.ChoicesAsync(), c => c.Id == fair.Id);
            await campaigns.SetArchivedAsync(fair.Id, true);
            Assert.True((await campaigns.GetAsync(fair.Id))!.Archived);
            Assert.DoesNotContain(await campaigns.ChoicesAsync(), c => c.Id == fair.Id);
            Assert.Contains(await campaigns.ChoicesAsync(fair.Id), c => c.Id == fair.Id);  // a touch already in it keeps it
            var list = await sp.GetRequiredService<CampaignResultsService>().SummariesAsync(new CampaignListQuery());
            Assert.DoesNotContain(list, c => c.Id == fair.Id);
            Assert.Contains(await sp.GetRequiredService<CampaignResultsService>().SummariesAsync(new CampaignListQuery { IncludeArchived = true }), c => c.Id == fair.Id);
            await campaigns.SetArchivedAsync(fair.Id, false);
            Assert.False((await campaigns.GetAsync(fair.Id))!.Archived);
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task People_met_become_sources_with_one_touch_each_all_or_nothing(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Campaign Practice");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var campaigns = sp.GetRequiredService<CampaignService>();
            var db = sp.GetRequiredService<RapportDbContext>();
            var ct = TestContext.Current.CancellationToken;
            var fair = await campaigns.CreateAsync(Fair() with { ClinicIds = [org.ClinicId] });
            var cuddy = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { FirstName = "Lisa", LastName = "Cuddy", Credential = "MD", Status = SourceStatus.Active });

            // One bad person (an invalid NPI, a bad e-mail) and nothing is written, not even the good ones.
            var sourcesBefore = await db.Sources.CountAsync(ct);
            var bad = await Assert.ThrowsAsync<ValidationException>(() => campaigns.LogPeopleAsync(fair.Id, new CampaignPeopleInput
            {
                People =
                [
                    new() { SourceId = cuddy.Id },
                    new() { FirstName = "James", LastName = "Wilson", Credential = "MD" },
                    new(),
                    new() { FirstName = "Eric", LastName = "Foreman", Npi = "1234567890", Email = "not-an-email" },
                    new() { FirstName = "Nobody" },
                ],
            }));
            Assert.StartsWith("Person 4: '1234567890' is not a valid NPI", Assert.Single(bad.Errors["people[3].npi"]), StringComparison.Ordinal);
            Assert.Equal("Person 4: 'not-an-email' is not a valid e-mail address.", Assert.Single(bad.Errors["people[3].email"]));
            Assert.Equal("Person 5: Last name (or organization name) is required.", Assert.Single(bad.Errors["people[4].lastName"]));
            Assert.Equal(sourcesBefore, await db.Sources.CountAsync(ct));
            Assert.Equal(0, await db.Touchpoints.CountAsync(ct));

            var unknown = await Assert.ThrowsAsync<ValidationException>(() => campaigns.LogPeopleAsync(fair.Id, new CampaignPeopleInput { People = [new() { SourceId = 99999 }] }));
            Assert.Equal("Person 1: source 99999 does not exist.", Assert.Single(unknown.Errors["people[0].sourceId"]));
            var nobody = await Assert.ThrowsAsync<ValidationException>(() => campaigns.LogPeopleAsync(fair.Id, new CampaignPeopleInput { People = [new()] }));
            Assert.Equal("List at least one person met: an existing source or a new one.", Assert.Single(nobody.Errors["people"]));
            var future = await Assert.ThrowsAsync<ValidationException>(() => campaigns.LogPeopleAsync(fair.Id, new CampaignPeopleInput
            {
                OccurredOn = Today.AddDays(1), People = [new() { SourceId = cuddy.Id }],
            }));
            Assert.StartsWith("Touch date cannot be in the future", Assert.Single(future.Errors["occurredOn"]), StringComparison.Ordinal);

            // Fixed: one existing, two new; the same existing source listed twice is touched once.
            var logged = await campaigns.LogPeopleAsync(fair.Id, new CampaignPeopleInput
            {
                People =
                [
                    new() { SourceId = cuddy.Id, Notes = "Asked about ACL protocol" },
                    new() { FirstName = "James", LastName = "Wilson", Credential = "MD", Specialty = "Sports medicine", Phone = "951-555-0101" },
                    new() { SourceId = cuddy.Id },
                    new() { FirstName = "Eric", LastName = "Foreman", PracticeName = "Riverside Neuro", Status = SourceStatus.Active },
                ],
            }, byUserId: null);
            Assert.Equal(Today.AddDays(-20), logged.OccurredOn);       // the campaign's start
            Assert.Equal(TouchMethod.Event, logged.Method);           // a health fair is met at the event
            Assert.Equal(["Lisa Cuddy, MD", "James Wilson, MD", "Eric Foreman"], logged.Touched.Select(t => t.Name));
            Assert.Equal([false, true, true], logged.Touched.Select(t => t.SourceCreated));
            var again = Assert.Single(logged.NotTouchedAgain);
            Assert.Equal(2, again.Index);
            Assert.Contains("not touched twice", again.Note, StringComparison.Ordinal);

            var touches = await db.Touchpoints.AsNoTracking().Where(t => t.CampaignId == fair.Id).OrderBy(t => t.Id).ToListAsync(ct);
            Assert.Equal(3, touches.Count);
            Assert.All(touches, t => Assert.Equal((Today.AddDays(-20), TouchMethod.Event, "Spring health fair"), (t.OccurredOn, t.Method, t.Purpose)));
            Assert.Equal("Asked about ACL protocol", touches[0].Notes);
            var wilson = await db.Sources.AsNoTracking().SingleAsync(s => s.LastName == "Wilson", ct);
            Assert.Equal(SourceStatus.Prospect, wilson.Status);   // new people are prospects unless told otherwise
            Assert.Equal(org.ClinicId, wilson.ClinicId);            // of the campaign's clinic
            Assert.Equal("(951) 555-0101", wilson.Phone);           // every source rule applies
            Assert.Equal(SourceStatus.Active, (await db.Sources.AsNoTracking().SingleAsync(s => s.LastName == "Foreman", ct)).Status);
            Assert.Equal(3, (await campaigns.GetAsync(fair.Id))!.TouchCount);
            var summary = Assert.Single(await sp.GetRequiredService<CampaignResultsService>().SummariesAsync(new CampaignListQuery()));
            Assert.Equal(3, summary.SourcesReached);

            // Logging the same day again touches nobody twice; another day, another touch; method and purpose as given.
            var repeat = await campaigns.LogPeopleAsync(fair.Id, new CampaignPeopleInput { People = [new() { SourceId = cuddy.Id }, new() { SourceId = wilson.Id }] });
            Assert.Empty(repeat.Touched);
            Assert.Equal(2, repeat.NotTouchedAgain.Count);
            var nextDay = await campaigns.LogPeopleAsync(fair.Id, new CampaignPeopleInput
            {
                OccurredOn = Today.AddDays(-19), Method = TouchMethod.Phone, Purpose = "Follow-up call", People = [new() { SourceId = wilson.Id }],
            });
            Assert.Single(nextDay.Touched);
            Assert.Equal(4, await db.Touchpoints.CountAsync(t => t.CampaignId == fair.Id, ct));
            Assert.Equal("Follow-up call", (await db.Touchpoints.AsNoTracking().OrderBy(t => t.Id).LastAsync(ct)).Purpose);
            return 0;
        });
    }

    [Fact]
    public void Default_method_follows_the_kind()
    {
        Assert.Equal(TouchMethod.Event, CampaignService.DefaultMethod(CampaignKind.ConferenceExhibit));
        Assert.Equal(TouchMethod.Lunch, CampaignService.DefaultMethod(CampaignKind.LunchAndLearn));
        Assert.Equal(TouchMethod.Email, CampaignService.DefaultMethod(CampaignKind.Newsletter));
        Assert.Equal(TouchMethod.Email, CampaignService.DefaultMethod(CampaignKind.BlogOrPublication));
        Assert.Equal(TouchMethod.Letter, CampaignService.DefaultMethod(CampaignKind.DirectMail));
        Assert.Equal(TouchMethod.Social, CampaignService.DefaultMethod(CampaignKind.SocialMedia));
        Assert.Equal(TouchMethod.InPerson, CampaignService.DefaultMethod(CampaignKind.ReferralFirstOutreach));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Targets_from_registry_npis_become_prospect_sources(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Campaign Practice");
        var registryNpi = Formats.NpiWithCheckDigit("177700001");
        var existingNpi = Formats.NpiWithCheckDigit("177700002");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var ct = TestContext.Current.CancellationToken;
            var db = sp.GetRequiredService<RapportDbContext>();
            db.RegistryProviders.Add(new Rapport.Registry.RegistryProvider
            {
                Npi = registryNpi, EntityType = Rapport.Registry.RegistryEntityType.Individual, LastName = "CHASE", FirstName = "ROBERT", Credential = "M.D.",
                TaxonomyCode = "207X00000X", AddressLine1 = "2 HOSPITAL WAY", City = "RIVERSIDE", State = "CA", PostalCode = "92501", Zip5 = "92501", UpdatedAt = TestClock.UtcNow,
            });
            await db.SaveChangesAsync(ct);
            var campaigns = sp.GetRequiredService<CampaignService>();
            var outreach = await campaigns.CreateAsync(Fair("Referral-first outreach") with { Kind = CampaignKind.ReferralFirstOutreach });
            var cuddy = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Cuddy", Npi = existingNpi });
            var result = await campaigns.AddTargetsAsync(outreach.Id, new CampaignTargetsInput
            {
                Npis = [registryNpi, existingNpi, "1234567890", Formats.NpiWithCheckDigit("177700003")], SourceIds = [cuddy.Id, 424242],
            });
            var chase = await db.Sources.AsNoTracking().SingleAsync(s => s.Npi == registryNpi, ct);
            Assert.Equal(SourceStatus.Prospect, chase.Status);
            Assert.Equal(("Robert", "Chase", "MD"), (chase.FirstName, chase.LastName, chase.Credential));  // filled from the registry
            Assert.Equal(org.ClinicId, chase.ClinicId);
            Assert.Equal([chase.Id], result.CreatedProspects);
            Assert.Equal([cuddy.Id, chase.Id], result.Added.Order());
            Assert.Equal(3, result.Refused.Count);
            Assert.Contains(result.Refused, r => r.Value == "424242" && r.Reason == "Source 424242 does not exist.");
            Assert.Contains(result.Refused, r => r.Value == "1234567890" && r.Reason.Contains("not a valid NPI", StringComparison.Ordinal));
            Assert.Contains(result.Refused, r => r.Reason.Contains("not in the NPI registry", StringComparison.Ordinal));

            var again = await campaigns.AddTargetsAsync(outreach.Id, new CampaignTargetsInput { SourceIds = [chase.Id] });
            Assert.Equal([chase.Id], again.AlreadyTargeted);
            Assert.Empty(again.Added);

            await campaigns.LogPeopleAsync(outreach.Id, new CampaignPeopleInput { People = [new() { SourceId = chase.Id }] });
            var targets = (await campaigns.GetAsync(outreach.Id))!.Targets;
            Assert.Equal([("Cuddy", false), ("Robert Chase, MD", true)], targets.Select(t => (t.Name, t.Reached)));

            await campaigns.RemoveTargetAsync(outreach.Id, cuddy.Id);
            Assert.Equal([chase.Id], (await campaigns.GetAsync(outreach.Id))!.Targets.Select(t => t.SourceId));
            await Assert.ThrowsAsync<NotFoundException>(() => campaigns.RemoveTargetAsync(outreach.Id, cuddy.Id));
            return 0;
        });
    }
}
