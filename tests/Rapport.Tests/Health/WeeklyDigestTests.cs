using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Common;
using Rapport.Sources;
using Rapport.Tests.Infrastructure;
using Rapport.Touchpoints;
using Rapport.Users;

namespace Rapport.Tests.Health;

/// <summary>`rapport digest send` e-mails each relationship owner their calls, over real SMTP, once a week.</summary>
public sealed class WeeklyDigestTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Digest_send_mails_each_owner_their_overdue_sources_once_a_week(string database)
    {
        await using var smtp = SmtpTestServer.Start();
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings(sendQueued: false)));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var today = TestClock.Today;
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var liaison = await sp.GetRequiredService<UserDirectory>().AddAsync("liaison@harbor-pt.test", RapportApp.Password, Roles.Liaison, "Lia Son");
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput
            {
                FirstName = "James", LastName = "Wilson", Credential = "MD", Npi = Formats.NpiWithCheckDigit("700000001"),
                OwnerUserId = liaison.Id, TouchCadenceDays = 30,
            });
            await sp.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput { SourceId = source.Id, OccurredOn = today.AddDays(-200), Method = TouchMethod.Phone });
            return 0;
        });
        string[] mail = [.. smtp.AppSettings(sendQueued: false).Select(kv => $"--{kv.Key}={kv.Value}")];

        var first = await Infrastructure.Cli.RunAsync(app.Database, ["digest", "send", "--org", org.Slug, .. mail]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("1 digest(s) queued, 1 message(s) delivered", first.Stdout, StringComparison.Ordinal);
        var message = Assert.Single(smtp.Received);
        Assert.Equal("liaison@harbor-pt.test", message.To.Mailboxes.Single().Address);
        Assert.Contains("1 source to call this week", message.Subject, StringComparison.Ordinal);
        Assert.Contains("James Wilson, MD", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Last touch 200 days ago by phone (cadence 30).", message.TextBody, StringComparison.Ordinal);
        // No referrals from him yet, so none lost: the figure still says its unit.
        Assert.Contains("0.0 referrals/month at risk (usually 0.0).", message.TextBody, StringComparison.Ordinal);

        var again = await Infrastructure.Cli.RunAsync(app.Database, ["digest", "send", "--org", org.Slug, .. mail]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("already sent", again.Stdout, StringComparison.Ordinal);
        Assert.Single(smtp.Received);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task The_schedule_queues_the_digest_on_its_day_and_not_again_that_week(string database)
    {
        var monday = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(monday.AddDays(-1));
        await using var app = await RapportApp.StartAsync(database, b =>
        {
            b.Services.AddSingleton<TimeProvider>(time);
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Digest:Enabled"] = "true", ["Email:Host"] = "127.0.0.1", ["Email:SendQueued"] = "false",
            });
        });
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var today = DateOnly.FromDateTime(monday.UtcDateTime);
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var liaison = await sp.GetRequiredService<UserDirectory>().AddAsync("liaison@harbor-pt.test", RapportApp.Password, Roles.Liaison);
            var source = await sp.GetRequiredService<SourceService>().CreateAsync(new SourceInput { LastName = "Wilson", OwnerUserId = liaison.Id, TouchCadenceDays = 30 });
            await sp.GetRequiredService<TouchpointService>().CreateAsync(new TouchpointInput { SourceId = source.Id, OccurredOn = today.AddDays(-200), Method = TouchMethod.Phone });
            return 0;
        });
        async Task<int> QueuedAsync() => await app.InOrganizationAsync(org.Id, sp =>
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(sp.GetRequiredService<Rapport.Data.RapportDbContext>().Set<Rapport.Email.OutboxMessage>()));
        async Task<int> SettleAsync(int expected)
        {
            // The hosted worker runs on its own timer (driven by the fake clock); give it time to act.
            for (var i = 0; i < 50 && await QueuedAsync() != expected; i++)
            {
                await Task.Delay(200);
            }
            await Task.Delay(500);
            return await QueuedAsync();
        }

        Assert.Equal(0, await SettleAsync(0));          // Sunday: not the day
        time.SetUtcNow(monday);                          // Monday 09:00: the next tick sends
        Assert.Equal(1, await SettleAsync(1));
        time.Advance(TimeSpan.FromMinutes(15));          // later ticks that week send nothing more
        var queued = await SettleAsync(1);
        Assert.Equal(1, queued);
    }
}
