using System.Net.Sockets;
using System.Net;
using System.Runtime.Versioning;
using System.Text;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net.Udp;
using Reactor.Net.Unix;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Udp;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Adoption;

/// <summary>
/// AdoptStreamPort / AdoptStreamConnection / AdoptDatagramPort (Twisted's IReactorSocket) on
/// sockets the test makes itself, including one that travels over SCM_RIGHTS first.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[UnsupportedOSPlatform("windows")]
public class AdoptionTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private LogRecorder _log = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _reactor = CreateReactor(out _log, kind);
        _dir = TempDirectory();
    }

    [TearDown]
    public void TearDown()
    {
        _reactor.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private sealed class Echo : Protocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }

    private static Socket ListeningTcp(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.Listen(16);
        return socket;
    }

    /// <summary>Sends <paramref name="text"/> on a connected client and runs the reactor until it comes back.</summary>
    private string RoundTrip(Socket client, string text)
    {
        client.Blocking = false;
        client.Send(Encoding.ASCII.GetBytes(text));
        var received = new MemoryStream();
        var buffer = new byte[256];
        IterateUntil(_reactor, () =>
        {
            while (client.Available > 0) received.Write(buffer, 0, client.Receive(buffer));
            return received.Length >= text.Length;
        }, $"'{text}' echoed");
        return Encoding.ASCII.GetString(received.ToArray());
    }

    private static bool IsOpen(int fd) => LibcSyscalls.Instance.Fcntl(fd, NativeConstants.F_GETFD, 0, out _) >= 0;

    [Test]
    public void AnAdoptedTcpPortAcceptsAfterTheCallerClosedItsDescriptor()
    {
        IPEndPoint address;
        IListeningPort port;
        using (var listening = ListeningTcp(IPAddress.Loopback))
        {
            address = (IPEndPoint)listening.LocalEndPoint!;
            port = _reactor.AdoptStreamPort((int)listening.Handle, AddressFamily.InterNetwork, Factory.For<Echo>());
        } // the caller's descriptor is closed here; the reactor works on its own duplicate

        Assert.That(port.GetHost(), Is.EqualTo(address));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(address);
        Assert.That(RoundTrip(client, "adopted"), Is.EqualTo("adopted"));

        Wait(_reactor, port.StopListening(), "the port stops");
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.That(() => late.Connect(address), Throws.InstanceOf<SocketException>(), "nothing listens once the adopted port stopped");
    }

    [Test]
    public void StoppingAnAdoptedPortLeavesTheCallersDescriptorOpen()
    {
        using var listening = ListeningTcp(IPAddress.Loopback);
        var fd = (int)listening.Handle;
        var factory = new CountingFactory();
        var port = _reactor.AdoptStreamPort(fd, AddressFamily.InterNetwork, factory);
        Assert.That(factory.Starts, Is.EqualTo(1), "DoStart runs on adoption");
        Assert.That(((IFileDescriptor)port).FileDescriptor, Is.Not.EqualTo(fd), "the reactor works on a duplicate");

        Wait(_reactor, port.StopListening(), "the port stops");
        Assert.That(factory.Stops, Is.EqualTo(1));
        Assert.That(IsOpen(fd), Is.True, "the caller's descriptor is still the caller's");
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.That(() => client.Connect(listening.LocalEndPoint!), Throws.Nothing, "the caller's socket still listens");
    }

    [Test]
    public void AnAdoptedIPv6PortAccepts()
    {
        if (!Socket.OSSupportsIPv6) Assert.Ignore("IPv6 is not available on this machine.");
        Socket listening;
        try
        {
            listening = ListeningTcp(IPAddress.IPv6Loopback);
        }
        catch (SocketException)
        {
            Assert.Ignore("::1 cannot be bound on this machine.");
            return;
        }
        using (listening)
        {
            _reactor.AdoptStreamPort((int)listening.Handle, AddressFamily.InterNetworkV6, Factory.For<Echo>());
            using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listening.LocalEndPoint!);
            Assert.That(RoundTrip(client, "six"), Is.EqualTo("six"));
        }
    }

    [Test]
    public void AnAdoptedUnixPortAcceptsAndLeavesItsSocketFileAlone()
    {
        var path = Path.Combine(_dir, "adopt.sock");
        // Kept open to the end: a .NET Socket that bound a path deletes the file when disposed.
        using var listening = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listening.Bind(new UnixDomainSocketEndPoint(path));
        listening.Listen(16);
        var port = _reactor.AdoptStreamPort((int)listening.Handle, AddressFamily.Unix, Factory.For<Echo>());
        Assert.That(port.GetHost().ToString(), Is.EqualTo(path));

        using (var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            client.Connect(new UnixDomainSocketEndPoint(path));
            Assert.That(RoundTrip(client, "unix"), Is.EqualTo("unix"));
        }
        Wait(_reactor, port.StopListening(), "the port stops");
        Assert.That(File.Exists(path), Is.True, "the socket file belongs to whoever made it, not to the adopting reactor");
    }

    [Test]
    public void AnAdoptedTcpConnectionCarriesOnWithTheFactorysProtocol()
    {
        using var listening = ListeningTcp(IPAddress.Loopback);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listening.LocalEndPoint!);
        EndPoint? peerSeen = null;
        IProtocol? adopted;
        using (var server = listening.Accept())
        {
            adopted = _reactor.AdoptStreamConnection((int)server.Handle, AddressFamily.InterNetwork,
                Factory.ForProtocol(peer => { peerSeen = peer; return new Echo(); }));
        }
        Assert.That(adopted, Is.InstanceOf<Echo>());
        var echo = (Echo)adopted!;
        Assert.That(peerSeen, Is.EqualTo(client.LocalEndPoint), "BuildProtocol hears the peer's address");
        Assert.That(echo.Transport.GetPeer(), Is.EqualTo(client.LocalEndPoint));
        Assert.That(RoundTrip(client, "connection"), Is.EqualTo("connection"));

        echo.Transport.LoseConnection();
        var buffer = new byte[16];
        IterateUntil(_reactor, () => client.Poll(0, SelectMode.SelectRead) && client.Available == 0, "the client sees the close");
        Assert.That(client.Receive(buffer), Is.Zero);
    }

    [Test]
    public void AnAdoptedUnixConnectionFromASocketPairWorks()
    {
        var fds = new List<int>();
        try
        {
            var (mine, theirs) = LoopTestKit.SocketPair(fds);
            var adopted = _reactor.AdoptStreamConnection(theirs, AddressFamily.Unix, Factory.For<Echo>());
            LoopTestKit.Close(fds, theirs);
            Assert.That(adopted, Is.Not.Null);
            Assert.That(((Echo)adopted!).Transport, Is.InstanceOf<IUnixTransport>(), "a UNIX connection, with descriptor passing");

            LoopTestKit.Send(mine, 5);
            var got = 0;
            IterateUntil(_reactor, () => (got += Math.Max(0, LoopTestKit.Receive(mine))) >= 5, "five bytes echoed over the socket pair");
        }
        finally
        {
            LoopTestKit.CloseAll(fds);
        }
    }

    [Test]
    public void AFactoryMayRefuseAnAdoptedConnection()
    {
        var fds = new List<int>();
        try
        {
            var (mine, theirs) = LoopTestKit.SocketPair(fds);
            Assert.That(_reactor.AdoptStreamConnection(theirs, AddressFamily.Unix, Factory.ForProtocol(() => null)), Is.Null);
            LoopTestKit.Close(fds, theirs);
            Assert.That(LoopTestKit.Receive(mine), Is.Zero, "the refused duplicate was closed: the peer sees end of file");
        }
        finally
        {
            LoopTestKit.CloseAll(fds);
        }
    }

    // The pre-forked worker's path: a listening socket arrives over a UNIX connection (SCM_RIGHTS),
    // the worker adopts it and serves on it.
    [Test]
    public unsafe void AListeningSocketReceivedOverScmRightsIsAdoptedAndServes()
    {
        var fds = new List<int>();
        try
        {
            var (parent, worker) = LoopTestKit.SocketPair(fds);
            IListeningPort? served = null;
            int receivedFd = -1;
            _reactor.AdoptStreamConnection(worker, AddressFamily.Unix, Factory.ForProtocol(() => new DescriptorReceiver(fd =>
            {
                receivedFd = fd;
                served = _reactor.AdoptStreamPort(fd, AddressFamily.InterNetwork, Factory.For<Echo>());
                LibcSyscalls.Instance.Close(fd, out _);
            })));
            LoopTestKit.Close(fds, worker);

            using var listening = ListeningTcp(IPAddress.Loopback);
            var address = listening.LocalEndPoint!;
            int toSend = (int)listening.Handle;
            byte one = (byte)'L';
            Assert.That((int)LibcDatagramSyscalls.Instance.SendWithDescriptors(parent, &one, 1, &toSend, 1, out var errno), Is.EqualTo(1), errno.ToString());
            listening.Close(); // only the worker's copy remains

            IterateUntil(_reactor, () => served is not null, "the worker adopted the descriptor it received");
            Assert.That(receivedFd, Is.GreaterThanOrEqualTo(0), "a descriptor arrived");
            Assert.That(IsOpen(receivedFd), Is.False, "the worker closed the received copy after adopting it");
            Assert.That(served!.GetHost(), Is.EqualTo(address));
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(address);
            Assert.That(RoundTrip(client, "prefork"), Is.EqualTo("prefork"));
        }
        finally
        {
            LoopTestKit.CloseAll(fds);
        }
    }

    [Test]
    public void AnAdoptedUdpSocketReceivesAndReplies()
    {
        var protocol = new RecordingDatagramProtocol();
        protocol.OnDatagram = (data, from) => protocol.Transport!.Write(data, from);
        IPEndPoint address;
        IDatagramPort port;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            address = (IPEndPoint)socket.LocalEndPoint!;
            port = _reactor.AdoptDatagramPort((int)socket.Handle, AddressFamily.InterNetwork, protocol);
        }
        Assert.That(port, Is.InstanceOf<IUdpPort>());
        Assert.That(port.GetHost(), Is.EqualTo(address));
        Assert.That(protocol.Starts, Is.EqualTo(1));

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.Blocking = false;
        client.SendTo("ping"u8.ToArray(), address);
        var buffer = new byte[64];
        var n = 0;
        IterateUntil(_reactor, () => client.Available > 0 && (n = client.Receive(buffer)) > 0, "the datagram echoed");
        Assert.That(Encoding.ASCII.GetString(buffer, 0, n), Is.EqualTo("ping"));
        Assert.That(protocol.Received.Single().From, Is.EqualTo(client.LocalEndPoint));

        Wait(_reactor, port.StopListening(), "the port stops");
        Assert.That(protocol.Stops, Is.EqualTo(1));
    }

    [Test]
    public void AnAdoptedConnectedUnixDatagramSocketKeepsItsPeer()
    {
        var fds = new List<int>();
        try
        {
            if (LibcSyscalls.Instance.CreateSocketPair(NativeConstants.SOCK_DGRAM, out var mine, out var theirs, out var errno) < 0)
                throw errno.ToIOException("socketpair");
            fds.Add(mine);
            fds.Add(theirs);
            var protocol = new RecordingDatagramProtocol();
            var port = _reactor.AdoptDatagramPort(theirs, AddressFamily.Unix, protocol);
            LoopTestKit.Close(fds, theirs);
            Assert.That(port, Is.InstanceOf<IUnixDatagramPort>());
            Assert.That(port.GetPeer(), Is.Not.Null, "a connected socket stays connected");

            LoopTestKit.Send(mine, 3);
            IterateUntil(_reactor, () => protocol.Received.Count == 1, "the datagram arrives");
            Assert.That(protocol.Received[0].Data, Has.Length.EqualTo(3));
        }
        finally
        {
            LoopTestKit.CloseAll(fds);
        }
    }

    [Test]
    public void TheWrongKindOfDescriptorIsRefusedWithAClearMessageAndNothingLeaks()
    {
        using var listening = ListeningTcp(IPAddress.Loopback);
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var unbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var file = File.OpenHandle(Path.Combine(_dir, "plain"), FileMode.Create, FileAccess.ReadWrite);
        var echo = Factory.For<Echo>();

        void RefuseEveryKind() => Assert.Multiple(() =>
        {
            Assert.That(() => _reactor.AdoptStreamPort((int)file.DangerousGetHandle(), AddressFamily.InterNetwork, echo),
                Throws.ArgumentException.With.Message.Contains("is not a socket"));
            Assert.That(() => _reactor.AdoptStreamPort(1_000_000, AddressFamily.InterNetwork, echo),
                Throws.ArgumentException.With.Message.Contains("is not an open descriptor"));
            Assert.That(() => _reactor.AdoptStreamPort((int)listening.Handle, AddressFamily.InterNetworkV6, echo),
                Throws.ArgumentException.With.Message.Contains("family InterNetwork, not InterNetworkV6"));
            Assert.That(() => _reactor.AdoptStreamPort((int)unbound.Handle, AddressFamily.InterNetwork, echo),
                Throws.ArgumentException.With.Message.Contains("not listening"));
            Assert.That(() => _reactor.AdoptStreamPort((int)udp.Handle, AddressFamily.InterNetwork, echo),
                Throws.ArgumentException.With.Message.Contains("is a datagram socket; a stream socket was expected"));
            Assert.That(() => _reactor.AdoptStreamConnection((int)listening.Handle, AddressFamily.InterNetwork, echo),
                Throws.ArgumentException.With.Message.Contains("AdoptStreamPort"));
            Assert.That(() => _reactor.AdoptStreamConnection((int)unbound.Handle, AddressFamily.InterNetwork, echo),
                Throws.ArgumentException.With.Message.Contains("not connected"));
            Assert.That(() => _reactor.AdoptDatagramPort((int)listening.Handle, AddressFamily.InterNetwork, new RecordingDatagramProtocol()),
                Throws.ArgumentException.With.Message.Contains("is a stream socket; a datagram socket was expected"));
            Assert.That(() => _reactor.AdoptStreamPort((int)listening.Handle, AddressFamily.AppleTalk, echo),
                Throws.InstanceOf<NotSupportedException>());
            Assert.That(() => _reactor.AdoptStreamPort(-1, AddressFamily.InterNetwork, echo),
                Throws.InstanceOf<ArgumentOutOfRangeException>());
        });

        // Once to warm up (the first exceptions load what stack traces need), then counted.
        RefuseEveryKind();
        var before = LoopTestKit.OpenDescriptorCount();
        RefuseEveryKind();
        Assert.That(LoopTestKit.OpenDescriptorCount(), Is.EqualTo(before), "a refused adoption leaves no duplicate behind");
        Assert.That(_reactor.GetReaders(), Is.Empty);
    }

    private sealed class DescriptorReceiver(Action<int> received) : Protocol, IFileDescriptorReceiver
    {
        public void FileDescriptorReceived(int fileDescriptor) => received(fileDescriptor);
    }

    private sealed class CountingFactory : Factory
    {
        public CountingFactory() : base(_ => new Echo()) { }

        public int Starts { get; private set; }

        public int Stops { get; private set; }

        public override void StartFactory() => Starts++;

        public override void StopFactory() => Stops++;
    }
}
