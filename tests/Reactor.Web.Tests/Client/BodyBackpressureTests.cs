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

        public Action? Ended;

        public override void ConnectionLost(Failure reason)
        {
            End = reason;
            Ended?.Invoke();
        }
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

    [Test]
    public void ConnectionLostWhileTheReaderIsPausedEndsTheBodyOnlyAfterItResumes()
    {
        // The http-response fuzz target checks this too: the stash used to be pushed into a paused reader.
        var connection = ClientConnections.Create(new Clock());
        connection.MakeConnection(new StringTransport());
        var result = new Deferred<Response>();
        connection.Send("GET", new Uri("http://example.com/"), new Headers(), null, result);
        connection.DataReceived("HTTP/1.1 200 OK\r\n\r\nuntil close"u8);
        var reader = new Reader();
        result.AddCallback(r =>
        {
            r.DeliverBody(reader);
            return r;
        });
        connection.ConnectionLost(new Failure(new ConnectionDone()));
        Assert.That(reader.Pieces, Is.Zero, "paused: not delivered, not ended");
        Assert.That(reader.End, Is.Null);

        reader.Transport.ResumeProducing();
        Assert.That(reader.Body.ToArray(), Is.EqualTo("until close"u8.ToArray()));
        Assert.That(reader.End?.Value, Is.InstanceOf<PotentialDataLoss>());
    }

    [Test]
    public void BodyAskedForAfterTheConnectionEndedStillGetsWhatArrivedWhenTheReaderPausesAtFirst()
    {
        var connection = ClientConnections.Create(new Clock());
        connection.MakeConnection(new StringTransport());
        var result = new Deferred<Response>();
        connection.Send("GET", new Uri("http://example.com/"), new Headers(), null, result);
        connection.DataReceived("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"u8);
        connection.ConnectionLost(new Failure(new ConnectionLost()));
        var reader = new Reader();
        result.AddCallback(r =>
        {
            r.DeliverBody(reader);
            return r;
        });
        Assert.That(reader.Pieces, Is.Zero);
        Assert.That(reader.End, Is.Null, "the 3 bytes that came are not dropped by ending at once");

        reader.Transport.ResumeProducing();
        Assert.That(reader.Body.ToArray(), Is.EqualTo("abc"u8.ToArray()));
        Assert.That(reader.End?.Value, Is.InstanceOf<ResponseFailed>(), "7 of 10 bytes missing");
    }

    [Test]
    public void BytesAfterABodyHeldForAPausedReaderAreTheNextResponseOnceARequestIsSent()
    {
        // Found by the http-response fuzz target: these bytes were stashed and never parsed.
        var connection = ClientConnections.Create(new Clock());
        connection.MakeConnection(new StringTransport());
        var first = new Deferred<Response>();
        connection.Send("GET", new Uri("http://example.com/"), new Headers(), null, first);
        connection.DataReceived("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"u8);
        var reader = new Reader();
        var second = new Deferred<Response>();
        first.AddCallback(r =>
        {
            r.DeliverBody(reader);
            return r;
        });
        Assert.That(reader.Pieces, Is.Zero);

        reader.Ended = () => connection.Send("GET", new Uri("http://example.com/next"), new Headers(), null, second);
        reader.Transport.ResumeProducing();
        Assert.That(reader.Body.ToArray(), Is.EqualTo("abc"u8.ToArray()));
        Assert.That(second.Called, Is.True, "the held bytes were read as the next response");
        Response? next = null;
        second.AddCallback(r => next = r);
        Assert.That(next?.Code, Is.EqualTo(404));
    }

    [Test]
    public void AClosingConnectionIsNeitherPausedNorResumedAgain()
    {
        // Found by the http-response fuzz target: the transport was resumed after LoseConnection.
        var connection = ClientConnections.Create(new Clock());
        var transport = new StringTransport(); // strict: pausing or resuming after LoseConnection throws
        connection.MakeConnection(transport);
        var result = new Deferred<Response>();
        connection.Send("GET", new Uri("http://example.com/"), new Headers(), null, result);
        connection.DataReceived("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"u8);
        var reader = new Reader();
        result.AddCallback(r =>
        {
            r.DeliverBody(reader);
            return r;
        });
        reader.Transport.ResumeProducing();
        Assert.That(reader.End?.Value, Is.InstanceOf<ResponseDone>());
        Assert.That(transport.Disconnecting, Is.True, "HTTP/1.0 without keep-alive: closed after the body");
    }
}
