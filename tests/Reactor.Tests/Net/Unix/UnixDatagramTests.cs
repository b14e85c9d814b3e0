using System.Net.Sockets;
using System.Net;
using System.Runtime.Versioning;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Unix;
using Reactor.Net;
using Reactor.Protocols.Datagram;
using Reactor.Protocols;
using Reactor.Tests.Net.Udp;
using Reactor.Tests.Net;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Unix;

/// <summary>ListenUnixDatagram / ConnectUnixDatagram in a temporary directory and the abstract namespace.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[UnsupportedOSPlatform("windows")]
public class UnixDatagramTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _reactor = CreateReactor(out _, kind);
        _dir = TempDirectory();
    }

    [TearDown]
    public void TearDown()
    {
        _reactor.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private sealed class ConnectedRecorder : ConnectedDatagramProtocol
    {
        public List<byte[]> Received { get; } = new();
        public List<Failure> Failures { get; } = new();
        public int Refusals { get; private set; }

        public override void DatagramReceived(ReadOnlySpan<byte> data) => Received.Add(data.ToArray());

        public override void ConnectionFailed(Failure reason) => Failures.Add(reason);

        public override void ConnectionRefused() => Refusals++;
    }

    // Twisted: test_unix.py DatagramUnixSocketTests.test_exchange — a named client and a server
    // swap datagrams, each seeing the other's path.
    [Test]
    public void ANamedClientAndAServerExchangeDatagrams()
    {
        var serverPath = Path.Combine(_dir, "server.sock");
        var clientPath = Path.Combine(_dir, "client.sock");
        var server = new RecordingDatagramProtocol();
        server.OnDatagram = (data, from) => server.Transport.Write(data, from);
        var serverPort = _reactor.ListenUnixDatagram(serverPath, server);
        var client = new ConnectedRecorder();
        var clientPort = _reactor.ConnectUnixDatagram(serverPath, client, bindPath: clientPath);

        Assert.That(clientPort.Write("hi"u8), Is.True);
        IterateUntil(_reactor, () => client.Received.Count == 1, "the echo");
        Assert.Multiple(() =>
        {
            Assert.That(client.Received[0], Is.EqualTo("hi"u8.ToArray()));
            Assert.That(server.Received[0].From, Is.EqualTo(new UnixDomainSocketEndPoint(clientPath)));
            Assert.That(serverPort.GetHost(), Is.EqualTo(new UnixDomainSocketEndPoint(serverPath)));
            Assert.That(clientPort.GetPeer(), Is.EqualTo(new UnixDomainSocketEndPoint(serverPath)));
            Assert.That(clientPort.GetHost(), Is.EqualTo(new UnixDomainSocketEndPoint(clientPath)));
        });
    }

    [Test]
    public void AnUnboundSenderIsUnnamed()
    {
        var serverPath = Path.Combine(_dir, "s.sock");
        var server = new RecordingDatagramProtocol();
        _reactor.ListenUnixDatagram(serverPath, server);
        var client = _reactor.ConnectUnixDatagram(serverPath, new ConnectedRecorder());
        client.Write("anonymous"u8);
        IterateUntil(_reactor, () => server.Received.Count == 1, "the datagram");
        Assert.Multiple(() =>
        {
            Assert.That(server.Received[0].From, Is.SameAs(UnnamedUnixEndPoint.Instance));
            Assert.That(client.GetHost(), Is.SameAs(UnnamedUnixEndPoint.Instance));
        });
    }

    // Twisted: test_unix.py UNIXTestsBuilder.test_mode (for listenUNIXDatagram) — the socket file gets the mode; it is removed on close.
    [Test]
    public void TheSocketFileHasTheModeAndIsRemovedOnStop()
    {
        var path = Path.Combine(_dir, "mode.sock");
        var port = _reactor.ListenUnixDatagram(path, new RecordingDatagramProtocol(), mode: UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Wait(_reactor, port.StopListening(), "StopListening");
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void ListeningOnAnExistingPathIsCannotListenError()
    {
        var path = Path.Combine(_dir, "taken.sock");
        _reactor.ListenUnixDatagram(path, new RecordingDatagramProtocol());
        Assert.Throws<CannotListenError>(() => _reactor.ListenUnixDatagram(path, new RecordingDatagramProtocol()));
    }

    [Test]
    public void TheAbstractNamespaceWorksWithAtOrNul()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The abstract namespace is Linux-only.");
        var name = "reactor-test-" + Guid.NewGuid().ToString("N");
        var server = new RecordingDatagramProtocol();
        var port = _reactor.ListenUnixDatagram("@" + name, server);
        var client = _reactor.ConnectUnixDatagram("\0" + name, new ConnectedRecorder());
        client.Write("abstract"u8);
        IterateUntil(_reactor, () => server.Received.Count == 1, "the datagram");
        Assert.That(port.GetHost(), Is.EqualTo(new UnixDomainSocketEndPoint("\0" + name)));
        Assert.That(File.Exists("@" + name), Is.False, "no file is made for an abstract name");
    }

    // Twisted: unix.py ConnectedDatagramPort.connectionFailed.
    [Test]
    public void ConnectingToNothingCallsConnectionFailed()
    {
        var client = new ConnectedRecorder();
        var port = _reactor.ConnectUnixDatagram(Path.Combine(_dir, "nobody.sock"), client);
        Assert.That(client.Failures, Has.Count.EqualTo(1));
        Assert.That(client.Failures[0].Value, Is.InstanceOf<ConnectError>());
        IterateUntil(_reactor, () => !port.Listening, "the failed port to close");
    }

    // Twisted: unix.py ConnectedDatagramPort.write — ECONNREFUSED goes to connectionRefused.
    [Test]
    public void WritingAfterThePeerClosedIsConnectionRefused()
    {
        var path = Path.Combine(_dir, "gone.sock");
        var serverPort = _reactor.ListenUnixDatagram(path, new RecordingDatagramProtocol());
        var client = new ConnectedRecorder();
        var clientPort = _reactor.ConnectUnixDatagram(path, client);
        Wait(_reactor, serverPort.StopListening(), "closing the server");
        Assert.That(clientPort.Write("hello?"u8), Is.False);
        Assert.That(client.Refusals, Is.EqualTo(1));
    }

    [Test]
    public void ADatagramLargerThanTheSocketAllowsIsMessageLengthError()
    {
        var path = Path.Combine(_dir, "big.sock");
        _reactor.ListenUnixDatagram(path, new RecordingDatagramProtocol());
        var client = _reactor.ConnectUnixDatagram(path, new ConnectedRecorder());
        var error = Assert.Throws<MessageLengthError>(() => client.Write(new byte[16 * 1024 * 1024]));
        Assert.That(error!.Size, Is.EqualTo(16 * 1024 * 1024));
        Assert.That(error.Limit, Is.LessThan(error.Size));
    }

    [Test]
    public void APathTooLongForSunPathIsAnArgumentException() =>
        Assert.That(() => _reactor.ListenUnixDatagram("/tmp/" + new string('x', 200), new RecordingDatagramProtocol()),
            Throws.ArgumentException.With.Message.Contains("sun_path"));
}
