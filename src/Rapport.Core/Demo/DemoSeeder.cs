using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rapport.Audit;
using Rapport.Common;
using Rapport.Dashboard;
using Rapport.Data;
using Rapport.Organizations;
using Rapport.Referrals;
using Rapport.Users;

namespace Rapport.Demo;

public enum DemoScale { Small, Large }

public sealed record DemoOptions
{
    public const int DefaultSeed = 20190320;
    public int Seed { get; init; } = DefaultSeed;
    public DemoScale Scale { get; init; } = DemoScale.Small;
}

public sealed record DemoProgress(string Stage, long Done, long Total);

public sealed record DemoResult(bool Created, string OrganizationName, string OrganizationSlug);

/// <summary>
/// Deterministic demo data: the same seed and the same "today" give the same practice, row for
/// row. Small is the Riverside practice with Dr. House's cooling relationship; large is a
/// benchmark network. The practice, clinics and staff go through the normal services; the
/// history goes through <see cref="IBulkWriter"/> in one transaction.
/// </summary>
public sealed class DemoSeeder(RapportDbContext db, OrganizationService organizations, UserManager<AppUser> users,
    RoleManager<IdentityRole> roles, DashboardRollups rollups, PracticeClock time)
{
    public const string AdminEmail = "demo@rapport.test";
    public const string AdminPassword = "rapport-demo-1";
    /// <summary>The demo practices are in Southern California (Riverside, Corona) and the network's clinics mostly in the West.</summary>
    public const string DemoTimeZone = "America/Los_Angeles";

    private static readonly string[] LoadedTables = ["ReferralSources", "Patients", "Referrals", "ReferralsOut", "Touchpoints"];

    public async Task<DemoResult> SeedIfEmptyAsync(DemoOptions options, IProgress<DemoProgress>? progress, CancellationToken cancellationToken)
    {
        if (await db.Organizations.AnyAsync(cancellationToken))
        {
            return new DemoResult(false, "", "");
        }
        var shape = DemoShape.For(options.Scale);
        progress?.Report(new DemoProgress("Practice and staff", 0, 1));
        var clinicSpecs = ClinicSpecs(options.Seed, shape);
        var (organization, _) = await organizations.CreateAsync(shape.OrganizationName, shape.Slug, clinicSpecs[0].Name, AdminEmail, AdminPassword,
            "Demo Admin", DemoTimeZone, cancellationToken);
        // The practice now exists, so the clock reads its calendar: the history ends on its today.
        var today = time.Today();
        var now = time.UtcNow;
        try
        {
            var clinics = await AddClinicsAsync(clinicSpecs, cancellationToken);
            var staff = await AddStaffAsync(options.Seed, shape, organization.Id, cancellationToken);
            // Weekly touch goals, so the call list's "my week" compares against something (the demo's liaisons log five or six a week).
            db.Set<Liaison.StaffPreference>().AddRange(staff.Liaisons.Select(liaison => new Liaison.StaffPreference
            {
                OrganizationId = organization.Id, UserId = liaison.UserId, WeeklyTouchGoal = 8,
            }));
            // Revenue per visit by payer category, so the source report shows estimated revenue. Illustrative
            // round figures for the demo only; a practice enters its own in Settings → Revenue.
            db.Set<Reports.PayerRevenueRate>().AddRange(new (PayerCategory Payer, decimal PerVisit)[]
            {
                (PayerCategory.Medicare, 100m), (PayerCategory.Medicaid, 70m), (PayerCategory.Commercial, 110m), (PayerCategory.WorkersComp, 140m),
                (PayerCategory.Auto, 130m), (PayerCategory.SelfPay, 90m), (PayerCategory.Other, 90m),
            }.Select(rate => new Reports.PayerRevenueRate { OrganizationId = organization.Id, PayerCategory = rate.Payer, RevenuePerVisit = rate.PerVisit }));
            progress?.Report(new DemoProgress("Practice and staff", 1, 1));

            var plan = DemoPlan.Create(options.Seed, shape, today, now, clinics, staff.Liaisons,
                firstSourceId: await NextIdAsync(db.Sources, cancellationToken),
                firstPatientId: await NextIdAsync(db.Patients, cancellationToken),
                firstReferralId: await NextIdAsync(db.Referrals, cancellationToken));
            // Before the history: its touches and direct-access referrals name the campaigns.
            await plan.Campaigns.SaveCampaignsAsync(db, staff.Liaisons[0].UserId, cancellationToken);
            var loader = new DemoLoader(plan, organization.Id, staff.Everyone, progress);
            // The NPI registry is public data shared by every practice: filled only while empty (never over an import).
            var fillRegistry = !await db.RegistryProviders.AnyAsync(cancellationToken);
            long registryRows = 0;
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var writer = await BulkWriter.OpenAsync(db.Database.GetDbConnection(), cancellationToken);
                var rebuildIndexes = shape.RebuildIndexesAfterLoad ? await writer.SuspendIndexesAsync(LoadedTables, cancellationToken) : null;
                var counts = await loader.LoadAsync(writer,
                    firstReferBackId: await NextIdAsync(db.ReferralsOut, cancellationToken),
                    firstTouchId: await NextIdAsync(db.Touchpoints, cancellationToken), cancellationToken);
                // Outcome forms for the Riverside practice only: the benchmark network measures the referral tables.
                var assessments = options.Scale == DemoScale.Small
                    ? await DemoAssessments.WriteAsync(writer, plan, options.Seed, organization.Id, today,
                        await NextIdAsync(db.Set<Outcomes.OutcomeAssessment>(), cancellationToken), progress, cancellationToken)
                    : 0;
                if (fillRegistry)
                {
                    registryRows = await DemoRegistry.WriteAsync(writer, DemoRegistry.Rows(options.Seed, options.Scale, plan, clinicSpecs, today, now), progress, cancellationToken);
                }
                if (rebuildIndexes is not null)
                {
                    progress?.Report(new DemoProgress("Indexes", 0, 1));
                    await rebuildIndexes(cancellationToken);
                    progress?.Report(new DemoProgress("Indexes", 1, 1));
                }
                await writer.CommitAsync(assessments > 0 ? [.. LoadedTables, DemoAssessments.Table] : LoadedTables, cancellationToken);
                db.AuditEvents.Add(new AuditEvent
                {
                    OrganizationId = organization.Id, At = now, Actor = "demo seed", Action = "DemoSeed", EntityType = nameof(Organization),
                    EntityId = organization.Id.ToString(CultureInfo.InvariantCulture),
                    Summary = $"Demo data, seed {options.Seed}, scale {options.Scale}: {counts}, {DemoAssessments.Describe(assessments)}"
                        + (fillRegistry ? $", {registryRows:N0} registry NPIs" : ""),
                });
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
            await db.SaveChangesAsync(cancellationToken);
            await plan.Campaigns.SaveTargetsAsync(db, cancellationToken);
            await new NpsDemo(db, time).SeedAsync(options.Seed, cancellationToken);
            if (options.Scale == DemoScale.Small)
            {
                await new LettersDemo(db, time).SeedAsync(options.Seed, cancellationToken);
            }
            // The history was bulk-loaded past the rollup markers: mark every month, then build the
            // dashboard's rollups now rather than on the first page view.
            progress?.Report(new DemoProgress("Dashboard rollups", 0, 1));
            await rollups.MarkAllMonthsAsync(cancellationToken);
            await rollups.RefreshAsync(cancellationToken);
            // The demo's rows went in through its own bulk writer, past SaveChanges: read caches must recompute.
            await Common.PracticeDataVersions.BumpAsync(db, db.Organization.RequiredId, cancellationToken);
            // Planner statistics for the freshly filled rollup tables, as BulkWriter keeps them for the loaded ones.
            await db.Database.ExecuteSqlRawAsync("""ANALYZE "ReferralMonthStats" """, cancellationToken);
            await db.Database.ExecuteSqlRawAsync("""ANALYZE "EvaluationLagStats" """, cancellationToken);
            await db.Database.ExecuteSqlRawAsync("""ANALYZE "SourceMonthStats" """, cancellationToken);
            await db.Database.ExecuteSqlRawAsync("""ANALYZE "SourceYearStats" """, cancellationToken);
            if (fillRegistry)
            {
                await db.Database.ExecuteSqlRawAsync("""ANALYZE "RegistryProviders" """, cancellationToken);
            }
            progress?.Report(new DemoProgress("Dashboard rollups", 1, 1));
        }
        catch
        {
            // All or nothing: without its history the practice would block the next attempt to seed.
            await RemoveAsync(organization.Id);
            throw;
        }
        return new DemoResult(true, organization.Name, organization.Slug);
    }

    private static async Task<int> NextIdAsync<T>(IQueryable<T> rows, CancellationToken cancellationToken) where T : class =>
        (await rows.IgnoreQueryFilters().Select(r => (int?)EF.Property<int>(r, "Id")).MaxAsync(cancellationToken) ?? 0) + 1;

    private async Task RemoveAsync(int organizationId)
    {
        db.ChangeTracker.Clear();
        await db.Users.Where(u => u.OrganizationId == organizationId).ExecuteDeleteAsync(CancellationToken.None);
        await db.Organizations.Where(o => o.Id == organizationId).ExecuteDeleteAsync(CancellationToken.None);
    }

    // ---------------------------------------------------------------- clinics

    internal sealed record ClinicSpec(string Name, string AddressLine, Metro Metro, string Zip, string Phone, string Niche, string[] Therapists);

    internal static List<ClinicSpec> ClinicSpecs(int seed, DemoShape shape)
    {
        var riverside = DemoVocabulary.Metros[0];
        var corona = DemoVocabulary.Metros[1];
        if (shape.Clinics == 3)
        {
            return
            [
                new("Riverside Downtown", "3900 Main St", riverside, "92501", "(951) 555-0110", "orthopaedics, joint replacement",
                    ["Elena Park", "Jordan Ellis", "Rosa Delgado", "Ben Whitaker"]),
                new("Riverside Canyon Crest", "5225 Canyon Crest Dr, Suite 120", riverside, "92507", "(951) 555-0120", "sports, running, concussion",
                    ["Sam Okafor", "Mia Castellano", "Tyler Brooks"]),
                new("Corona", "800 S Main St", corona, "92882", "(951) 555-0130", "geriatrics, balance, neurology, vestibular",
                    ["Grace Lindqvist", "Hector Ramos", "Aisha Haddad"]),
            ];
        }
        var random = new Random(DemoPlan.Mix(seed, 7, 0));
        var specs = new List<ClinicSpec>(shape.Clinics);
        for (var i = 0; i < shape.Clinics; i++)
        {
            var metro = DemoVocabulary.Metros[i % DemoVocabulary.Metros.Length];
            var quarter = DemoVocabulary.ClinicQuarters[i / DemoVocabulary.Metros.Length % DemoVocabulary.ClinicQuarters.Length];
            var suffix = i / (DemoVocabulary.Metros.Length * DemoVocabulary.ClinicQuarters.Length) is var round and > 0 ? $" {round + 1}" : "";
            var therapists = Enumerable.Range(0, 3 + random.Next(4))
                .Select(_ => $"{(random.Next(2) == 0 ? Pick(random, DemoVocabulary.FemaleFirstNames) : Pick(random, DemoVocabulary.MaleFirstNames))} {Pick(random, DemoVocabulary.LastNames)}")
                .ToArray();
            specs.Add(new ClinicSpec($"{metro.City} {quarter}{suffix}", $"{100 + random.Next(9800)} {Pick(random, metro.Streets)}", metro,
                Pick(random, metro.Zips), Formats.NormalizePhone($"{metro.AreaCode}555{100 + i % 100:D4}")!, Pick(random, DemoVocabulary.ClinicNiches), therapists));
        }
        return specs;
    }

    private async Task<List<DemoClinic>> AddClinicsAsync(List<ClinicSpec> specs, CancellationToken cancellationToken)
    {
        var first = await db.Clinics.SingleAsync(cancellationToken);
        Apply(first, specs[0]);
        foreach (var spec in specs.Skip(1))
        {
            var clinic = new Clinic { Name = spec.Name };
            Apply(clinic, spec);
            db.Clinics.Add(clinic);
        }
        await db.SaveChangesAsync(cancellationToken);
        var ids = await db.Clinics.ToDictionaryAsync(c => c.Name, c => c.Id, cancellationToken);
        return specs.Select((spec, index) => new DemoClinic(index, ids[spec.Name], spec.Name, spec.Metro, spec.Therapists)).ToList();
    }

    private static void Apply(Clinic clinic, ClinicSpec spec)
    {
        clinic.AddressLine = spec.AddressLine;
        clinic.City = spec.Metro.City;
        clinic.State = spec.Metro.State;
        clinic.Zip = spec.Zip;
        clinic.Phone = spec.Phone;
        // The fax line is the number after the phone's, as in many small practices.
        clinic.Fax = spec.Phone[..^1] + (char)('0' + (spec.Phone[^1] - '0' + 1) % 10);
        clinic.Niche = spec.Niche;
    }

    // ---------------------------------------------------------------- staff

    private sealed record Staff(List<DemoStaff> Liaisons, List<DemoStaff> Everyone);

    private async Task<Staff> AddStaffAsync(int seed, DemoShape shape, int organizationId, CancellationToken cancellationToken)
    {
        var random = new Random(DemoPlan.Mix(seed, 8, 0));
        var people = new List<(string Name, string Role, string? Credentials)>
        {
            ("Dana Whitfield", Roles.Manager, "PT, MBA"), ("Marcus Bell", Roles.Liaison, null), ("Priya Raman", Roles.Liaison, null),
        };
        for (var i = 2; i < shape.Liaisons; i++)
        {
            people.Add(($"{Pick(random, DemoVocabulary.FemaleFirstNames.Concat(DemoVocabulary.MaleFirstNames).ToArray())} {Pick(random, DemoVocabulary.LastNames)}", Roles.Liaison, null));
        }
        people.Add(("Tasha Greene", Roles.FrontDesk, null));
        // The clinicians are also therapists of the demo's first clinics, so their episodes' letters are signed with their credentials.
        people.AddRange([("Elena Park", Roles.Clinician, "PT, DPT, OCS"), ("Sam Okafor", Roles.Clinician, "PT, DPT, SCS"), ("Grace Lindqvist", Roles.Clinician, "PT, DPT, GCS")]);

        var liaisons = new List<DemoStaff>();
        var everyone = new List<DemoStaff>();
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Everyone shares the demo password, so it is hashed once: each hash costs a deliberate ~100 ms.
        string? passwordHash = null;
        foreach (var (name, role, credentials) in people)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var local = name.ToLowerInvariant().Replace(' ', '.');
            var email = $"{local}@{shape.Slug}.test";
            for (var n = 2; !emails.Add(email); n++)
            {
                email = $"{local}{n}@{shape.Slug}.test";
            }
            // Ids come from the seed, not Guid.NewGuid(), so sources' owners are identical between runs.
            var idBytes = new byte[16];
            random.NextBytes(idBytes);
            var user = new AppUser
            {
                Id = new Guid(idBytes).ToString(), UserName = email, Email = email, EmailConfirmed = true, OrganizationId = organizationId, DisplayName = name,
                Credentials = credentials,
            };
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
            passwordHash ??= users.PasswordHasher.HashPassword(user, AdminPassword);
            user.PasswordHash = passwordHash;
            Check(await users.CreateAsync(user));
            Check(await users.AddToRoleAsync(user, role));
            var member = new DemoStaff(user.Id, name);
            everyone.Add(member);
            if (role == Roles.Liaison)
            {
                liaisons.Add(member);
            }
        }
        return new Staff(liaisons, everyone);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Creating a demo user failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
