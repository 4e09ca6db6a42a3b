using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Audit;
using Rapport.Data;
using Rapport.Patients;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Audit;

/// <summary>The audit trail records changes, patient records opened, and exports, per organization.</summary>
public sealed class AuditTrailTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Changes_reads_and_exports_are_recorded_with_who_and_what(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Audit Practice");
        var other = await app.CreateOrganizationAsync("Other Practice");
        var patientId = await app.InOrganizationAsync(org.Id, async sp =>
            (await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "A1", FirstName = "Ann", LastName = "Lee" })).Id);

        using (var browser = await app.SignedInClientAsync(org.AdminEmail))
        {
            (await browser.GetAsync($"/Patients/{patientId}", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }
        using (var api = app.ApiClient(org.ApiKey))
        {
            (await api.GetAsync($"/api/v1/patients/{patientId}", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }
        var export = await Infrastructure.Cli.RunAsync(app.Database, "sources", "list", "--format", "csv", "--org", org.Slug);
        Assert.True(export.ExitCode == 0, export.Stderr);

        var events = await app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().AuditEvents.OrderBy(a => a.Id).ToListAsync());
        Assert.Contains(events, e => e.Action == "Added" && e.EntityType == nameof(Patient));
        var reads = events.Where(e => e.Action == AuditTrail.Read && e.EntityType == nameof(Patient) && e.EntityId == patientId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, reads.Count);
        Assert.Contains(reads, e => e.Actor == org.AdminEmail);
        Assert.Contains(reads, e => e.Actor == "api:tests");
        var exported = Assert.Single(events, e => e.Action == AuditTrail.Exported);
        Assert.Equal(nameof(ReferralSource), exported.EntityType);
        Assert.StartsWith("cli:", exported.Actor, StringComparison.Ordinal);

        var othersSeeNone = await app.InOrganizationAsync(other.Id, sp => sp.GetRequiredService<RapportDbContext>().AuditEvents.AnyAsync(e => e.Action == AuditTrail.Read));
        Assert.False(othersSeeNone);

        using var admin = await app.SignedInClientAsync(org.AdminEmail);
        var page = await admin.GetStringAsync("/Settings/Audit", TestContext.Current.CancellationToken);
        Assert.Contains("Exported", page, StringComparison.Ordinal);
        Assert.Contains("api:tests", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Front_desk_staff_cannot_open_the_audit_trail(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var org = await app.CreateOrganizationAsync("Audit Practice");
        await app.InOrganizationAsync(org.Id, async sp =>
            await sp.GetRequiredService<Rapport.Users.UserDirectory>().AddAsync("desk@audit.test", RapportApp.Password, "FrontDesk"));
        using var desk = await app.SignedInClientAsync("desk@audit.test");
        using var response = await desk.GetAsync("/Settings/Audit", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
