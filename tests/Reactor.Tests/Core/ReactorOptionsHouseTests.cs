using System.Net;
using Reactor.Core;
using Reactor.Native;
using Reactor.Protocols;
using Reactor.Net.Stream;
using Reactor.Net.Tcp;
using Reactor.Tests.Net;

namespace Reactor.Tests.Core;

/// <summary>
/// Transport policy is per reactor, not process-wide (issue 18): the write-through threshold, the
/// TLS close_notify wait and the accept retry delay come from <see cref="ReactorOptions"/>, so two
/// reactors in one process can differ and neither changes the other.
/// </summary>
public sealed class ReactorOptionsHouseTests
{
    [Test]
    public void TwoReactorsInOneProcessKeepTheirOwnTransportPolicy()
    {
        using var gathering = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), WriteThroughThreshold = int.MaxValue, AcceptRetryDelay = TimeSpan.FromSeconds(3) });
        using var defaults = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger() });

        Assert.That(ConnectionOn(gathering).WriteThroughThreshold, Is.EqualTo(int.MaxValue));
        Assert.That(ConnectionOn(defaults).WriteThroughThreshold, Is.EqualTo(ReactorOptions.DefaultWriteThroughThreshold));

        var port = (TcpPort)gathering.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol()), @interface: "127.0.0.1");
        var other = (TcpPort)defaults.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol()), @interface: "127.0.0.1");
        Assert.That(port.AcceptRetryDelay, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(other.AcceptRetryDelay, Is.EqualTo(ReactorOptions.DefaultAcceptRetryDelay));
        port.StopListening();
        other.StopListening();
    }

    [Test]
    public void BadPolicyIsRefusedWhenTheReactorIsCreated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReactorLoop.Create(new ReactorOptions { WriteThroughThreshold = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReactorLoop.Create(new ReactorOptions { AcceptRetryDelay = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReactorLoop.Create(new ReactorOptions { TlsCloseNotifyTimeout = TimeSpan.FromSeconds(-1) }));
    }

    /// <summary>A TCP connection on <paramref name="reactor"/> over one end of a socket pair (closed with the reactor).</summary>
    private static StreamTransport ConnectionOn(ReactorLoop reactor)
    {
        var (near, far) = Net.Stream.StreamIoSeamTests.SocketPair();
        LibcSyscalls.Instance.Close(far, out _);
        var connection = new TcpConnection((Reactor.Net.Internal.ITransportHost)reactor, near, new IPEndPoint(IPAddress.Loopback, 1));
        connection.Start(new RecordingProtocol());
        return connection;
    }
}
