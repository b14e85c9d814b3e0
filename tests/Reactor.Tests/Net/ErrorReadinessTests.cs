using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;

namespace Reactor.Tests.Net;

/// <summary>
/// Issue 19.8: a selector that reports the error in the event and clears SO_ERROR (what libkqueue does
/// with kqueue's fflags). Emulated on epoll by a wrapper that reads SO_ERROR itself, so this runs
/// everywhere; the real libkqueue run is in the issue note. Mirrors Twisted's kqreactor rule
/// (kqreactor._doWriteOrRead: EV_EOF with fflags is CONNECTION_LOST, never a read or a connect).
/// </summary>
public class ErrorReadinessTests
{
    private CapturingLogger _log = null!;

    [SetUp]
    public void SetUp() => _log = new CapturingLogger();

    private ReactorLoop Create(bool carryErrno) => ReactorLoop.Create(new ReactorOptions
    {
        Logger = _log,
        SelectorFactory = () => new ErrorClearingSelector(new EpollSelector(), carryErrno),
    });

    [Test]
    public void ARefusedConnectReportedOnlyInTheEventIsConnectionRefused()
    {
        using var reactor = Create(carryErrno: true);
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var factory = new RecordingClientFactory(() => new RecordingProtocol());
        reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)reserved.LocalEndPoint!).Port, factory);
        reactor.RunUntil(() => factory.FailedReason is not null, "the refusal");
        Assert.That(factory.FailedReason!.Value, Is.InstanceOf<ConnectionRefusedError>());
    }

    [Test]
    public void AnErrorReadinessWithoutAnyErrnoIsNeverASuccessfulConnect()
    {
        using var reactor = Create(carryErrno: false);
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var factory = new RecordingClientFactory(() => new RecordingProtocol());
        reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)reserved.LocalEndPoint!).Port, factory);
        reactor.RunUntil(() => factory.FailedReason is not null || factory.Events.Contains("BuildProtocol"), "the outcome");
        Assert.That(factory.FailedReason?.Value, Is.InstanceOf<ConnectError>(), "SO_ERROR read 0, yet the connect had failed");
    }

    [Test]
    public void AResetReportedOnlyInTheEventIsConnectionLostNotACleanClose()
    {
        using var reactor = Create(carryErrno: true);
        RecordingProtocol? server = null;
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol()), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => server is { Connected: true } && client.Connected, "the connection");
        ((IStreamTransport)server!.Transport).AbortConnection();
        reactor.RunUntil(() => client.IsLost, "the client to see the reset");
        Assert.That(client.LostReason!.Value, Is.InstanceOf<ConnectionLost>());
        Assert.That(((ConnectionError)client.LostReason.Value).SocketErrorCode, Is.EqualTo(SocketError.ConnectionReset));
    }

    /// <summary>Reads (and so clears) SO_ERROR on every error readiness, as libkqueue does, optionally carrying it in the event.</summary>
    private sealed class ErrorClearingSelector(ISelector inner, bool carryErrno) : ISelector
    {
        private readonly Dictionary<long, int> _fds = new();

        public SelectorKind Kind => inner.Kind;

        public void Register(int fd, Interest interest, long token)
        {
            inner.Register(fd, interest, token);
            _fds[token] = fd;
        }

        public void Modify(int fd, Interest interest, long token)
        {
            inner.Modify(fd, interest, token);
            _fds[token] = fd;
        }

        public void Unregister(int fd) => inner.Unregister(fd);

        public int Wait(Span<SelectorEvent> events, TimeSpan? timeout)
        {
            int n = inner.Wait(events, timeout);
            for (int i = 0; i < n; i++)
            {
                var ev = events[i];
                if (!_fds.TryGetValue(ev.Token, out int fd)) continue;
                if ((ev.Events & (SelectorEvents.Error | SelectorEvents.HangUp)) == 0) continue;
                LibcSyscalls.Instance.GetSocketError(fd, out Errno pending, out _);
                if (pending.IsSuccess) continue;
                events[i] = ev with { Events = ev.Events | SelectorEvents.Error, ErrorCode = carryErrno ? pending.Value : 0 };
            }
            return n;
        }

        public void Wake() => inner.Wake();

        public void Dispose() => inner.Dispose();
    }
}
