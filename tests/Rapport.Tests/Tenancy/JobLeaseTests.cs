using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.Data;
using Rapport.Email;
using Rapport.Health;
using Rapport.Sources;
using Rapport.Tenancy;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;
using Rapport.Users;

namespace Rapport.Tests.Tenancy;

/// <summary>
/// Several `rapport serve` nodes on one database may all run the background jobs: a job every node
/// may start (the weekly digest) first takes a lease in the database, so only one node does it.
/// </summary>
public sealed class JobLeaseTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static Task<RapportApp> StartAsync(string database, FakeTimeProvider time) =>
        RapportApp.StartAsync(database, b =>
        {
            b.Services.AddSingleton<TimeProvider>(time);
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Email:Host"] = "127.0.0.1", ["Email:SendQueued"] = "false" });
        });

    private static JobLeases Node(IServiceProvider services, string holder) =>
        new(services.GetRequiredService<RapportDbContext>(), services.GetRequiredService<TimeProvider>()) { Holder = holder };

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task A_lease_is_held_by_one_node_until_it_is_given_back_or_runs_out(string database)
    {
        var time = new FakeTimeProvider(Monday);
        await using var app = await StartAsync(database, time);
        await using var scope = app.Services.CreateAsyncScope();
        var a = Node(scope.ServiceProvider, "node-a");
        var b = Node(scope.ServiceProvider, "node-b");
        var length = TimeSpan.FromMinutes(10);

        Assert.True(await a.TryAcquireAsync("job", length));
        Assert.False(await b.TryAcquireAsync("job", length));
        Assert.True(await a.TryAcquireAsync("job", length)); // renewing one's own lease
        Assert.True(await b.TryAcquireAsync("other job", length)); // names are independent

        await a.ReleaseAsync("job");
        Assert.True(await b.TryAcquireAsync("job", length));
        Assert.False(await a.TryAcquireAsync("job", length));
        await a.ReleaseAsync("job"); // not a's to give back: b keeps it
        Assert.False(await a.TryAcquireAsync("job", length));

        // A node that dies holding a lease frees it when the lease runs out, not before.
        time.Advance(length - TimeSpan.FromSeconds(1));
        Assert.False(await a.TryAcquireAsync("job", length));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await a.TryAcquireAsync("job", length));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Of_many_nodes_racing_for_a_new_or_expired_lease_exactly_one_wins(string database)
    {
        var time = new FakeTimeProvider(Monday);
        await using var app = await StartAsync(database, time);
        async Task<bool[]> RaceAsync(string name) => await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await Node(scope.ServiceProvider, $"node-{i}").TryAcquireAsync(name, TimeSpan.FromMinutes(1));
        }));

        Assert.Single(await RaceAsync("new"), won => won);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Single(await RaceAsync("new"), won => won);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_weekly_digest_is_queued_once_when_several_nodes_send_it_at_the_same_time(string database)
    {
        var time = new FakeTimeProvider(Monday);
        await using var app = await StartAsync(database, time);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var liaison = await sp.GetRequiredService<UserDirectory>().AddAsync("liaison@harbor-pt.test", RapportApp.Password, Roles.Liaison);
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Wilson", OwnerUserId = liaison.Id, TouchCadenceDays = 30 });
            await sp.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput { SourceId = source.Id, OccurredOn = DateOnly.FromDateTime(Monday.UtcDateTime).AddDays(-200), Method = TouchMethod.Phone });
            return 0;
        });
        Task<DigestResult> SendAsNodeAsync(string holder) => app.InOrganizationAsync(org.Id, sp =>
            ActivatorUtilities.CreateInstance<WeeklyDigest>(sp, Node(sp, holder)).QueueAsync());
        Task<int> QueuedAsync() => app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<RapportDbContext>().Set<OutboxMessage>().CountAsync());

        // While another node holds the practice's digest lease, this node stands aside.
        await app.InOrganizationAsync(org.Id, sp => Node(sp, "node-busy").TryAcquireAsync($"weekly-digest:{org.Id}", TimeSpan.FromMinutes(10)));
        var aside = await SendAsNodeAsync("node-a");
        Assert.True(aside.AlreadySent);
        Assert.Equal(0, await QueuedAsync());
        await app.InOrganizationAsync(org.Id, async sp => { await Node(sp, "node-busy").ReleaseAsync($"weekly-digest:{org.Id}"); return 0; });

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => SendAsNodeAsync($"node-{i}")));
        Assert.Single(results, r => !r.AlreadySent);
        Assert.Equal(["liaison@harbor-pt.test"], results.Single(r => !r.AlreadySent).Recipients);
        Assert.Equal(1, await QueuedAsync());
        Assert.Equal(1, await app.InOrganizationAsync(org.Id, sp =>
            sp.GetRequiredService<RapportDbContext>().AuditEvents.CountAsync(e => e.EntityType == "WeeklyDigest" && e.Action == "Sent")));
    }
}
