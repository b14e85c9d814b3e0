using System.Text;
using Reactor;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Endpoints;
using Reactor.Protocols;
using Reactor.Protocols.Basic;

var port = args.Length > 0 ? int.Parse(args[0]) : 8000;
using var reactor = ReactorLoop.Create();
reactor.CallWhenRunning(() => Deferred.EnsureDeferred(async () =>
{
    // Each await resumes on the reactor thread: no locks needed.
    var endpoint = new Tcp4ClientEndpoint(reactor, "127.0.0.1", port);
    var client = (LineClient)await endpoint.Connect(Factory.For<LineClient>());
    foreach (var word in new[] { "hello", "reactor" })
    {
        var reply = await client.Ask(word);
        Console.WriteLine($"{word} -> {reply}");
    }
    client.Transport.LoseConnection();
})
.AddErrback(failure => Console.Error.WriteLine($"failed: {failure.GetErrorMessage()}"))
.AddCallback(_ => reactor.Stop()));
reactor.Run();

// Sends a line and hands back a Deferred that fires with the line that answers it.
class LineClient : LineReceiver
{
    private readonly Queue<Deferred<string>> _waiting = new();

    public LineClient() => Delimiter = "\n"u8;

    public Deferred<string> Ask(string line)
    {
        var answer = new Deferred<string>();
        _waiting.Enqueue(answer);
        SendLine(Encoding.UTF8.GetBytes(line));
        return answer;
    }

    public override void LineReceived(ReadOnlySpan<byte> line) =>
        _waiting.Dequeue().Callback(Encoding.UTF8.GetString(line));

    // Questions still waiting when the connection goes will never be answered: fail them.
    public override void ConnectionLost(Failure reason)
    {
        while (_waiting.TryDequeue(out var answer)) answer.Errback(reason);
    }
}
