using System.Net.Sockets;
using System.Runtime.Versioning;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Unix;
using Reactor.Net;
using Reactor.Protocols;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Unix;

/// <summary>ListenUnix / ConnectUnix over the shared stream transport, in a temporary directory.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[UnsupportedOSPlatform("windows")]
public class UnixStreamTests(SelectorKind kind)
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

    private (RecordingStreamProtocol Server, RecordingStreamProtocol Client) Connect(string path, bool echo = false)
    {
        RecordingStreamProtocol? server = null;
        _reactor.ListenUnix(path, Factory.ForProtocol(() => server = new RecordingStreamProtocol { Echo = echo }));
        var client = new RecordingStreamProtocol();
        _reactor.ConnectUnix(path, new RecordingClientFactory(() => client));
        IterateUntil(_reactor, () => server is { Connected: true } && client.Connected, "both ends connected");
        return (server!, client);
    }

    // Twisted: internet/test/test_unix.py UNIXTestsBuilder.test_addresses — each end's host is the other's peer.
    [Test]
    public void BytesTravelAndAddressesNameThePath()
    {
        var path = Path.Combine(_dir, "echo.sock");
        var (server, client) = Connect(path, echo: true);
        client.Transport.Write("over a UNIX socket"u8);
        IterateUntil(_reactor, () => client.Received.Length == 18, "the echo");
        Assert.Multiple(() =>
        {
            Assert.That(client.ReceivedText, Is.EqualTo("over a UNIX socket"));
            Assert.That(server.Host, Is.EqualTo(new UnixDomainSocketEndPoint(path)));
            Assert.That(client.Peer, Is.EqualTo(new UnixDomainSocketEndPoint(path)));
            Assert.That(client.Host, Is.SameAs(UnnamedUnixEndPoint.Instance));
            Assert.That(server.Peer, Is.SameAs(UnnamedUnixEndPoint.Instance));
            Assert.That(client.Transport, Is.InstanceOf<IUnixTransport>());
        });
        client.Transport.LoseConnection();
        IterateUntil(_reactor, () => server.Lost is not null, "the server to see the close");
        Assert.That(server.Lost!.Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void PeerCredentialsNameThisProcess()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Ignore("Peer credentials are read on Linux and macOS.");
        var (server, _) = Connect(Path.Combine(_dir, "cred.sock"));
        var credentials = ((IUnixTransport)server.Transport).GetPeerCredentials();
        Assert.That(credentials.ProcessId, Is.EqualTo(Environment.ProcessId));
        Assert.That(credentials.UserId, Is.EqualTo(uint.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1])));
    }

    // Twisted: test_unix.py UNIXTestsBuilder.test_mode; unix.py Port.connectionLost unlinks the file.
    [Test]
    public void TheSocketFileHasTheModeAndIsRemovedOnStop()
    {
        var path = Path.Combine(_dir, "mode.sock");
        var port = _reactor.ListenUnix(path, Factory.ForProtocol(() => new RecordingStreamProtocol()), mode: UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Wait(_reactor, port.StopListening(), "StopListening");
        Assert.That(File.Exists(path), Is.False);
    }

    // Twisted: test_unix.py test_listenOnLinuxAbstractNamespace / test_connectToLinuxAbstractNamespace.
    [Test]
    public void TheAbstractNamespaceWorks()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The abstract namespace is Linux-only.");
        var name = "@reactor-" + Guid.NewGuid().ToString("N");
        var (server, client) = Connect(name, echo: true);
        client.Transport.Write("abstract"u8);
        IterateUntil(_reactor, () => client.Received.Length == 8, "the echo");
        Assert.That(server.Host, Is.EqualTo(new UnixDomainSocketEndPoint("\0" + name[1..])));
    }

    [Test]
    public void ConnectingToNothingFailsTheFactory()
    {
        var factory = new RecordingClientFactory(() => new RecordingStreamProtocol());
        _reactor.ConnectUnix(Path.Combine(_dir, "nobody.sock"), factory);
        IterateUntil(_reactor, () => factory.Failures.Count == 1, "ClientConnectionFailed");
        Assert.That(factory.Failures[0].Value, Is.InstanceOf<ConnectError>());
        Assert.That(factory.Started, Is.EqualTo(1));
    }

    [Test]
    public void ConnectingToAStaleSocketFileIsConnectionRefused()
    {
        var path = Path.Combine(_dir, "stale.sock");
        StaleSocketFile(path);
        var factory = new RecordingClientFactory(() => new RecordingStreamProtocol());
        _reactor.ConnectUnix(path, factory);
        IterateUntil(_reactor, () => factory.Failures.Count == 1, "ClientConnectionFailed");
        Assert.That(factory.Failures[0].Value, Is.InstanceOf<ConnectionRefusedError>());
    }

    // Twisted: IConnector.stopConnecting — the factory hears UserError.
    [Test]
    public void StopConnectingFailsTheAttemptWithUserError()
    {
        var path = Path.Combine(_dir, "stop.sock");
        _reactor.ListenUnix(path, Factory.ForProtocol(() => new RecordingStreamProtocol()));
        var factory = new RecordingClientFactory(() => new RecordingStreamProtocol());
        var connector = _reactor.ConnectUnix(path, factory);
        connector.StopConnecting();
        Assert.That(factory.Failures, Has.Count.EqualTo(1));
        Assert.That(factory.Failures[0].Value, Is.InstanceOf<UserError>());
        Assert.That(() => connector.StopConnecting(), Throws.InvalidOperationException);
    }

    // A server that never accepts, with a full backlog: Linux answers EAGAIN, the connector keeps
    // trying, and the attempt ends with TimeoutError once the timeout passes.
    [Test]
    public void AFullBacklogEndsInTimeoutError()
    {
        var path = Path.Combine(_dir, "full.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(0);
        var firstClient = new RecordingStreamProtocol();
        _reactor.ConnectUnix(path, new RecordingClientFactory(() => firstClient));
        IterateUntil(_reactor, () => firstClient.Connected, "the connection that fills the backlog");

        var factory = new RecordingClientFactory(() => new RecordingStreamProtocol());
        _reactor.ConnectUnix(path, factory, timeout: TimeSpan.FromMilliseconds(300));
        IterateUntil(_reactor, () => factory.Failures.Count == 1, "the attempt to time out");
        Assert.That(factory.Failures[0].Value, Is.InstanceOf<TimeoutError>());
    }

    /// <summary>
    /// A socket file whose socket is gone, as a server killed without cleaning up leaves it (made
    /// with raw calls: a disposed .NET Socket removes the file it bound).
    /// </summary>
    internal static void StaleSocketFile(string path)
    {
        var fd = SocketOptions.CreateSocket(LibcSyscalls.Instance, NativeConstants.AF_UNIX);
        var errno = UnixSocketFiles.Bind(LibcSyscalls.Instance, fd, new UnixDomainSocketEndPoint(path));
        LibcSyscalls.Instance.Close(fd, out _);
        Assert.That(errno.IsSuccess && File.Exists(path), Is.True, $"a stale socket file at {path}: {errno}");
    }

    /// <summary>Reads a file with open(2): .NET's FileStream takes a shared flock that a held lock file refuses.</summary>
    internal static unsafe string ReadWithoutLocking(string path)
    {
        var fd = LibcSyscalls.Instance.Open(path, DatagramConstants.O_RDONLY, 0, out _);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), $"open {path}");
        var buffer = new byte[256];
        nint n;
        fixed (byte* p = buffer) n = LibcSyscalls.Instance.Read(fd, p, buffer.Length, out _);
        LibcSyscalls.Instance.Close(fd, out _);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, (int)Math.Max(0, n));
    }
}
