using System.Text;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;
using Reactor.Web.Client;
using Reactor.Web.Server;
using Reactor.Web.Tests.Server;

namespace Reactor.Web.Tests.Corpus;

/// <summary>
/// llhttp's request and response test cases (https://github.com/nodejs/llhttp, test/*.md; see
/// Corpus/llhttp/README.md) replayed through our server and client connections. Whatever the
/// input, nothing throws out of the parser. Where llhttp reports an error, the server answers a
/// 4xx/5xx and closes, and the client fails the response with <see cref="ResponseFailed"/>;
/// where llhttp completes N messages, the server answers N. Cases where we differ on purpose
/// are listed in <see cref="LlhttpDifferences"/> with our outcome, which is asserted, and why.
/// </summary>
public sealed class LlhttpCorpusTests
{
    public static IEnumerable<TestCaseData> Requests() =>
        LlhttpCorpus.Load("request").Select(c => new TestCaseData(c).SetName($"Request {c.File} {c.Title}"));

    public static IEnumerable<TestCaseData> Responses() =>
        LlhttpCorpus.Load("response").Select(c => new TestCaseData(c).SetName($"Response {c.File} {c.Title}"));

    [Test]
    public void TheCorpusIsThere()
    {
        Assert.That(LlhttpCorpus.Load("request").Count(), Is.GreaterThan(100));
        Assert.That(LlhttpCorpus.Load("response").Count(), Is.GreaterThan(50));
    }

    [Test]
    public void EveryListedDifferenceNamesACaseOfTheCorpus()
    {
        var names = LlhttpCorpus.Load("request").Concat(LlhttpCorpus.Load("response")).Select(c => c.ToString()).ToHashSet();
        Assert.That(LlhttpDifferences.Requests.Keys.Concat(LlhttpDifferences.Responses.Keys).Where(k => !names.Contains(k)), Is.Empty);
    }

    [TestCaseSource(nameof(Requests))]
    public void RequestCase(LlhttpCase c)
    {
        // llhttp is a parser: it does not require Host, so neither do we here (RequireHost has its own tests).
        var h = ChannelHarness.For(r => r.Write("ok"), new HttpServerOptions { RequireHost = false });
        h.Channel.DataReceived(c.Input);
        // llhttp checks each byte as it comes and fails on a prefix; we check a line once it is
        // complete. So when llhttp fails and we are still waiting, end the head: we must reject then.
        if (c.ExpectsError && h.Transport.Written.IsEmpty) h.Channel.DataReceived("\r\n\r\n"u8);
        if (c.Type.EndsWith("-finish", StringComparison.Ordinal)) h.Channel.ReadConnectionLost();
        var responses = ParsedResponse.ParseAll(h.Transport.Value(), head: c.Input.AsSpan().StartsWith("HEAD "u8));
        var answered = responses.Count(r => r.Status < 400);
        var rejected = responses.Count > 0 && responses[^1].Status >= 400;
        var closed = h.Transport.WriteDisconnected || h.Transport.Disconnecting;
        var outcome = (responses.Count == 0 ? "no response" : string.Join(" ", responses.Select(r => r.Status))) + (closed ? ", closed" : ", open");
        var expected = c.ExpectsError ? $"error after {c.MessagesCompleted}" : $"{c.MessagesCompleted} messages";
        if (LlhttpDifferences.Requests.TryGetValue(c.ToString(), out var difference))
        {
            Assert.That(outcome, Is.EqualTo(difference.Outcome), $"differs on purpose ({difference.Why}); llhttp: {expected}\ninput: {Show(c.Input)}\noutput: {h.Output}");
            return;
        }
        if (c.ExpectsError)
        {
            Assert.That(rejected, Is.True, $"llhttp: {expected}; we {outcome}\ninput: {Show(c.Input)}\noutput: {h.Output}");
            Assert.That(closed, Is.True, "closed after the error");
        }
        else
        {
            Assert.That(rejected, Is.False, $"llhttp: {expected}; we {outcome}\ninput: {Show(c.Input)}\noutput: {h.Output}");
            Assert.That(answered, Is.EqualTo(c.MessagesCompleted), $"llhttp: {expected}; we {outcome}\ninput: {Show(c.Input)}\noutput: {h.Output}");
        }
    }

    private static string Show(byte[] input) => Encoding.Latin1.GetString(input).Replace("\r", "\\r").Replace("\n", "\\n\n");

    private sealed class Collector : Protocol
    {
        public readonly MemoryStream Body = new();
        public Failure? End;

        public override void DataReceived(ReadOnlySpan<byte> data) => Body.Write(data);

        public override void ConnectionLost(Failure reason) => End = reason;
    }

    [TestCaseSource(nameof(Responses))]
    public void ResponseCase(LlhttpCase c)
    {
        var method = Encoding.ASCII.GetString(c.Input).Contains("HEAD") && c.Title.Contains("HEAD", StringComparison.OrdinalIgnoreCase) ? "HEAD" : "GET";
        var clock = new Clock();
        var connection = ClientConnections.Create(clock);
        var transport = new StringTransport();
        connection.MakeConnection(transport);
        var result = new Deferred<Response>();
        Response? response = null;
        Failure? failure = null;
        var body = new Collector();
        result.AddCallbacks<object?>(r =>
        {
            response = r;
            r.DeliverBody(body);
            return null;
        }, f =>
        {
            failure = f;
            return null;
        });
        connection.Send(method, new Uri("http://example.com/"), new Reactor.Web.Http.Headers(), null, result);
        connection.DataReceived(c.Input);
        if (connection.Connected) connection.ConnectionLost(new Failure(new ConnectionDone()));
        var completed = response is not null && body.End?.Value is Reactor.Web.Http.ResponseDone or Reactor.Web.Http.PotentialDataLoss;
        var outcome = failure is not null ? $"failed: {failure.Value.GetType().Name}"
            : response is null ? "no response"
            : $"{response.Code}, {body.Body.Length} body bytes, {body.End?.Value.GetType().Name ?? "body not ended"}";
        var expected = c.ExpectsError ? $"error after {c.MessagesCompleted}" : $"{c.MessagesCompleted} messages";
        if (LlhttpDifferences.Responses.TryGetValue(c.ToString(), out var difference))
        {
            Assert.That(outcome, Is.EqualTo(difference.Outcome), $"differs on purpose ({difference.Why}); llhttp: {expected}\ninput: {Show(c.Input)}");
            return;
        }
        if (c.ExpectsError && c.MessagesCompleted == 0)
        {
            Assert.That(completed, Is.False, $"llhttp: {expected}; we {outcome}\ninput: {Show(c.Input)}");
        }
        else if (c.MessagesCompleted >= 1)
        {
            Assert.That(completed, Is.True, $"llhttp: {expected}; we {outcome}\ninput: {Show(c.Input)}");
        }
    }
}
