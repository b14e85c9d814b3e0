using System.Net.Sockets;
using System.Runtime.Versioning;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Unix;
using Reactor.Protocols;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Native;
using static Reactor.Tests.Net.Udp.DatagramTestKit;

namespace Reactor.Tests.Net.Unix;

/// <summary>
/// A UNIX listening port makes every system call through the reactor's <see cref="ISyscalls"/>
/// (issue 18: socket set-up and the lock file behind the seam), which is what lets these tests
/// prove the order of bind, chmod and listen (issue 12 item 8: the socket file has its mode before
/// the socket accepts anything). The tests run as root, whom a file mode does not stop, so a
/// refused connect cannot be shown; the recorded order, with the mode read back at listen time, is
/// the proof.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed unsafe class UnixListenSeamTests
{
    private static readonly int SO_ACCEPTCONN = NativePlatform.IsLinux ? 30 : 0x2;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The real kernel, recording the set-up calls a listening UNIX port makes.</summary>
    private sealed class RecordingSyscalls(string socketFile) : ForwardingSyscalls(LibcSyscalls.Instance)
    {
        private int _boundFd = -1;

        public List<string> Calls { get; } = [];

        /// <summary>Whether the socket was already listening when its file's mode was set.</summary>
        public bool? ListeningAtChangeMode { get; private set; }

        /// <summary>The socket file's mode when listen(2) was called.</summary>
        public UnixFileMode? ModeAtListen { get; private set; }

        public Errno? FailChangeModeWith { get; set; }

        public override int Socket(int domain, int type, int protocol, out Errno errno)
        {
            Calls.Add("socket");
            return base.Socket(domain, type, protocol, out errno);
        }

        public override int Bind(int fd, byte* address, int length, out Errno errno)
        {
            Calls.Add("bind");
            _boundFd = fd;
            return base.Bind(fd, address, length, out errno);
        }

        public override int ChangeMode(string path, int mode, out Errno errno)
        {
            Calls.Add($"chmod {Convert.ToString(mode, 8)} {Path.GetFileName(path)}");
            int accepting = 0, length = sizeof(int);
            base.GetSockOpt(_boundFd, NativeConstants.SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length, out _);
            ListeningAtChangeMode = accepting != 0;
            if (FailChangeModeWith is { } failure)
            {
                errno = failure;
                return -1;
            }
            return base.ChangeMode(path, mode, out errno);
        }

        public override int Listen(int fd, int backlog, out Errno errno)
        {
            Calls.Add("listen");
            ModeAtListen = File.GetUnixFileMode(socketFile);
            return base.Listen(fd, backlog, out errno);
        }

        public override int Open(string path, int flags, int mode, out Errno errno)
        {
            Calls.Add($"open {Path.GetFileName(path)}");
            return base.Open(path, flags, mode, out errno);
        }

        public override int Flock(int fd, int operation, out Errno errno)
        {
            Calls.Add("flock");
            return base.Flock(fd, operation, out errno);
        }

        public override int Ftruncate(int fd, long length, out Errno errno)
        {
            Calls.Add("ftruncate");
            return base.Ftruncate(fd, length, out errno);
        }

        public override int Close(int fd, out Errno errno)
        {
            if (fd == _boundFd) Calls.Add("close socket");
            return base.Close(fd, out errno);
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
    public void TheSocketFileHasItsModeBeforeTheSocketListens()
    {
        var path = Path.Combine(_dir, "perms.sock");
        var syscalls = new RecordingSyscalls(path);
        var host = new SeamHost((ITransportHost)_reactor, syscalls);

        var port = UnixPort.Listen(host, path, Factory.ForProtocol(() => new RecordingStreamProtocol()), 5, OwnerOnly, wantPid: false);

        Assert.That(syscalls.Calls, Is.EqualTo(new[] { "socket", "bind", "chmod 600 perms.sock", "listen" }), "mode set between bind and listen");
        Assert.That(syscalls.ListeningAtChangeMode, Is.False, "the kernel had not started listening when the mode was set");
        Assert.That(syscalls.ModeAtListen, Is.EqualTo(OwnerOnly), "listen(2) found the file already narrowed");
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(OwnerOnly), "the listening socket's file keeps the mode");

        // And it is a working listener (as root, the mode does not keep this process out).
        var client = new RecordingStreamProtocol();
        _reactor.ConnectUnix(path, new RecordingClientFactory(() => client));
        IterateUntil(_reactor, () => client.Connected, "a client connected");
        Wait(_reactor, port.StopListening(), "StopListening");
    }

    [Test]
    public void AModeThatCannotBeSetFailsTheListenBeforeItListensAndLeavesNothingBehind()
    {
        var path = Path.Combine(_dir, "refused.sock");
        var syscalls = new RecordingSyscalls(path) { FailChangeModeWith = Errno.EPERM };
        var host = new SeamHost((ITransportHost)_reactor, syscalls);

        var error = Assert.Throws<CannotListenError>(() =>
            UnixPort.Listen(host, path, Factory.ForProtocol(() => new RecordingStreamProtocol()), 5, OwnerOnly, wantPid: false));

        Assert.That(syscalls.Calls, Is.EqualTo(new[] { "socket", "bind", "chmod 600 refused.sock", "close socket" }), "never listened under the wrong mode");
        Assert.That(error!.InnerException, Is.InstanceOf<SocketException>());
        Assert.That(File.Exists(path), Is.False, "the socket file is removed");
    }

    [Test]
    public void TheLockFileIsTakenAndProbedThroughTheSeam()
    {
        var path = Path.Combine(_dir, "locked.sock");
        var syscalls = new RecordingSyscalls(path);
        var host = new SeamHost((ITransportHost)_reactor, syscalls);

        var port = UnixPort.Listen(host, path, Factory.ForProtocol(() => new RecordingStreamProtocol()), 5, OwnerOnly, wantPid: true);
        Assert.That(syscalls.Calls.Take(3), Is.EqualTo(new[] { "open locked.sock.lock", "flock", "ftruncate" }), "lock file: open, lock, rewrite");
        Assert.That(syscalls.Calls, Does.Contain("listen"));

        syscalls.Calls.Clear();
        Assert.That(UnixSocketLock.IsHeld(syscalls, path + ".lock"), Is.True, "held by the port");
        Assert.That(syscalls.Calls, Is.EqualTo(new[] { "open locked.sock.lock", "flock" }), "the liveness probe goes through the seam too");
        Wait(_reactor, port.StopListening(), "StopListening");
        Assert.That(File.Exists(path + ".lock"), Is.False);
    }
}
