using System.Buffers;
using System.Net;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Testing;

namespace Reactor.Tests.Testing;

// Behaviour follows twisted/internet/testing.py StringTransport and its tests in
// twisted/test/test_stringtransport.py (StringTransportTests).
public class StringTransportTests
{
    private sealed class Push : IPushProducer
    {
        public void PauseProducing() { }
        public void ResumeProducing() { }
        public void StopProducing() { }
    }

    private sealed class Pull : IPullProducer
    {
        public void ResumeProducing() { }
        public void StopProducing() { }
    }

    [Test]
    public void RecordsWritesInOrderAndClears()
    {
        var t = new StringTransport();
        t.Write("abc"u8);
        t.WriteSequence(new ReadOnlySequence<byte>("def"u8.ToArray()));
        Assert.That(t.ValueAsString(), Is.EqualTo("abcdef"));
        Assert.That(t.Value(), Is.EqualTo("abcdef"u8.ToArray()));
        Assert.That(t.WriteCount, Is.EqualTo(2));
        t.Clear();
        Assert.That(t.Written.Length, Is.Zero);
        t.Write("x"u8);
        Assert.That(t.ValueAsString(), Is.EqualTo("x"));
    }

    [Test]
    public void LoseConnectionSetsDisconnectingAndDropsLaterWrites()
    {
        var t = new StringTransport();
        ITransport asTransport = t;
        Assert.That(asTransport.Disconnecting, Is.False);
        t.Write("a"u8);
        t.LoseConnection();
        t.Write("bc"u8);
        Assert.Multiple(() =>
        {
            Assert.That(asTransport.Disconnecting, Is.True);
            Assert.That(t.Disconnected, Is.False);
            Assert.That(t.ValueAsString(), Is.EqualTo("a"));
            Assert.That(t.BytesDroppedAfterClose, Is.EqualTo(2));
        });
    }

    [Test]
    public void AbortConnectionSetsDisconnectedToo()
    {
        var t = new StringTransport();
        t.AbortConnection();
        Assert.That(t.Disconnecting && t.Disconnected, Is.True);
    }

    [Test]
    public void LoseWriteConnectionIsRecorded()
    {
        var t = new StringTransport();
        t.LoseWriteConnection();
        t.Write("late"u8);
        Assert.That(t.WriteDisconnected, Is.True);
        Assert.That(t.Written.Length, Is.Zero);
    }

    [Test]
    public void DefaultAddressesAreTwistedsAndCanBeGiven()
    {
        var t = new StringTransport();
        Assert.That(t.GetPeer(), Is.EqualTo(new IPEndPoint(IPAddress.Parse("192.168.1.1"), 54321)));
        Assert.That(t.GetHost(), Is.EqualTo(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 12345)));
        var host = new IPEndPoint(IPAddress.IPv6Loopback, 1);
        var peer = new IPEndPoint(IPAddress.Loopback, 2);
        var u = new StringTransport(host, peer);
        Assert.That(u.GetHost(), Is.SameAs(host));
        Assert.That(u.GetPeer(), Is.SameAs(peer));
    }

    [Test]
    public void RegistersOneProducerAndChecksItsKind()
    {
        var t = new StringTransport();
        var push = new Push();
        t.RegisterProducer(push, streaming: true);
        Assert.That(t.Producer, Is.SameAs(push));
        Assert.That(t.Streaming, Is.True);
        // test_stringtransport.py test_registerProducer: a second producer is refused.
        Assert.Throws<InvalidOperationException>(() => t.RegisterProducer(new Push(), true));
        t.UnregisterProducer();
        Assert.That(t.Producer, Is.Null);
        Assert.Throws<ArgumentException>(() => t.RegisterProducer(new Pull(), streaming: true));
        Assert.Throws<ArgumentException>(() => t.RegisterProducer(new Push(), streaming: false));
        t.RegisterProducer(new Pull(), streaming: false);
        Assert.That(t.Streaming, Is.False);
    }

    [Test]
    public void TracksPauseResumeStop()
    {
        var t = new StringTransport();
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Producing));
        t.PauseProducing();
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Paused));
        t.ResumeProducing();
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Producing));
        t.StopProducing();
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Stopped));
    }

    [Test]
    public void PauseAfterLoseConnectionThrowsUnlessLenient()
    {
        // test_stringtransport.py test_pauseProducingAfterLoseConnection / lenient variant.
        var strict = new StringTransport();
        strict.LoseConnection();
        Assert.Throws<InvalidOperationException>(strict.PauseProducing);
        Assert.Throws<InvalidOperationException>(strict.ResumeProducing);
        var lenient = new StringTransport(lenient: true);
        lenient.LoseConnection();
        lenient.PauseProducing();
        Assert.That(lenient.ProducerState, Is.EqualTo(ProducerState.Paused));
    }

    [Test]
    public void TcpOptionsAreRemembered()
    {
        var t = new StringTransport();
        Assert.That(t.GetTcpNoDelay() || t.GetTcpKeepAlive(), Is.False);
        t.SetTcpNoDelay(true);
        t.SetTcpKeepAlive(true);
        Assert.That(t.GetTcpNoDelay() && t.GetTcpKeepAlive(), Is.True);
    }

    [Test]
    public void WithDisconnectionReportsConnectionDoneOnce()
    {
        var p = new RecordingProtocol();
        var t = new StringTransportWithDisconnection { Protocol = p };
        p.MakeConnection(t);
        t.LoseConnection();
        t.LoseConnection();
        Assert.That(p.LostCount, Is.EqualTo(1));
        Assert.That(p.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        Assert.That(t.Connected, Is.False);
        Assert.That(p.Connected, Is.False);
    }

    [Test]
    public void WithDisconnectionReportsAbortAsConnectionAborted()
    {
        var p = new RecordingProtocol();
        var t = new StringTransportWithDisconnection { Protocol = p };
        p.MakeConnection(t);
        t.AbortConnection();
        t.LoseConnection();
        Assert.That(p.LostCount, Is.EqualTo(1));
        Assert.That(p.LostReason!.Value, Is.TypeOf<ConnectionAborted>());
    }
}
