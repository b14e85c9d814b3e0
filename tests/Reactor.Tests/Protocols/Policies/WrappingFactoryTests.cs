using System.Net;
using Reactor.Errors;
using Reactor.Protocols.Policies;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Tests.Testing;
using static Reactor.Tests.Protocols.Policies.PolicyTestSupport;

namespace Reactor.Tests.Protocols.Policies;

// Modelled on twisted/test/test_policies.py WrapperTests.
public class WrappingFactoryTests
{
    [Test]
    public void WrapsAndTracksProtocolsAndForwardsBothWays()
    {
        var inner = new RecordingFactory();
        var factory = new WrappingFactory(inner);
        var (protocol, transport) = Connect(factory);
        var wrapper = (ProtocolWrapper)protocol;
        var wrapped = inner.Built.Single();
        Assert.That(wrapper.WrappedProtocol, Is.SameAs(wrapped));
        Assert.That(wrapped.Transport, Is.SameAs(wrapper), "the wrapped protocol writes through the wrapper");
        Assert.That(factory.Protocols, Does.Contain(wrapper));
        Assert.That(wrapped.Transport.GetPeer(), Is.EqualTo(transport.GetPeer()));

        wrapper.DataReceived("in"u8);
        wrapped.Transport.Write("out"u8);
        Assert.That(wrapped.ReceivedText, Is.EqualTo("in"));
        Assert.That(transport.ValueAsString(), Is.EqualTo("out"));

        wrapped.Transport.LoseConnection();
        Assert.That(wrapper.Disconnecting, Is.True);
        Assert.That(wrapped.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        Assert.That(factory.Protocols, Is.Empty);
    }

    [Test]
    public void StartAndStopReachTheWrappedFactory()
    {
        var inner = new RecordingFactory();
        var factory = new WrappingFactory(inner);
        factory.DoStart();
        factory.DoStop();
        Assert.That((inner.Starts, inner.Stops), Is.EqualTo((1, 1)));
    }

    [Test]
    public void RefusalByTheWrappedFactoryIsPassedOn()
    {
        var factory = new WrappingFactory(Factory.ForProtocol(() => null));
        Assert.That(factory.BuildProtocol(Peer), Is.Null);
    }

    [Test]
    public void HalfCloseIsForwardedOrClosesForOrdinaryProtocols()
    {
        var plain = new WrappingFactory(new RecordingFactory());
        var (p1, t1) = Connect(plain);
        ((IHalfCloseableProtocol)p1).ReadConnectionLost();
        Assert.That(t1.Disconnecting, Is.True, "a FIN to a protocol that cannot half-close closes the connection");

        var halfCloseable = new HalfCloseRecordingProtocol();
        var factory = new WrappingFactory(Factory.ForProtocol(() => halfCloseable));
        var (p2, t2) = Connect(factory);
        ((IHalfCloseableProtocol)p2).ReadConnectionLost();
        Assert.That(halfCloseable.Events, Does.Contain("readLost"));
        Assert.That(t2.Disconnecting, Is.False);
        ((ITcpTransport)halfCloseable.Transport).LoseWriteConnection();
        Assert.That(t2.WriteDisconnected, Is.True);
    }

    [Test]
    public void WorksOverALoopbackPump()
    {
        var inner = new RecordingFactory();
        var server = new WrappingFactory(inner).BuildProtocol(Peer)!;
        var client = new RecordingProtocol();
        var pump = LoopbackPump.Connect(server, client);
        client.Transport.Write("hello"u8);
        pump.Flush();
        Assert.That(inner.Built.Single().ReceivedText, Is.EqualTo("hello"));
        Assert.That(((ITcpTransport)inner.Built.Single().Transport).GetTcpNoDelay(), Is.False);
    }
}
