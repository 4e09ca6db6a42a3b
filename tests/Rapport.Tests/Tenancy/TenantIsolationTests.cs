using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Data;
using Rapport.Sources;
using Rapport.Tenancy;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Tenancy;

/// <summary>The central mechanism itself: query filters for reads, the SaveChanges guard for writes.</summary>
public sealed class TenantIsolationTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Queries_see_only_the_current_organization_and_nothing_without_one(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var a = await app.CreateOrganizationAsync("Practice A");
        var b = await app.CreateOrganizationAsync("Practice B");
        var bSourceId = await app.InOrganizationAsync(b.Id, async sp =>
            (await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Wilson", Npi = Formats.NpiWithCheckDigit("300000001") })).Id);

        var seenByA = await app.InOrganizationAsync(a.Id, sp => sp.GetRequiredService<RapportDbContext>().Sources.AnyAsync(s => s.Id == bSourceId));
        var seenByB = await app.InOrganizationAsync(b.Id, sp => sp.GetRequiredService<RapportDbContext>().Sources.AnyAsync(s => s.Id == bSourceId));
        await using var scope = app.Services.CreateAsyncScope();
        var seenByNobody = await scope.ServiceProvider.GetRequiredService<RapportDbContext>().Sources.CountAsync();

        Assert.False(seenByA);
        Assert.True(seenByB);
        Assert.Equal(0, seenByNobody);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Writing_another_organizations_row_is_refused_even_when_loaded_around_the_filter(string database)
    {
        await using var app = await RapportApp.StartAsync(database);
        var a = await app.CreateOrganizationAsync("Practice A");
        var b = await app.CreateOrganizationAsync("Practice B");
        var bSourceId = await app.InOrganizationAsync(b.Id, async sp =>
            (await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Wilson" })).Id);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.InOrganizationAsync(a.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            var foreign = await db.Sources.IgnoreQueryFilters().SingleAsync(s => s.Id == bSourceId);
            foreign.LastName = "Hijacked";
            return await db.SaveChangesAsync();
        }));
        Assert.Contains("another organization", error.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<InvalidOperationException>(() => app.InOrganizationAsync(a.Id, async sp =>
        {
            var db = sp.GetRequiredService<RapportDbContext>();
            db.Sources.Add(new ReferralSource { LastName = "Planted", OrganizationId = b.Id });
            return await db.SaveChangesAsync();
        }));

        var name = await app.InOrganizationAsync(b.Id, sp => sp.GetRequiredService<RapportDbContext>().Sources.Where(s => s.Id == bSourceId).Select(s => s.LastName).SingleAsync());
        Assert.Equal("Wilson", name);
    }

    [Fact]
    public void The_organization_of_a_scope_cannot_be_switched()
    {
        var current = new CurrentOrganization();
        current.Set(1);
        current.Set(1);
        Assert.Throws<InvalidOperationException>(() => current.Set(2));
    }
}
