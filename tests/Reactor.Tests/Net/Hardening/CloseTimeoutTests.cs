using Reactor.Core;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Net.Stream;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Issue 12, scope 4: <c>LoseConnection</c> on a peer that never reads (a zero window) gives up after
/// <see cref="ReactorOptions.CloseTimeout"/> without progress and aborts; a peer that reads gets everything.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class CloseTimeoutTests(SelectorKind kind)
{
    /// <summary>More than loopback's socket buffers hold, so the sender's output gets stuck.</summary>
    private const int Reply = 32 * 1024 * 1024;

    [Test]
    public void ACloseToAPeerThatNeverReadsIsAbortedAfterTheTimeout()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger(), CloseTimeout = TimeSpan.FromMilliseconds(200) });
        var (server, client) = Connect(reactor);
        client.Transport.PauseProducing(); // the client never reads

        var serverTransport = (StreamTransport)server.Transport;
        server.Transport.Write(new byte[Reply]);
        server.Transport.LoseConnection();
        reactor.RunUntil(() => server.IsLost, "the server to give up its close");

        Assert.Multiple(() =>
        {
            Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionAborted>());
            Assert.That(server.LostReason.Value.Message, Does.Contain("CloseTimeout"));
            Assert.That(serverTransport.PendingBytes, Is.Zero, "the stuck output was released");
        });
        // The client hears the RST once it reads again.
        client.Transport.ResumeProducing();
        reactor.RunUntil(() => client.IsLost, "the client to see the abort");
        Assert.That(client.Received.Length, Is.LessThan(Reply));
    }

    [Test]
    public void APeerThatReadsGetsEverythingBeforeTheClose()
    {
        // The default close timeout (30 s) only runs while the peer takes nothing.
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        var (server, client) = Connect(reactor);
        Assert.That(((StreamTransport)server.Transport).CloseTimeout, Is.EqualTo(ReactorOptions.DefaultCloseTimeout));

        server.Transport.Write(new byte[Reply]);
        server.Transport.LoseConnection();
        reactor.RunUntil(() => server.IsLost && client.IsLost, "the close to complete");

        Assert.Multiple(() =>
        {
            Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(client.Received.Length, Is.EqualTo(Reply));
        });
    }

    private static (RecordingProtocol Server, RecordingProtocol Client) Connect(ReactorLoop reactor)
    {
        RecordingProtocol? server = null;
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol()), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.ConnectionMadeCount == 1 && server is not null, "the connection");
        return (server!, client);
    }
}
