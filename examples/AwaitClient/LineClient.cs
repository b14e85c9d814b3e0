using System.Text;
using Reactor.Defer;
using Reactor.Protocols.Basic;

namespace Reactor.Examples.AwaitClient;

/// <summary>
/// Asks questions one line at a time: <see cref="Ask"/> sends a line and returns a Deferred that
/// fires with the line that answers it. Answers are matched to questions in order, so several
/// questions may be in flight at once (pipelining).
/// </summary>
public sealed class LineClient : LineReceiver
{
    private readonly Queue<Deferred<string>> _waiting = new();

    /// <summary>Lines end with LF; a CR before it is dropped, so CRLF servers work too.</summary>
    public LineClient() => Delimiter = "\n"u8;

    /// <summary>Sends <paramref name="question"/> as one line; the Deferred fires with the reply line.</summary>
    public Deferred<string> Ask(string question)
    {
        var answer = new Deferred<string>();
        _waiting.Enqueue(answer);
        SendLine(Encoding.UTF8.GetBytes(question));
        return answer;
    }

    /// <inheritdoc/>
    public override void LineReceived(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\r"u8)) line = line[..^1];
        // A line nobody asked for (a server's greeting or farewell) is not an answer: drop it.
        if (_waiting.TryDequeue(out var answer)) answer.Callback(Encoding.UTF8.GetString(line));
    }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        // Questions still waiting will never be answered: fail them with the reason.
        while (_waiting.TryDequeue(out var answer)) answer.Errback(reason);
    }
}
