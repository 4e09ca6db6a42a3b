using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Data;
using Rapport.Email;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Nps;

public sealed class EmailOutboxTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Mail_queued_while_the_server_is_down_is_delivered_exactly_once_when_it_is_back(string database)
    {
        await using var smtp = SmtpTestServer.OnFreePort();
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings(sendQueued: false)));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        var id = await app.InOrganizationAsync(org.Id, async sp =>
            (await sp.GetRequiredService<EmailOutbox>().EnqueueAsync(new EmailMessage("owner@harbor-pt.test", "Weekly digest", "Hello", "<p>Hello</p>"))).Id);

        Assert.Equal(0, await DispatchAsync(app));
        var failed = await MessageAsync(app, id);
        Assert.Equal(OutboxStatus.Queued, failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.False(string.IsNullOrEmpty(failed.LastError));
        Assert.Null(failed.SentAt);
        Assert.Empty(smtp.Received);

        smtp.Listen();
        Assert.Equal(1, await DispatchAsync(app));
        Assert.Equal(0, await DispatchAsync(app));

        var sent = await MessageAsync(app, id);
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal(2, sent.Attempts);
        Assert.NotNull(sent.SentAt);
        var received = Assert.Single(smtp.Received);
        Assert.Equal("Weekly digest", received.Subject);
        Assert.Equal("owner@harbor-pt.test", received.To.Mailboxes.Single().Address);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task Two_nodes_dispatching_at_once_never_send_a_message_twice(string database)
    {
        await using var smtp = SmtpTestServer.Start();
        await using var app = await RapportApp.StartAsync(database, b => b.Configuration.AddInMemoryCollection(smtp.AppSettings(sendQueued: false)));
        var org = await app.CreateOrganizationAsync("Harbor PT");
        await app.InOrganizationAsync(org.Id, async sp =>
        {
            var outbox = sp.GetRequiredService<EmailOutbox>();
            for (var i = 0; i < 12; i++)
            {
                outbox.Add(new EmailMessage($"person{i}@harbor-pt.test", $"Message {i}", "Hello"));
            }
            await sp.GetRequiredService<RapportDbContext>().SaveChangesAsync();
            return 0;
        });

        var counts = await Task.WhenAll(DispatchAsync(app), DispatchAsync(app), DispatchAsync(app));

        Assert.Equal(12, counts.Sum());
        Assert.Equal(12, smtp.Received.Count);
        Assert.Equal(12, smtp.Received.Select(m => m.Subject).Distinct().Count());
    }

    private static async Task<int> DispatchAsync(RapportApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();
    }

    private static async Task<OutboxMessage> MessageAsync(RapportApp app, long id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RapportDbContext>().Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == id);
    }
}
