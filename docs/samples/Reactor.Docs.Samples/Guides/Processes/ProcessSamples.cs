using System.Text;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Net.Blocking;
using Reactor.Net.Processes;
using Reactor.Net.Stdio;
using Reactor.Protocols;

namespace Reactor.Docs.Samples.Guides.Processes;

#region protocol
/// <summary>Collects what a child writes and how it ended, then stops the reactor.</summary>
public sealed class CollectOutput(ReactorLoop reactor) : ProcessProtocol
{
    private readonly StringBuilder _output = new();

    public string Output => _output.ToString();
    public int? ExitCode { get; private set; }
    public int? Signal { get; private set; }

    public override void ConnectionMade()
    {
        Transport.Write("hello, child\n"u8); // the child's stdin
        Transport.CloseStdin();              // after what was written: the child reads EOF
    }

    public override void OutReceived(ReadOnlySpan<byte> data) => _output.Append(Encoding.UTF8.GetString(data));

    public override void ProcessEnded(Failure reason)
    {
        // ProcessDone for exit code 0, ProcessTerminated(exitCode, signal) otherwise.
        (ExitCode, Signal) = reason.Value switch
        {
            ProcessTerminated t => (t.ExitCode, t.Signal),
            _ => (0, (int?)null),
        };
        reactor.Stop();
    }
}
#endregion

public static class ProcessSamples
{
    public static CollectOutput RunTr(ReactorLoop reactor)
    {
        #region spawn
        var child = new CollectOutput(reactor);
        // argv includes argv[0], as Twisted's args and C's execv.
        reactor.SpawnProcess(child, "tr", ["tr", "a-z", "A-Z"]);
        reactor.Run();
        // child.Output == "HELLO, CHILD\n", child.ExitCode == 0
        #endregion
        return child;
    }

    public static IProcessTransport KillSleep(ReactorLoop reactor, CollectOutput protocol)
    {
        #region signal
        var sleeper = reactor.SpawnProcess(protocol, "sleep", ["sleep", "60"]);
        sleeper.SignalProcess("KILL"); // ProcessEnded then reports Signal == 9
        #endregion
        return sleeper;
    }

    public static IListeningPort BlockingEcho(ReactorLoop reactor)
    {
        #region blocking
        var echo = new BlockingHandlerFactory(reactor, connection =>
        {
            // A worker thread: plain blocking calls, as in socketserver's handle().
            var buffer = new byte[4096];
            int n;
            while ((n = connection.Stream.Read(buffer)) > 0) connection.Stream.Write(buffer, 0, n);
        }, new BlockingHandlerOptions { Workers = 16, WhenBusy = BusyPolicy.Queue, MaxQueued = 1024 });
        var port = reactor.ListenTcp(0, echo, @interface: "127.0.0.1");
        #endregion
        return port;
    }
}

#region stdio
/// <summary>Upper-cases standard input to standard output; stops the reactor at the end of input.</summary>
public sealed class Shout(ReactorLoop reactor) : Protocol
{
    public override void DataReceived(ReadOnlySpan<byte> data) =>
        Transport.Write(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(data).ToUpperInvariant()));

    public override void ConnectionLost(Failure reason) => reactor.Stop();
}

// In Main:  using var stdio = new StandardIO(new Shout(reactor), reactor);  reactor.Run();
#endregion
