using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Rapport.Tests.Infrastructure;

/// <summary>An SMTP server inside the test process on a free loopback port; received messages are parsed with MimeKit.</summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly Store store = new();
    private SmtpServer.SmtpServer? server;
    private CancellationTokenSource? stopping;
    private Task? running;

    private SmtpTestServer(int port) => Port = port;

    public int Port { get; }

    public IReadOnlyCollection<MimeMessage> Received => store.Messages;

    /// <summary>Configuration for the app under test: this server, no TLS, the outbox polled often.</summary>
    public Dictionary<string, string?> AppSettings(bool sendQueued = true) => new()
    {
        ["Email:Host"] = "127.0.0.1",
        ["Email:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Tls"] = "None",
        ["Email:From"] = "Rapport Tests <surveys@rapport.test>",
        ["Email:SendQueued"] = sendQueued ? "true" : "false",
        ["Email:PollInterval"] = "00:00:00.200",
        ["Email:RetryDelay"] = "00:00:00",
    };

    /// <summary>Reserves a free port without listening yet, so a test can have the mail server "down" first.</summary>
    public static SmtpTestServer OnFreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new SmtpTestServer(port);
    }

    public static SmtpTestServer Start()
    {
        var smtp = OnFreePort();
        smtp.Listen();
        return smtp;
    }

    public void Listen()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(builder => builder.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        server = new SmtpServer.SmtpServer(options, services);
        stopping = new CancellationTokenSource();
        running = server.StartAsync(stopping.Token);
    }

    public async Task<MimeMessage> WaitForMessageAsync(TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            if (store.Messages.FirstOrDefault() is { } message)
            {
                return message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No message reached the test SMTP server within {timeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null && stopping is not null)
        {
            await stopping.CancelAsync();
            try
            {
                await running!;
            }
            catch (OperationCanceledException)
            {
            }
            stopping.Dispose();
        }
    }

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
