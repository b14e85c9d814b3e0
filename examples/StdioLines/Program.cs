using System.CommandLine;
using System.Text;
using Reactor;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Stdio;
using Reactor.Protocols;
using Reactor.Protocols.Basic;
using Reactor.Selectors;

// StdioLines: a line filter on StandardIO (Twisted's stdio.StandardIO + LineReceiver). Each line of
// standard input comes out numbered (like cat -n) or upper-cased; at the end of input it writes a
// summary line and exits. Works with pipes, files, /dev/null and terminals as stdin.
var upper = new Option<bool>("--upper") { Description = "upper-case each line instead of numbering it" };
var maxLength = new Option<int>("--max-length") { Description = "longest line accepted in bytes; a longer one ends the program with exit code 2", DefaultValueFactory = _ => 16384 };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)" };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select");
var root = new RootCommand(
    "Reads standard input line by line (LF or CRLF) on the reactor and writes each line numbered, or upper-cased with --upper, " +
    "then \"N lines\" at the end of input. No listen address: it is a filter.")
    { upper, maxLength, selector };
root.SetAction(parsed => Run(parsed.GetValue(upper), parsed.GetValue(maxLength), parsed.GetValue(selector)));
return root.Parse(args).Invoke();

static int Run(bool upper, int maxLength, SelectorKind? selector)
{
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = selector });
    var lines = new LineFilter(reactor, upper) { MaxLength = maxLength };
    using var stdio = new StandardIO(lines, reactor);
    reactor.Run();
    return lines.ExitCode;
}

/// <summary>Numbers or upper-cases each line; at the end of input writes a count and stops the reactor.</summary>
sealed class LineFilter(ReactorLoop reactor, bool upper) : LineReceiver, IHalfCloseableProtocol
{
    private long _count;

    public int ExitCode { get; private set; }

    public override void ConnectionMade()
    {
        Delimiter = "\n"u8;
        // Reading pauses while stdout is full: a slow reader of our output slows our input.
        Transport.RegisterProducer(Transport, streaming: true);
    }

    public override void LineReceived(ReadOnlySpan<byte> line)
    {
        _count++;
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        var text = Encoding.UTF8.GetString(line);
        SendLine(upper ? text.ToUpperInvariant() : $"{_count,6}\t{text}");
    }

    public override void LineLengthExceeded(ReadOnlySpan<byte> line)
    {
        Console.Error.WriteLine($"StdioLines: a line is longer than {MaxLength} bytes");
        ExitCode = 2;
        Transport.LoseConnection();
    }

    /// <summary>End of input: the last line may lack its newline.</summary>
    public void ReadConnectionLost()
    {
        var rest = ClearLineBuffer();
        if (rest.Length > 0) LineReceived(rest);
        SendLine($"{_count} lines");
        Transport.LoseConnection();
    }

    public void WriteConnectionLost() { }

    public override void ConnectionLost(Failure reason) => reactor.Stop();
}
