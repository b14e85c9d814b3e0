using System.Net.Sockets;
using System.Text;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Unix;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Unix;

/// <summary>
/// Issue 19.11: ReactorLoop.SocketPair, Python's socket.socketpair() as two connected transports
/// (Twisted's own tests build the same thing from socket.socketpair() and adoptStreamConnection,
/// e.g. test_unix.py UNIXTestsBuilder / test_tcp.py's socketpair helpers).
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class SocketPairTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void BothEndsAreConnectedAndCarryBytesEachWay()
    {
        var left = new RecordingProtocol();
        var right = new RecordingProtocol();
        var (first, second) = _reactor.SocketPair(left, right);

        Assert.That((left.ConnectionMadeCount, right.ConnectionMadeCount), Is.EqualTo((1, 1)), "connected before SocketPair returns");
        Assert.That(left.Transport, Is.SameAs(first));
        Assert.That(right.Transport, Is.SameAs(second));
        Assert.That(first.GetHost(), Is.SameAs(UnnamedUnixEndPoint.Instance));
        Assert.That(second.GetPeer(), Is.SameAs(UnnamedUnixEndPoint.Instance));

        first.Write("ping"u8);
        second.Write("pong"u8);
        _reactor.RunUntil(() => left.Received.Length == 4 && right.Received.Length == 4, "both writes");
        Assert.That(Encoding.ASCII.GetString(right.Received.ToArray()), Is.EqualTo("ping"));
        Assert.That(Encoding.ASCII.GetString(left.Received.ToArray()), Is.EqualTo("pong"));

        first.LoseConnection();
        _reactor.RunUntil(() => left.IsLost && right.IsLost, "both ends closed");
        Assert.That(right.LostReason!.Value, Is.TypeOf<ConnectionDone>());
    }

    [Test]
    public void HalfCloseAndSocketOptionsWorkAsOnAnyUnixConnection()
    {
        var left = new RecordingProtocol();
        var right = new HalfCloseRecordingProtocol { OnReadConnectionLost = p => p.Transport.Write("bye"u8) };
        var (first, second) = _reactor.SocketPair(left, right);
        Assert.That(((ISocketOptions)second).GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Type), Is.EqualTo(1), "SOCK_STREAM");
        Assert.That(((ISocketOptions)first).FileDescriptor, Is.Not.EqualTo(((ISocketOptions)second).FileDescriptor));

        first.LoseWriteConnection();
        _reactor.RunUntil(() => right.ReadLostCount == 1 && left.Received.Length == 3, "the half-close and the reply after it");
        Assert.That(Encoding.ASCII.GetString(left.Received.ToArray()), Is.EqualTo("bye"));
        second.LoseConnection();
        _reactor.RunUntil(() => left.IsLost && right.IsLost, "both ends closed");
    }

    [Test]
    public void OneProtocolCannotBeBothEnds()
    {
        var both = new RecordingProtocol();
        Assert.Throws<ArgumentException>(() => _reactor.SocketPair(both, both));
        Assert.That(both.ConnectionMadeCount, Is.Zero);
    }
}
