using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Net.Tcp;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Native;

namespace Reactor.Tests.Net.Stream;

/// <summary>
/// Listening sockets on io_uring accept by multishot ACCEPT, against the real kernel: no accept(2) is
/// called, every peer address is the client's (read with getpeername(2)), connections that arrive while
/// the port is paused wait and are accepted on resume, and connections the kernel accepted that nobody
/// took are closed with the port. The backend-parameterised listener suites (the (IoUring) fixtures:
/// pause, adoption, stop-then-refused, UNIX) run on this path too.
/// </summary>
public sealed class MultishotAcceptTests
{
    private IoUringSelector _selector = null!;
    private ReactorLoop _reactor = null!;
    private CapturingLogger _logger = null!;

    [SetUp]
    public void Start()
    {
        if (SelectorFactory.IoUringUnavailableReason is { } why) Assert.Ignore($"io_uring is not usable here: {why}");
        _selector = IoUringSelector.TryCreate(out _)!;
        _logger = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { SelectorFactory = () => _selector, Logger = _logger });
    }

    [TearDown]
    public void TearDown() => _reactor?.Dispose();

    [Test]
    public void TheKernelAcceptsAndEveryPeerAddressIsTheClients()
    {
        var syscalls = new CountingSyscalls(LibcSyscalls.Instance);
        var host = new CompletionSeamHost((ITransportHost)_reactor, syscalls, accepts: ((IStreamCompletionSource)_reactor).AcceptDriver);
        var peers = new List<EndPoint>();
        var port = TcpPort.Listen(host, Factory.ForProtocol(() => new RecordingProtocol { OnConnectionMade = p => peers.Add(p.Transport.GetPeer()) }),
            new IPEndPoint(IPAddress.Loopback, 0), 16);
        Assert.That(_selector.Completions.IsClaimed(port.FileDescriptor), Is.True, "the listener is claimed for a multishot ACCEPT");

        var clients = Enumerable.Range(0, 3).Select(_ => NetTesting.ConnectBlocking(port)).ToList();
        try
        {
            _reactor.RunUntil(() => peers.Count == 3, "three connections built");
            Assert.That(peers, Is.EquivalentTo(clients.Select(c => c.LocalEndPoint)), "each peer is a client's own address");
            Assert.That(syscalls.Accepts, Is.Zero, "accept(2) was never called");
            Assert.That(syscalls.PeerNames, Is.EqualTo(3), "one getpeername(2) per connection");
            Assert.That(_logger.Entries.Where(e => e.Level >= LogLevel.Warning), Is.Empty);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
            port.StopListening();
        }
    }

    [Test]
    public void ConnectionsThatArriveWhilePausedAreAcceptedOnResume()
    {
        int built = 0;
        var paused = _reactor.ListenTcp(0, Factory.ForProtocol(() => { built++; return new RecordingProtocol(); }), @interface: "127.0.0.1");
        int markers = 0;
        var marker = _reactor.ListenTcp(0, Factory.ForProtocol(() => { markers++; return new RecordingProtocol(); }), @interface: "127.0.0.1");
        var fd = ((AcceptingPort)paused).FileDescriptor;
        ((IPushProducer)paused).PauseProducing();

        using var first = NetTesting.ConnectBlocking(paused);
        using var second = NetTesting.ConnectBlocking(paused);
        using var later = NetTesting.ConnectBlocking(marker);
        // The marker's connection came after both: once it is built, the loop has been to the kernel
        // with both of them waiting in the paused port's backlog.
        _reactor.RunUntil(() => markers == 1, "the marker connection built");
        Assert.That(built, Is.Zero, "nothing is accepted while paused");
        Assert.That(_selector.Completions.IsWanted(fd), Is.False, "the accept request is cancelled while paused");

        ((IPushProducer)paused).ResumeProducing();
        _reactor.RunUntil(() => built == 2, "both accepted after the resume");
        paused.StopListening();
        marker.StopListening();
    }

    [Test]
    public void ConnectionsTheKernelAcceptedButNobodyTookAreClosedWithThePort()
    {
        int built = 0;
        EndPoint? served = null;
        AcceptingPort? port = null;
        // The first connection pauses the port inside its burst (a connection limit), so what the
        // kernel accepted for the other two stays held by the completion side.
        port = (AcceptingPort)_reactor.ListenTcp(0, Factory.ForProtocol(() =>
        {
            built++;
            port!.PauseProducing();
            return new RecordingProtocol { OnConnectionMade = p => served = p.Transport.GetPeer() };
        }), @interface: "127.0.0.1");
        // The request is armed with the loop's first wait: let it be, then fill the backlog at once.
        _reactor.Iterate(TimeSpan.Zero);
        var clients = Enumerable.Range(0, 3).Select(_ => NetTesting.ConnectBlocking(port)).ToList();
        try
        {
            _reactor.RunUntil(() => built == 1, "the first connection built");
            _reactor.RunUntil(() => _selector.Completions.HeldCount(port.FileDescriptor) + built == 3,
                "the kernel accepted the other two and they are held");

            port.StopListening();
            Assert.That(_selector.Completions.IsClaimed(port.FileDescriptor), Is.False, "released");
            // The two clients that were never served each see the end of their connection; none hangs.
            var unserved = clients.Where(c => !Equals(c.LocalEndPoint, served)).ToList();
            Assert.That(unserved, Has.Count.EqualTo(2));
            Assert.That(unserved.Count(EndsWithoutData), Is.EqualTo(2), "the held connections were closed");
            Assert.That(built, Is.EqualTo(1));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Test]
    public void AUnixListenerAcceptsThroughMultishotAcceptToo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reactor-multishot-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        int built = 0;
        var port = _reactor.ListenUnix(path, Factory.ForProtocol(() => { built++; return new RecordingProtocol(); }));
        try
        {
            Assert.That(_selector.Completions.IsClaimed(((AcceptingPort)port).FileDescriptor), Is.True);
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(path));
            _reactor.RunUntil(() => built == 1, "the UNIX connection built");
        }
        finally
        {
            port.StopListening();
        }
    }

    /// <summary>True if the server closed <paramref name="client"/>'s connection (EOF or reset) without sending; bounded.</summary>
    private static bool EndsWithoutData(Socket client)
    {
        client.ReceiveTimeout = (int)NetTesting.Deadline.TotalMilliseconds;
        try
        {
            return client.Receive(new byte[1]) == 0;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (SocketException)
        {
            return false; // the timeout: still open
        }
    }


    private sealed unsafe class CountingSyscalls(ISyscalls inner) : ForwardingSyscalls(inner)
    {
        public int Accepts;
        public int PeerNames;

        public override int Accept(int fd, byte* address, int* addressLength, out Errno errno)
        {
            Accepts++;
            return Inner.Accept(fd, address, addressLength, out errno);
        }

        public override int GetPeerName(int fd, byte* address, int* length, out Errno errno)
        {
            PeerNames++;
            return Inner.GetPeerName(fd, address, length, out errno);
        }
    }
}
