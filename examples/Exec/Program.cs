using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using Reactor;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Processes;
using Reactor.Selectors;

// Exec [--] COMMAND [ARGS...]: runs the command as a child process on the reactor, copies its
// stdout to ours and its stderr to ours (each optionally prefixed per line), forwards SIGINT and
// SIGTERM to it, and exits with its exit code (128 + N when signal N ended it, as shells do).
var command = new Argument<string[]>("command") { Description = "the program to run and its arguments (put -- before them if they start with -)", Arity = ArgumentArity.OneOrMore };
var stdoutPrefix = new Option<string>("--stdout-prefix") { Description = "text put before every line of the child's stdout (default: none, copied byte for byte)", DefaultValueFactory = _ => "" };
var stderrPrefix = new Option<string>("--stderr-prefix") { Description = "text put before every line of the child's stderr (default: none)", DefaultValueFactory = _ => "" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)" };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select");
var root = new RootCommand(
    "Runs COMMAND as a child process on the reactor: its stdin is ours, its stdout and stderr are copied to ours, " +
    "SIGINT and SIGTERM are passed on to it, and Exec exits with its exit code (128 + N if signal N ended it; 127 if it cannot be started).")
    { command, stdoutPrefix, stderrPrefix, selector };
root.SetAction(parsed => Run(parsed.GetValue(command)!, parsed.GetValue(stdoutPrefix)!, parsed.GetValue(stderrPrefix)!, parsed.GetValue(selector)));
return root.Parse(args).Invoke();

static int Run(string[] command, string stdoutPrefix, string stderrPrefix, SelectorKind? selector)
{
    // SIGINT/SIGTERM are passed to the child (below) instead of stopping the reactor at once.
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = selector, InstallSignalHandlers = false });
    var protocol = new CopyOutput(reactor, stdoutPrefix, stderrPrefix);
    IProcessTransport child;
    try
    {
        // The child reads our stdin directly; its stdout and stderr are pipes to us.
        child = reactor.SpawnProcess(protocol, command[0], command, childFds: new Dictionary<int, ChildFd>
        {
            [0] = ChildFd.Inherit(0),
            [1] = ChildFd.ReadFromChild,
            [2] = ChildFd.ReadFromChild,
        });
    }
    catch (ProcessSpawnError error)
    {
        Console.Error.WriteLine($"Exec: {error.Message}");
        return 127;
    }
    // Our own SIGINT/SIGTERM go to the child; we end when it ends.
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Forward(reactor, child, "INT", context));
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Forward(reactor, child, "TERM", context));
    reactor.Run();
    return protocol.ExitCode;
}

static void Forward(ReactorLoop reactor, IProcessTransport child, string signal, PosixSignalContext context)
{
    context.Cancel = true;
    reactor.CallFromThread(() =>
    {
        try
        {
            child.SignalProcess(signal);
        }
        catch (ProcessExitedAlready)
        {
            // It is ending anyway.
        }
    });
}

/// <summary>Copies the child's output to ours and stops the reactor when it has ended.</summary>
sealed class CopyOutput(ReactorLoop reactor, string stdoutPrefix, string stderrPrefix) : ProcessProtocol
{
    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly Stream _stderr = Console.OpenStandardError();
    private readonly byte[] _outPrefix = Encoding.UTF8.GetBytes(stdoutPrefix);
    private readonly byte[] _errPrefix = Encoding.UTF8.GetBytes(stderrPrefix);
    private bool _outAtLineStart = true;
    private bool _errAtLineStart = true;

    /// <summary>The child's exit code, 128 + N for signal N.</summary>
    public int ExitCode { get; private set; }

    // Writing our own stdout blocks the loop while the reader is slow: for this tool that is the
    // backpressure we want (the child's pipe fills and it waits), and nothing else runs here.
    public override void OutReceived(ReadOnlySpan<byte> data) => Copy(_stdout, _outPrefix, ref _outAtLineStart, data);

    public override void ErrReceived(ReadOnlySpan<byte> data) => Copy(_stderr, _errPrefix, ref _errAtLineStart, data);

    private static void Copy(Stream to, byte[] prefix, ref bool atLineStart, ReadOnlySpan<byte> data)
    {
        if (prefix.Length == 0)
        {
            to.Write(data);
        }
        else
        {
            while (!data.IsEmpty)
            {
                if (atLineStart) to.Write(prefix);
                var end = data.IndexOf((byte)'\n');
                var line = end < 0 ? data : data[..(end + 1)];
                to.Write(line);
                atLineStart = end >= 0;
                data = data[line.Length..];
            }
        }
        to.Flush();
    }

    public override void ProcessEnded(Failure reason)
    {
        ExitCode = reason.Value switch
        {
            ProcessTerminated { Signal: int signal } => 128 + signal,
            ProcessTerminated { ExitCode: int code } => code,
            ProcessTerminated => 1,
            _ => 0,
        };
        reactor.Stop();
    }
}
