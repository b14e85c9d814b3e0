using System.Text;
using Reactor.Core;
using Reactor.Examples.HttpHello;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;

namespace Reactor.Tests.Examples;

/// <summary>The HttpHello protocol without sockets: batching into one write, and no allocation per request.</summary>
public sealed class HttpHelloProtocolTests
{
    private static readonly byte[] Get = "GET / HTTP/1.1\r\nHost: test\r\n\r\n"u8.ToArray();

    private static (HttpHelloProtocol Protocol, StringTransport Transport) Connect()
    {
        var transport = new StringTransport();
        var fixedDate = new DateTime(2026, 11, 23, 21, 0, 0, DateTimeKind.Utc);
        var protocol = new HttpHelloProtocol(new Clock(), new HttpDate(() => fixedDate));
        protocol.MakeConnection(transport);
        return (protocol, transport);
    }

    [Test]
    public void PipelinedRequestsInOneReadGoOutInOneWrite()
    {
        var (protocol, transport) = Connect();
        protocol.DataReceived(Encoding.ASCII.GetBytes(
            "GET / HTTP/1.1\r\nHost: a\r\n\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        Assert.That(protocol.RequestsAnswered, Is.EqualTo(3));
        Assert.That(transport.WriteCount, Is.EqualTo(1), "three responses, one write");
        var text = transport.ValueAsString();
        Assert.That(text.Split("HTTP/1.1 200 OK").Length - 1, Is.EqualTo(3));
        Assert.That(text, Does.Contain("Date: Mon, 23 Nov 2026 21:00:00 GMT\r\n"));
        Assert.That(text, Does.EndWith("\r\n\r\nHello, World!"));
    }

    [Test]
    public void RequestsSplitAnywhereGetTheSameAnswers()
    {
        var request = Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbodyGET / HTTP/1.1\nHost: a\n\n");
        var (whole, wholeTransport) = Connect();
        whole.DataReceived(request);
        for (var chunk = 1; chunk <= 7; chunk++)
        {
            var (protocol, transport) = Connect();
            for (var at = 0; at < request.Length; at += chunk)
            {
                protocol.DataReceived(request.AsSpan(at, Math.Min(chunk, request.Length - at)));
            }
            Assert.That(protocol.RequestsAnswered, Is.EqualTo(2), $"chunks of {chunk}");
            Assert.That(transport.ValueAsString(), Is.EqualTo(wholeTransport.ValueAsString()), $"chunks of {chunk}");
        }
    }

    [Test]
    public void SetsNoDelayAndRegistersAsStreamingProducer()
    {
        var (protocol, transport) = Connect();
        Assert.That(transport.NoDelay, Is.True);
        Assert.That(transport.Producer, Is.SameAs(protocol));
        Assert.That(transport.Streaming, Is.True);
    }

    [Test]
    public void ErrorResponseIsFollowedByFinNotAnImmediateClose()
    {
        var (protocol, transport) = Connect();
        protocol.DataReceived("BAD\r\n\r\n"u8);
        Assert.That(transport.ValueAsString(), Does.StartWith("HTTP/1.1 400 Bad Request\r\n"));
        Assert.That(transport.WriteDisconnected, Is.True, "FIN after the response");
        Assert.That(transport.Disconnecting, Is.False, "still reading (and dropping) what the client sends");
        protocol.DataReceived(Get);
        Assert.That(protocol.RequestsAnswered, Is.Zero, "nothing after the error is answered");
    }

    [Test]
    public void SteadyStateAllocatesNothingPerRequest()
    {
        var (protocol, transport) = Connect();
        var three = Get.Concat(Get).Concat(Get).ToArray();
        for (var i = 0; i < 1000; i++)
        {
            protocol.DataReceived(three);
            transport.Clear();
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            protocol.DataReceived(three);
            transport.Clear();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(protocol.RequestsAnswered, Is.EqualTo(33_000));
        Assert.That(allocated, Is.Zero, "bytes allocated for 30,000 requests");
    }
}
