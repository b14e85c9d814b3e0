using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Net.Tcp;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Native;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Closing a connection whose close path fails, through the syscall seam: shutdown(2) or the SO_LINGER
/// that makes the RST throwing (at EMFILE that was a runtime assembly that could not load), and
/// close(2) itself failing with EINTR or EIO. The descriptor is still closed, exactly once and
/// never again under a number the kernel may have handed to someone else; the reactor forgets the
/// connection and its protocol hears that it is lost.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class CloseFailureTests(SelectorKind kind)
{
    public enum Ending
    {
        LoseConnection,  // orderly: shutdown(2), then close(2)
        AbortConnection, // reset: SO_LINGER 0, then close(2)
    }

    [TestCase(Ending.LoseConnection)]
    [TestCase(Ending.AbortConnection)]
    public void AStepBeforeCloseThatThrowsStillClosesTheDescriptorOnceAndTellsTheProtocol(Ending ending)
    {
        using var rig = new Rig(kind);
        rig.Syscalls.ThrowBeforeClose = true;
        var server = rig.ConnectAndEnd(ending);

        rig.Reactor.RunUntil(() => server.Protocol.IsLost && rig.Client.IsLost, "both ends to hear the connection end");

        Assert.Multiple(() =>
        {
            Assert.That(rig.Syscalls.ClosesOf(server.Fd), Is.EqualTo(1), "close(2) of the server's descriptor");
            Assert.That(rig.Syscalls.Thrown, Is.EqualTo(1), "the injected failure happened");
            Assert.That(server.Transport.FileDescriptor, Is.EqualTo(-1));
            Assert.That(rig.Reactor.GetReaders().Concat<object>(rig.Reactor.GetWriters()), Does.Not.Contain(server.Transport));
            Assert.That(rig.Logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("threw") && e.Exception is InjectedFailure), Is.EqualTo(1),
                "the failure is logged once with its exception");
        });
        rig.AssertNeverClosedAgain(server.Fd);
    }

    [TestCase(4)] // EINTR: on Linux the descriptor is gone all the same
    [TestCase(5)] // EIO
    public void ACloseThatReportsAnErrorIsNeverRetried(int linuxErrno)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The injected errno numbers and close(2)'s meaning of EINTR are Linux's.");
        using var rig = new Rig(kind);
        rig.Syscalls.CloseReports = new Errno(linuxErrno);
        var server = rig.ConnectAndEnd(Ending.LoseConnection);

        rig.Reactor.RunUntil(() => server.Protocol.IsLost && rig.Client.IsLost, "both ends to hear the connection end");

        Assert.Multiple(() =>
        {
            Assert.That(rig.Syscalls.ClosesOf(server.Fd), Is.EqualTo(1));
            Assert.That(server.Protocol.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(server.Transport.FileDescriptor, Is.EqualTo(-1));
            Assert.That(rig.Reactor.GetReaders().Concat<object>(rig.Reactor.GetWriters()), Does.Not.Contain(server.Transport));
        });
        rig.AssertNeverClosedAgain(server.Fd);
    }

    private sealed class ServerSide
    {
        public RecordingProtocol Protocol { get; } = new();

        public StreamTransport Transport => (StreamTransport)Protocol.Transport;

        public int Fd { get; set; } = -1;
    }

    /// <summary>A reactor, a port whose connections use the failing syscalls, and one client on the real kernel.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly TcpPort _port;
        private bool _disposed;

        public Rig(SelectorKind kind)
        {
            Reactor = NetTesting.CreateReactor(kind, Logger);
            var host = new SeamHost((ITransportHost)Reactor, Syscalls);
            _port = TcpPort.Listen(host, Factory.ForProtocol(() => Server.Protocol), new IPEndPoint(IPAddress.Loopback, 0), 16);
        }

        public CapturingLogger Logger { get; } = new();

        public ReactorLoop Reactor { get; }

        public FailingClose Syscalls { get; } = new(LibcSyscalls.Instance);

        public ServerSide Server { get; } = new();

        public RecordingProtocol Client { get; } = new();

        /// <summary>Connects the client; the server ends the connection as soon as it is made.</summary>
        public ServerSide ConnectAndEnd(Ending ending)
        {
            Server.Protocol.OnConnectionMade = p =>
            {
                Server.Fd = ((StreamTransport)p.Transport).FileDescriptor;
                if (ending == Ending.LoseConnection) p.Transport.LoseConnection();
                else ((IStreamTransport)p.Transport).AbortConnection();
            };
            Reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)_port.GetHost()).Port, new RecordingClientFactory(() => Client));
            return Server;
        }

        /// <summary>
        /// Opens a pipe (the kernel hands out the lowest free numbers, very likely the one just
        /// closed), tears everything down, and checks that nothing closed <paramref name="fd"/> again
        /// and that the pipe is still open.
        /// </summary>
        public void AssertNeverClosedAgain(int fd)
        {
            Assert.That(LibcSyscalls.Instance.CreatePipe(out var readFd, out var writeFd, out _), Is.Zero);
            try
            {
                Dispose();
                Assert.That(Syscalls.ClosesOf(fd), Is.EqualTo(1), $"descriptor {fd} closed again after teardown");
                Assert.That(LibcSyscalls.Instance.Fcntl(readFd, NativeConstants.F_GETFD, 0, out _), Is.GreaterThanOrEqualTo(0), "a later open's descriptor is still open");
                Assert.That(LibcSyscalls.Instance.Fcntl(writeFd, NativeConstants.F_GETFD, 0, out _), Is.GreaterThanOrEqualTo(0), "a later open's descriptor is still open");
            }
            finally
            {
                LibcSyscalls.Instance.Close(readFd, out _);
                LibcSyscalls.Instance.Close(writeFd, out _);
            }
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _port.StopListening();
            Reactor.Dispose();
        }
    }

    private sealed class InjectedFailure() : InvalidOperationException("injected: a close step threw");

    /// <summary>The real kernel; shutdown(2) and SO_LINGER throw on demand, and close(2) may report an errno after closing.</summary>
    private sealed unsafe class FailingClose(ISyscalls inner) : ForwardingSyscalls(inner)
    {
        private readonly List<int> _closes = new();

        public bool ThrowBeforeClose { get; set; }

        public Errno? CloseReports { get; set; }

        public int Thrown { get; private set; }

        public int ClosesOf(int fd) => _closes.Count(c => c == fd);

        public override int Shutdown(int fd, SocketShutdown how, out Errno errno)
        {
            if (ThrowBeforeClose) Throw();
            return Inner.Shutdown(fd, how, out errno);
        }

        public override int SetSockOpt(int fd, int level, int name, void* value, int length, out Errno errno)
        {
            if (ThrowBeforeClose && level == NativeConstants.SOL_SOCKET && name == NativeConstants.SO_LINGER) Throw();
            return Inner.SetSockOpt(fd, level, name, value, length, out errno);
        }

        public override int Close(int fd, out Errno errno)
        {
            _closes.Add(fd);
            var result = Inner.Close(fd, out errno);
            if (result < 0 || CloseReports is not { } reported) return result;
            // Linux frees the number before it reports EINTR or EIO.
            errno = reported;
            return -1;
        }

        private void Throw()
        {
            Thrown++;
            throw new InjectedFailure();
        }
    }
}
