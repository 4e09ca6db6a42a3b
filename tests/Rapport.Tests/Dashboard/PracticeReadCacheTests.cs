using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Dashboard;

/// <summary>Requests that miss the practice's cache together wait for one computation, and a failed one does not fail the others.</summary>
public sealed class PracticeReadCacheTests
{
    private sealed record Figure(int Computation);

    [Fact]
    public async Task Concurrent_misses_compute_once_and_a_failed_computation_leaves_the_others_to_compute()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(TestDatabases.Sqlite);
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var computations = 0;
        using var releaseTogether = new SemaphoreSlim(0);
        using var releaseAfterFailure = new SemaphoreSlim(0);
        Task<Figure> ReadAsync(string key, SemaphoreSlim release, bool fail = false) => app.InOrganizationAsync(org.Id, sp =>
            sp.GetRequiredService<PracticeReadCache>().GetOrComputeAsync(key, async token =>
            {
                var n = Interlocked.Increment(ref computations);
                await release.WaitAsync(token);
                return fail ? throw new InvalidOperationException("the first computation fails") : new Figure(n);
            }, ct));

        // Eight requests miss together while the first computation is under way: one computes.
        var readers = Enumerable.Range(0, 8).Select(_ => ReadAsync("together", releaseTogether)).ToList();
        await WaitUntilAsync(() => Volatile.Read(ref computations) >= 1, ct);
        await Task.Delay(1000, ct); // time for the other seven to arrive and, were there no guard, compute
        releaseTogether.Release(8);
        var figures = await Task.WhenAll(readers);
        Assert.Equal(1, computations);
        Assert.All(figures, f => Assert.Same(figures[0], f));

        // The computation that the others wait for fails: its request gets the error, the others compute themselves.
        computations = 0;
        var failing = ReadAsync("after-a-failure", releaseAfterFailure, fail: true);
        await WaitUntilAsync(() => Volatile.Read(ref computations) >= 1, ct);
        var waiting = ReadAsync("after-a-failure", releaseAfterFailure);
        await Task.Delay(1000, ct);
        releaseAfterFailure.Release(1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        releaseAfterFailure.Release(1);
        Assert.Equal(2, (await waiting).Computation);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, ct);
        }
        Assert.True(condition());
    }
}
