using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Tcp;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Native;

namespace Reactor.Tests.Net;

/// <summary>
/// EMFILE / ENFILE on accept, injected through the syscall seam: logged, accepting paused and
/// resumed from a timer (no busy loop), and existing connections unaffected.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class AcceptExhaustionTests(SelectorKind kind)
{
    [TestCase(24)]
    [TestCase(23)]
    public void AcceptingPausesOnDescriptorExhaustionAndResumes(int linuxErrno)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The injected errno numbers are Linux's.");
        var logger = new CapturingLogger();
        using var reactor = NetTesting.CreateReactor(kind, logger);
        var host = (ITransportHost)reactor;
        var syscalls = new FailingAccept(LibcSyscalls.Instance);
        var port = TcpPort.Listen(host, Factory.For<EchoProtocol>(), new IPEndPoint(IPAddress.Loopback, 0), 128, syscalls);
        var portNumber = ((IPEndPoint)port.GetHost()).Port;
        // Long enough that the pause cannot end by itself during the test: it is ended below by hand.
        port.AcceptRetryDelay = TimeSpan.FromHours(1);

        // A connection made before the trouble.
        var existing = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", portNumber, new RecordingClientFactory(() => existing));
        reactor.RunUntil(() => existing.Connected && syscalls.Accepted == 1, "the first connection");

        // The process runs out of descriptors: the next accepts fail.
        syscalls.FailWith = new Errno(linuxErrno);
        var late = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("late"u8) };
        reactor.ConnectTcp("127.0.0.1", portNumber, new RecordingClientFactory(() => late));
        reactor.RunUntil(() => port.AcceptingPaused, "accepting to pause");
        var failedCalls = syscalls.Failed;

        // While paused: no accept calls at all (no busy loop), and the existing connection still echoes.
        existing.Transport.Write("still here"u8);
        reactor.RunUntil(() => existing.Received.Length == 10, "the existing connection's echo");
        Assert.That(syscalls.Failed, Is.EqualTo(failedCalls), "nothing retries accept while paused");
        Assert.That(logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("pausing accepting")), Is.True, "the exhaustion is logged");

        // Descriptors are available again: the retry timer resumes accepting and the waiting client gets in.
        syscalls.FailWith = null;
        var retry = reactor.GetDelayedCalls().Single(c => c.GetTime() > reactor.Now + TimeSpan.FromMinutes(30));
        retry.Reset(TimeSpan.Zero);
        reactor.RunUntil(() => late.Received.Length == 4, "the late client's echo");
        Assert.That(port.AcceptPauses, Is.GreaterThanOrEqualTo(1));
        Assert.That(existing.Connected, Is.True);
        port.StopListening();
    }

    /// <summary>
    /// EPERM (a firewall refused one client) and ECONNABORTED (a client gave up in the backlog) cost that
    /// one client only: the accept loop goes on in the same burst and logs nothing. TCP and UNIX share the loop
    /// (AcceptingPort), so this holds for both.
    /// </summary>
    [TestCase(1)]
    [TestCase(103)]
    public void AOneClientAcceptErrorIsSkippedAndTheNextClientIsAccepted(int linuxErrno)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The injected errno numbers are Linux's.");
        var logger = new CapturingLogger();
        using var reactor = NetTesting.CreateReactor(kind, logger);
        var syscalls = new FailingAccept(LibcSyscalls.Instance) { FailOnceWith = new Errno(linuxErrno) };
        var port = TcpPort.Listen((ITransportHost)reactor, Factory.For<EchoProtocol>(), new IPEndPoint(IPAddress.Loopback, 0), 128, syscalls);

        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("ping"u8) };
        reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)port.GetHost()).Port, new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.Received.Length == 4, "the echo after the skipped accept error");

        Assert.Multiple(() =>
        {
            Assert.That(syscalls.Failed, Is.EqualTo(1));
            Assert.That(port.AcceptingPaused, Is.False);
            Assert.That(logger.Entries.Any(e => e.Level >= LogLevel.Warning), Is.False, "a one-client error is not logged");
        });
        port.StopListening();
    }

    /// <summary>The real kernel, except that accept(2) fails on demand.</summary>
    private sealed unsafe class FailingAccept(ISyscalls real) : ForwardingSyscalls(real)
    {
        public Errno? FailWith;
        public Errno? FailOnceWith;
        public int Failed;
        public int Accepted;

        public override int Accept(int fd, byte* address, int* addressLength, out Errno errno)
        {
            if (FailOnceWith is { } once)
            {
                FailOnceWith = null;
                Failed++;
                errno = once;
                return -1;
            }
            if (FailWith is { } failure)
            {
                Failed++;
                errno = failure;
                return -1;
            }
            var result = Inner.Accept(fd, address, addressLength, out errno);
            if (result >= 0) Accepted++;
            return result;
        }
    }
}
