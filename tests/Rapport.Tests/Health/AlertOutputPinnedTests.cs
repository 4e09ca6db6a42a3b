using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.Demo;
using Rapport.Health;
using Rapport.Organizations;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Health;

/// <summary>
/// Every alert of the demo practice — kind, tier, source, sentences, numbers, status, owner — on
/// several as-of days, held to a recorded copy (Golden/demo-alerts.json). The snapshot reader and
/// the list are tuned for speed; this is what says the tuning changed no result. To re-record after
/// a deliberate change of the rules: RAPPORT_WRITE_GOLDEN=1 and run this test on SQLite, then
/// review the diff.
/// </summary>
public sealed class AlertOutputPinnedTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);
    private static readonly DateOnly[] AsOfDays = [Today, new(2026, 6, 30), new(2026, 3, 1), new(2024, 2, 29), new(2025, 12, 30)];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Demo_alerts_on_fixed_days_equal_the_recorded_output(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await RapportApp.StartAsync(database, b => b.Services.AddSingleton<TimeProvider>(
            new FakeTimeProvider(new DateTimeOffset(Today.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero))));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(new DemoOptions(), null, ct)).Created);
        }
        var org = await app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<OrganizationService>().FindBySlugAsync("riverside");
        var output = await app.InOrganizationAsync(org!.Id, async sp =>
        {
            var service = sp.GetRequiredService<AlertService>();
            // One acknowledged and one snoozed source, so the statuses are pinned too.
            var open = (await service.ListAsync(Today, includeHandled: false, cancellationToken: ct)).Alerts;
            await service.AcknowledgeAsync(new AlertActionInput { SourceId = open[0].Source.Id, Kind = open[0].Kind }, "pinned", ct);
            await service.SnoozeSourceAsync(open[^1].Source.Id, Today.AddDays(30), "pinned", ct);
            var days = new List<object>();
            foreach (var asOf in AsOfDays)
            {
                var list = await service.ListAsync(asOf, includeHandled: true, cancellationToken: ct);
                // SQLite hands the acknowledgement time back without its kind, PostgreSQL as UTC: the same instant.
                days.Add(new { list.AsOf, Alerts = list.Alerts.Select(a => a with { AcknowledgedAt = a.AcknowledgedAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null }) });
            }
            return JsonSerializer.Serialize(days, Json);
        });

        var golden = GoldenPath();
        if (Environment.GetEnvironmentVariable("RAPPORT_WRITE_GOLDEN") == "1" && database == TestDatabases.Sqlite)
        {
            await File.WriteAllTextAsync(golden, output + "\n", ct);
        }
        var expected = (await File.ReadAllTextAsync(golden, ct)).TrimEnd('\n');
        Assert.True(output.Length > 10_000, "the demo raises a good number of alerts");
        if (expected != output)
        {
            var actualPath = Path.Combine(Path.GetTempPath(), $"demo-alerts-{database}-actual.json");
            await File.WriteAllTextAsync(actualPath, output, ct);
            Assert.Fail($"The alerts differ from {golden}; this run's are in {actualPath}.");
        }
    }

    private static string GoldenPath([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden", "demo-alerts.json");
}
