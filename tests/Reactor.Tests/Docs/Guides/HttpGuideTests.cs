using System.Net;
using Reactor.Core;
using Reactor.Docs.Samples.Guides.Http;
using Reactor.Errors;
using Reactor.Testing;
using Reactor.Time;
using Reactor.Web.Server;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/http.md: the resource tree, the async handler and the client, over real sockets.</summary>
public class HttpGuideTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="client"/> on the running reactor and stops it after (bounded).</summary>
    private static string RunClient(ReactorLoop reactor, Func<Task<string>> client)
    {
        string? result = null;
        Exception? error = null;
        reactor.CallWhenRunning(async () =>
        {
            try
            {
                result = await client();
            }
            catch (Exception ex)
            {
                error = ex;
            }
            finally
            {
                reactor.Stop();
            }
        });
        var bound = reactor.CallLater(Bound, reactor.Stop); // never hang the suite
        reactor.Run();
        Assert.That(bound.Active, Is.True, "the client finished within the bound");
        bound.Cancel();
        if (error is not null) throw error;
        return result!;
    }

    [Test]
    public void TheTreeServesHelloSlowAndFiles()
    {
        var folder = Directory.CreateTempSubdirectory("reactor-http-guide").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a.txt"), "file contents");
            using var reactor = ReactorLoop.Create();
            var port = HttpSamples.Listen(reactor, folder);
            var url = $"http://127.0.0.1:{((IPEndPoint)port.GetHost()).Port}";
            var results = RunClient(reactor, async () => string.Join("|",
                await HttpSamples.FetchAsync(reactor, url + "/hello?name=docs"),
                await HttpSamples.FetchAsync(reactor, url + "/slow"),
                await HttpSamples.FetchAsync(reactor, url + "/files/a.txt"),
                await HttpSamples.FetchAsync(reactor, url + "/nothing")));
            var answers = results.Split('|');
            Assert.That(answers[0], Is.EqualTo("200 OK text/plain\nHello, docs"));
            Assert.That(answers[1], Is.EqualTo("200 OK \nHello, later"));
            Assert.That(answers[2], Is.EqualTo("200 OK text/plain; charset=utf-8\nfile contents"));
            Assert.That(answers[3], Does.StartWith("404 Not Found "));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void TheAsyncHandlerWritesAcrossTurns()
    {
        using var reactor = ReactorLoop.Create();
        var port = HttpSamples.ListenHandler(reactor);
        var result = RunClient(reactor, () => HttpSamples.FetchAsync(reactor, $"http://127.0.0.1:{((IPEndPoint)port.GetHost()).Port}/any"));
        Assert.That(result, Is.EqualTo("200 OK text/plain\none two"));
    }

    [Test]
    public void SlowHelloAnswersFromItsTimerAndCancelsItWhenTheClientLeaves()
    {
        var clock = new Clock();
        var site = new Site(new SlowHello(clock), clock);

        var patient = new StringTransport();
        var first = site.BuildProtocol(patient.GetPeer())!;
        first.MakeConnection(patient);
        first.DataReceived("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8);
        Assert.That(patient.ValueAsString(), Is.Empty, "not done yet");
        clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.That(patient.ValueAsString(), Does.StartWith("HTTP/1.1 200 OK\r\n").And.EndWith("\r\n\r\nHello, later"));

        var leaving = new StringTransport();
        var second = site.BuildProtocol(leaving.GetPeer())!;
        second.MakeConnection(leaving);
        second.DataReceived("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8);
        var due = clock.Now + TimeSpan.FromMilliseconds(50);
        int Pending() => clock.GetDelayedCalls().Count(c => c.Active && c.GetTime() == due);
        Assert.That(Pending(), Is.EqualTo(1), "the answer is scheduled");
        second.ConnectionLost(new Reactor.Defer.Failure(new ConnectionLost()));
        Assert.That(Pending(), Is.Zero, "the client left: the timer was cancelled");
        clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.That(leaving.ValueAsString(), Is.Empty);
    }
}
