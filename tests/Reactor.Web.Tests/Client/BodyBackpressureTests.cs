using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;
using Reactor.Web.Client;
using Reactor.Web.Http;
using Reactor.Web.Tests.Corpus;

namespace Reactor.Web.Tests.Client;

/// <summary>
/// A client connection on a <see cref="StringTransport"/>, fed response bytes by hand: the body
/// reader's pause stops delivery and stops reading the socket, and resuming delivers what waited.
/// </summary>
public sealed class BodyBackpressureTests
{
    private sealed class Reader : Protocol
    {
        public readonly MemoryStream Body = new();
        public int Pieces;
        public Failure? End;

        public override void ConnectionMade() => Transport.PauseProducing();

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            Pieces++;
            Body.Write(data);
        }

        public override void ConnectionLost(Failure reason) => End = reason;
    }

    [Test]
    public void PausedReaderGetsNothingAndTheSocketIsNotReadUntilItResumes()
    {
        var connection = ClientConnections.Create(new Clock());
        var transport = new StringTransport();
        connection.MakeConnection(transport);
        var result = new Deferred<Response>();
        connection.Send("GET", new Uri("http://example.com/"), new Headers(), null, result);
        connection.DataReceived("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcde"u8);

        Assert.That(result.Called, Is.True, "the response is there once its head is");
        Assert.That(transport.ProducerState, Is.EqualTo(ProducerState.Paused), "no body reader yet: the socket is not read");
        var reader = new Reader();
        result.AddCallback(r =>
        {
            r.DeliverBody(reader);
            return r;
        });
        Assert.That(reader.Pieces, Is.Zero, "paused in ConnectionMade: the bytes that came with the head wait");
        Assert.That(transport.ProducerState, Is.EqualTo(ProducerState.Paused));

        connection.DataReceived("fghij"u8); // bytes the transport had already read when it was paused
        Assert.That(reader.Pieces, Is.Zero);
        Assert.That(reader.End, Is.Null);

        reader.Transport.ResumeProducing();
        Assert.That(reader.Body.ToArray(), Is.EqualTo("abcdefghij"u8.ToArray()));
        Assert.That(reader.End?.Value, Is.InstanceOf<ResponseDone>());
        Assert.That(transport.ProducerState, Is.EqualTo(ProducerState.Producing), "body done: reading again (kept alive)");
        Assert.That(connection.IsIdle, Is.True);
    }

    [Test]
    public void ReaderPausingMidBodyStopsDeliveryAndReading()
    {
        var connection = ClientConnections.Create(new Clock());
        var transport = new StringTransport();
        connection.MakeConnection(transport);
        var result = new Deferred<Response>();
        connection.Send("GET", new Uri("http://example.com/"), new Headers(), null, result);
        connection.DataReceived("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"u8);
        var reader = new Reader();
        result.AddCallback(r =>
        {
            r.DeliverBody(reader);
            return r;
        });
        reader.Transport.ResumeProducing();
        Assert.That(transport.ProducerState, Is.EqualTo(ProducerState.Producing));

        connection.DataReceived("3\r\none\r\n"u8);
        Assert.That(reader.Body.ToArray(), Is.EqualTo("one"u8.ToArray()));
        reader.Transport.PauseProducing();
        Assert.That(transport.ProducerState, Is.EqualTo(ProducerState.Paused));
        connection.DataReceived("3\r\ntwo\r\n0\r\n\r\n"u8);
        Assert.That(reader.Pieces, Is.EqualTo(1), "paused: the second chunk waits");
        Assert.That(reader.End, Is.Null);

        reader.Transport.ResumeProducing();
        Assert.That(reader.Body.ToArray(), Is.EqualTo("onetwo"u8.ToArray()));
        Assert.That(reader.End?.Value, Is.InstanceOf<ResponseDone>());
    }
}
