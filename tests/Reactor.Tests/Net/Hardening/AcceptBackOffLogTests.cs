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

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// At the descriptor limit a port retries accept every AcceptRetryDelay. The log gets the first
/// pause of such an episode and, when accept works again (or the port closes), one summary with
/// the number of pauses: not one warning per retry (about ten a second with the default delay).
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class AcceptBackOffLogTests(SelectorKind kind)
{
    private const string PauseWarning = "pausing accepting";
    private const string Summary = "the back-off for";

    [Test]
    public void AnEpisodeLogsItsFirstPauseAndOneSummaryWithTheCount()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The injected errno number is Linux's.");
        var logger = new CapturingLogger();
        using var reactor = NetTesting.CreateReactor(kind, logger);
        var syscalls = new AcceptFailing(LibcSyscalls.Instance) { FailWith = new Errno(24) }; // EMFILE
        var port = TcpPort.Listen((ITransportHost)reactor, Factory.For<EchoProtocol>(), new IPEndPoint(IPAddress.Loopback, 0), 128, syscalls);
        port.AcceptRetryDelay = TimeSpan.FromMilliseconds(1);
        var portNumber = ((IPEndPoint)port.GetHost()).Port;

        // A client waits in the backlog while every accept fails: the port pauses again and again.
        var first = Echoing("one");
        reactor.ConnectTcp("127.0.0.1", portNumber, new RecordingClientFactory(() => first));
        reactor.RunUntil(() => port.AcceptPauses >= 5, "five pauses in a row");
        Assert.That(Count(logger, LogLevel.Warning, PauseWarning), Is.EqualTo(1), "one warning for the whole episode so far");
        Assert.That(Count(logger, LogLevel.Warning, Summary), Is.Zero, "no summary while the episode lasts");

        // Descriptors are free again: the waiting client is served and the summary counts every pause.
        syscalls.FailWith = null;
        reactor.RunUntil(() => first.Received.Length == 3, "the waiting client's echo");
        var pauses = port.AcceptPauses;
        Assert.That(Count(logger, LogLevel.Warning, Summary), Is.EqualTo(1));
        Assert.That(logger.Entries.Single(e => e.Message.Contains(Summary)).Message, Does.Contain($"after {pauses} pause(s)").And.Contain("errno 24"));

        // A second episode is logged the same way, once more.
        syscalls.FailWith = new Errno(24);
        var second = Echoing("two");
        reactor.ConnectTcp("127.0.0.1", portNumber, new RecordingClientFactory(() => second));
        reactor.RunUntil(() => port.AcceptPauses >= pauses + 3, "the second episode's pauses");
        syscalls.FailWith = null;
        reactor.RunUntil(() => second.Received.Length == 3, "the second client's echo");
        Assert.Multiple(() =>
        {
            Assert.That(Count(logger, LogLevel.Warning, PauseWarning), Is.EqualTo(2));
            Assert.That(Count(logger, LogLevel.Warning, Summary), Is.EqualTo(2));
        });
        port.StopListening();
    }

    [Test]
    public void APortClosedDuringAnEpisodeLogsItsSummary()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The injected errno number is Linux's.");
        var logger = new CapturingLogger();
        using var reactor = NetTesting.CreateReactor(kind, logger);
        var syscalls = new AcceptFailing(LibcSyscalls.Instance) { FailWith = new Errno(23) }; // ENFILE
        var port = TcpPort.Listen((ITransportHost)reactor, Factory.For<EchoProtocol>(), new IPEndPoint(IPAddress.Loopback, 0), 128, syscalls);
        port.AcceptRetryDelay = TimeSpan.FromMilliseconds(1);
        var client = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)port.GetHost()).Port, new RecordingClientFactory(() => client));
        reactor.RunUntil(() => port.AcceptPauses >= 3, "three pauses in a row");

        port.StopListening();

        Assert.That(Count(logger, LogLevel.Warning, PauseWarning), Is.EqualTo(1));
        Assert.That(logger.Entries.Single(e => e.Message.Contains(Summary)).Message, Does.Contain($"after {port.AcceptPauses} pause(s)").And.Contain("errno 23"));
    }

    private static int Count(CapturingLogger logger, LogLevel level, string fragment) =>
        logger.Entries.Count(e => e.Level == level && e.Message.Contains(fragment, StringComparison.Ordinal));

    private static RecordingProtocol Echoing(string text) =>
        new() { OnConnectionMade = p => p.Transport.Write(System.Text.Encoding.ASCII.GetBytes(text)) };

    /// <summary>The real kernel, except that accept(2) fails while <see cref="FailWith"/> is set.</summary>
    private sealed unsafe class AcceptFailing(ISyscalls inner) : ForwardingSyscalls(inner)
    {
        public Errno? FailWith { get; set; }

        public override int Accept(int fd, byte* address, int* addressLength, out Errno errno)
        {
            if (FailWith is { } failure)
            {
                errno = failure;
                return -1;
            }
            return Inner.Accept(fd, address, addressLength, out errno);
        }
    }
}
