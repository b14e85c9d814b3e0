using System.Net.Sockets;
using System.Runtime.Versioning;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Unix;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Native;
using Reactor.Tests.Net.Udp;
using static Reactor.Tests.Net.Udp.DatagramTestKit;

namespace Reactor.Tests.Net.Unix;

/// <summary>
/// A UNIX datagram port's socket file has its mode from the moment bind(2) creates it (issue 12
/// item 8). A datagram socket receives as soon as it is bound, so unlike a stream port (see
/// <see cref="UnixListenSeamTests"/>) there is no later step to set the mode before: the file must
/// be born narrowed. The tests run as root, whom a mode does not stop, so the proof is the recorded
/// order and the mode the file had when it first became reachable.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed unsafe class UnixDatagramSeamTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Everyone = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>The real kernel, recording how a UNIX datagram port makes its socket file.</summary>
    private sealed class RecordingSyscalls(string socketFile) : ForwardingSyscalls(LibcSyscalls.Instance)
    {
        public List<string> Calls { get; } = [];

        /// <summary>Whether the socket file existed when the socket's own mode was set.</summary>
        public bool? FileExistedAtDescriptorMode { get; private set; }

        /// <summary>The mode the file had when it first appeared (read before the chmod after bind).</summary>
        public UnixFileMode? ModeWhenBound { get; private set; }

        public Errno? FailChangeModeWith { get; set; }

        public override int ChangeDescriptorMode(int fd, int mode, out Errno errno)
        {
            Calls.Add($"fchmod {Convert.ToString(mode, 8)}");
            FileExistedAtDescriptorMode = File.Exists(socketFile);
            return base.ChangeDescriptorMode(fd, mode, out errno);
        }

        public override int Bind(int fd, byte* address, int length, out Errno errno)
        {
            Calls.Add("bind");
            return base.Bind(fd, address, length, out errno);
        }

        public override int ChangeMode(string path, int mode, out Errno errno)
        {
            Calls.Add($"chmod {Convert.ToString(mode, 8)} {Path.GetFileName(path)}");
            ModeWhenBound = File.GetUnixFileMode(socketFile);
            if (FailChangeModeWith is { } failure)
            {
                errno = failure;
                return -1;
            }
            return base.ChangeMode(path, mode, out errno);
        }
    }

    private ReactorLoop _reactor = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _reactor = CreateReactor(out _);
        _dir = TempDirectory();
    }

    [TearDown]
    public void TearDown()
    {
        _reactor.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    [Platform("Linux", Reason = "the BSDs and macOS refuse fchmod on a socket, so there the file is narrowed after bind")]
    public void TheSocketFileIsCreatedWithItsModeNotNarrowedAfterBind()
    {
        var path = Path.Combine(_dir, "dgram.sock");
        var syscalls = new RecordingSyscalls(path);
        var host = new SeamHost((ITransportHost)_reactor, syscalls);
        var protocol = new RecordingDatagramProtocol();

        var port = UnixDatagramPort.Listen(host, path, protocol, 8192, OwnerOnly);

        Assert.That(syscalls.Calls, Is.EqualTo(new[] { "fchmod 600", "bind", "chmod 600 dgram.sock" }), "mode given to the socket before bind");
        Assert.That(syscalls.FileExistedAtDescriptorMode, Is.False, "nothing was reachable at the path when the mode was chosen");
        Assert.That(syscalls.ModeWhenBound & ~OwnerOnly, Is.EqualTo((UnixFileMode)0), "the file was never wider than the requested mode");
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(OwnerOnly));

        SendTo(path, "hello"u8);
        IterateUntil(_reactor, () => protocol.Received.Count == 1, "the datagram");
        Assert.That(protocol.Received[0].Data, Is.EqualTo("hello"u8.ToArray()));
        Wait(_reactor, port.StopListening(), "StopListening");
        Assert.That(File.Exists(path), Is.False, "the port removes its file");
    }

    [Test]
    public void AModeThatCannotBeSetFailsTheBindAndLeavesNothingBehind()
    {
        var path = Path.Combine(_dir, "refused.sock");
        var syscalls = new RecordingSyscalls(path) { FailChangeModeWith = Errno.EPERM };
        var host = new SeamHost((ITransportHost)_reactor, syscalls);

        var error = Assert.Throws<CannotListenError>(() => UnixDatagramPort.Listen(host, path, new RecordingDatagramProtocol(), 8192, OwnerOnly));

        Assert.That(error!.InnerException, Is.InstanceOf<SocketException>());
        Assert.That(File.Exists(path), Is.False, "the socket file is removed");
    }

    [Test]
    public void AListeningPortsFileHasExactlyTheRequestedModeAndReceives(
        [Values(OwnerOnly, Everyone)] UnixFileMode mode)
    {
        // 0666 is wider than a usual umask (022) leaves bind: the chmod after bind widens it back.
        var path = Path.Combine(_dir, "real.sock");
        var protocol = new RecordingDatagramProtocol();

        var port = _reactor.ListenUnixDatagram(path, protocol, mode: mode);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(mode));
        SendTo(path, "real"u8);
        IterateUntil(_reactor, () => protocol.Received.Count == 1, "the datagram");
        Wait(_reactor, port.StopListening(), "StopListening");
    }

    [Test]
    public void AConnectedPortsBoundFileHasTheRequestedModeAndItsNameStillReachesThePeer()
    {
        var serverPath = Path.Combine(_dir, "server.sock");
        var clientPath = Path.Combine(_dir, "client.sock");
        var server = new RecordingDatagramProtocol();
        _reactor.ListenUnixDatagram(serverPath, server);

        var client = _reactor.ConnectUnixDatagram(serverPath, new Silent(), mode: OwnerOnly, bindPath: clientPath);
        client.Write("named"u8);

        IterateUntil(_reactor, () => server.Received.Count == 1, "the datagram");
        Assert.That(File.GetUnixFileMode(clientPath), Is.EqualTo(OwnerOnly));
        Assert.That(server.Received[0].From, Is.EqualTo(new UnixDomainSocketEndPoint(clientPath)), "the socket's name is the path it was asked to bind");
    }

    private sealed class Silent : Reactor.Protocols.Datagram.ConnectedDatagramProtocol;

    private static void SendTo(string path, ReadOnlySpan<byte> data)
    {
        using var sender = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        sender.SendTo(data, new UnixDomainSocketEndPoint(path));
    }
}
