using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rapport.Common;
using Rapport.Dashboard;
using Rapport.Patients;
using Rapport.Referrals;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Dashboard;

/// <summary>
/// The dashboard is computed once per practice and reused until the practice's data version moves
/// (any write, on this node or another process on the same database) or the practice's day turns.
/// </summary>
public sealed class DashboardCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 15, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_dashboard_is_reused_until_a_write_anywhere_or_a_new_day(string database)
    {
        var time = new FakeTimeProvider(Start);
        await using var app = await RapportApp.StartAsync(database, b => b.Services.AddSingleton<TimeProvider>(time));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var today = DateOnly.FromDateTime(Start.UtcDateTime);
        var npi = Formats.NpiWithCheckDigit("123450001");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { Npi = npi, FirstName = "Lisa", LastName = "Cuddy", Credential = "MD" });
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "MRN1", FirstName = "Pat", LastName = "Ient" });
            await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput { PatientId = patient.Id, SourceId = source.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-3) });
            return 0;
        });
        Task<DashboardView> DashboardAsync() => app.InOrganizationAsync(org.Id, sp => sp.GetRequiredService<DashboardService>().GetAsync(new DashboardQuery(), TestContext.Current.CancellationToken));

        var first = await DashboardAsync();
        Assert.Equal(1, first.Received);
        Assert.Same(first, await DashboardAsync()); // nothing changed: the same computed view

        // A write through the services raises the version: the next view counts it.
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var patient = await sp.GetRequiredService<PatientService>().CreateAsync(new PatientInput { ExternalId = "MRN2", FirstName = "Pat", LastName = "Two" });
            await sp.GetRequiredService<ReferralService>().CreateAsync(new ReferralInput { PatientId = patient.Id, ClinicId = org.ClinicId, ReceivedOn = today.AddDays(-1), AcquisitionChannel = AcquisitionChannel.WebSearch });
            return 0;
        });
        var second = await DashboardAsync();
        Assert.NotSame(first, second);
        Assert.Equal(2, second.Received);

        // Another process on the same database (a CLI import, as another node would write) is seen too.
        var file = Path.Combine(Path.GetTempPath(), $"rapport-cache-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, $"external_id,source_npi,patient_external_id,received_date\nIMP1,{npi},MRN1,{today.AddDays(-2):yyyy-MM-dd}\nIMP2,{npi},MRN2,{today.AddDays(-2):yyyy-MM-dd}\n", TestContext.Current.CancellationToken);
        try
        {
            var run = await Infrastructure.Cli.RunAsync(app.Database, "import", "referrals", file, "--org", org.Slug, $"--Clock:Now={Start:O}");
            Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        }
        finally
        {
            File.Delete(file);
        }
        var third = await DashboardAsync();
        Assert.Equal(4, third.Received);
        Assert.Same(third, await DashboardAsync());

        // The practice's day turns: "today" moves, so the view is computed again even with no write.
        time.Advance(TimeSpan.FromDays(1));
        var nextDay = await DashboardAsync();
        Assert.NotSame(third, nextDay);
        Assert.Equal(4, nextDay.Received);
    }
}
