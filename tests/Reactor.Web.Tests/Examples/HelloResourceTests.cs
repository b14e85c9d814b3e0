using System.Text;
using Reactor.Examples.HttpHello;
using Reactor.Web.Tests.Server;

namespace Reactor.Web.Tests.Examples;

/// <summary>HttpHello's resource without sockets: batching into one write, JSON, and no allocation per plaintext request.</summary>
public sealed class HelloResourceTests
{
    private static readonly byte[] Get = "GET /plaintext HTTP/1.1\r\nHost: test\r\n\r\n"u8.ToArray();

    [Test]
    public void PipelinedRequestsInOneReadGoOutInOneWrite()
    {
        var h = new ChannelHarness(new HelloResource());
        h.Send("GET / HTTP/1.1\r\nHost: a\r\n\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /json HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(h.Transport.WriteCount, Is.EqualTo(1), "three responses, one write");
        var responses = h.Responses();
        Assert.That(responses.Select(r => r.Body), Is.EqualTo(new[] { "Hello, World!", "Hello, World!", "{\"message\":\"Hello, World!\"}" }));
        Assert.That(responses[0].Header("content-type"), Is.EqualTo("text/plain"));
        Assert.That(responses[2].Header("content-type"), Is.EqualTo("application/json"));
    }

    [Test]
    public void SteadyStatePlaintextAllocatesNothingPerRequest()
    {
        var h = new ChannelHarness(new HelloResource());
        var sixteen = Enumerable.Repeat(Get, 16).SelectMany(b => b).ToArray();
        for (var i = 0; i < 1000; i++)
        {
            h.Channel.DataReceived(sixteen);
            h.Transport.Clear();
        }
        // A blocking gen0 GC empties this thread's allocation context first: a background GC that
        // ends its mark phase inside the window would otherwise add the context's unused rest (up
        // to 8 KiB) to the counter without any allocation (see Reactor.Tests' ThreadAllocation).
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2000; i++)
        {
            h.Channel.DataReceived(sixteen);
            h.Transport.Clear();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(h.Channel.RequestsAnswered, Is.EqualTo(48_000));
        Assert.That(allocated, Is.Zero, "bytes allocated for 32,000 pipelined plaintext requests");
    }

    [Test]
    public void JsonIsSerializedPerRequest()
    {
        var h = new ChannelHarness(new HelloResource());
        h.Channel.DataReceived(Encoding.ASCII.GetBytes("GET /json HTTP/1.1\r\nHost: a\r\n\r\nGET /json HTTP/1.1\r\nHost: a\r\n\r\n"));
        Assert.That(h.Responses().Select(r => r.Header("content-length")), Is.EqualTo(new[] { "27", "27" }));
    }
}
